// The worst request of each read route, shared by bench/read-stalls.mjs (how long pings wait beside them) and
// packages/server/test/api/read-stalls.test.ts (that they and the pings meanwhile are answered). Each path is
// built when the request is sent, since its range is relative to now.
const DAY = 86_400_000;
const iso = (ms) => new Date(ms).toISOString();
const enc = encodeURIComponent;

/**
 * [name, path] pairs for checks made beforehand: `minutely` (a `* * * * *` cron 400 days old), `chatty` (a thousand
 * 100 KB bodies) and `flappy` (hundreds of flips); the list routes want a few thousand checks and a status page
 * with the slug "stalls". The checks are read when a path is built, so they may be made after the list.
 */
export function worstReads(checks) {
  return [
    [
      'stats, 7d buckets to 37 years ahead',
      () =>
        `/api/v1/checks/${checks.minutely.id}/stats?from=${iso(Date.now() - 400 * DAY)}&to=${iso(Date.now() + 37 * 365 * DAY)}&bucket=7d`,
    ],
    [
      'stats, 1h buckets over 82 days and into the future',
      () => `/api/v1/checks/${checks.minutely.id}/stats?from=${iso(Date.now() - 82 * DAY)}&to=${iso(Date.now() + DAY)}&bucket=1h`,
    ],
    [
      'Pinghome statistic, 1h over 80 days',
      () =>
        `/v1/heartbeat/${checks.minutely.id}/statistic?interval=1h&start_date=${enc(iso(Date.now() - 80 * DAY))}&end_date=${enc(iso(Date.now() + 3 * DAY))}`,
    ],
    [
      'Pinghome statistic, 30d to a far end',
      () =>
        `/v1/heartbeat/${checks.minutely.id}/statistic?interval=30d&start_date=${enc(iso(Date.now() - 400 * DAY))}&end_date=${enc(iso(Date.now() + 100 * 365 * DAY))}`,
    ],
    ['signals, full bodies, limit 1000', () => `/api/v1/checks/${checks.chatty.id}/signals?full=true&limit=1000`],
    ['signals, excerpts, limit 1000', () => `/api/v1/checks/${checks.chatty.id}/signals?limit=1000`],
    ['healthchecks v3 pings', () => `/api/v3/checks/${checks.chatty.id}/pings/`],
    ['Pinghome events, limit 1000', () => `/v1/heartbeat/${checks.chatty.id}/events?limit=1000`],
    [
      'timeline, 2000 days',
      () => `/api/v1/checks/${checks.flappy.id}/timeline?from=${iso(Date.now() - 1000 * DAY)}&to=${iso(Date.now() + 999 * DAY)}`,
    ],
    ['flips, limit 1000', () => `/api/v1/checks/${checks.flappy.id}/flips?limit=1000`],
    ['runs, limit 1000', () => `/api/v1/checks/${checks.flappy.id}/runs?limit=1000`],
    ['list checks, limit 1000', () => '/api/v1/checks?limit=1000'],
    ['healthchecks v3 list checks', () => '/api/v3/checks/'],
    ['incidents, limit 1000', () => '/api/v1/incidents?limit=1000'],
    ['notifications, limit 1000', () => '/api/v1/notifications?limit=1000'],
    ['status page', () => '/status/stalls'],
    ['metrics', () => '/metrics'],
  ];
}
