// Long runs of fake time with a badly behaved job (seeded, so every run is the same), checking the
// promises that must hold whatever happens: one alert per incident, consistent flips, counters that agree
// with the runs, deadlines that always move forward.
import { describe, expect, it } from 'vitest';
import type { Timing } from '../../src/core/index.js';
import { cron, DAY, HOUR, iso, MIN, SEC, t, timing, World } from './harness.js';

const T0 = t('2026-01-01T00:00:00Z');

/** mulberry32: a small seeded generator, so a failing walk can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A job that mostly works: on time, early, late, failing, hanging, silent for hours; sometimes a user pauses. */
function chaos(timing: Timing, seed: number, steps: number): World {
  const rnd = random(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const w = new World(timing, T0);
  for (let i = 0; i < steps; i++) {
    w.advanceBy(Math.floor(rnd() * 12 * MIN));
    const rid = rnd() < 0.3 ? pick(['a', 'b', 'c']) : null;
    const r = rnd();
    if (r < 0.35) w.send('success', { rid });
    else if (r < 0.45) w.send('fail', { rid, exit_code: pick([1, 2, 137]) });
    else if (r < 0.6) w.send('start', { rid });
    else if (r < 0.65) w.send('progress', { rid, progress: Math.floor(rnd() * 100) });
    else if (r < 0.7) w.send('log', { rid, message: 'line' });
    else if (r < 0.75)
      w.advanceBy(Math.floor(rnd() * 6 * HOUR)); // silence
    else if (r < 0.77) w.pause();
    else if (r < 0.8) w.resume();
    else if (r < 0.81) w.jumpTo(w.now + Math.floor(rnd() * 3 * DAY)); // the clock leaps
  }
  w.advanceBy(DAY);
  return w;
}

function checkPromises(w: World): void {
  // Flips form a chain: each starts where the last ended, never stays put, never goes back in time.
  let status = 'new';
  let last = -Infinity;
  for (const f of w.flips) {
    expect(f.from, `flip at ${iso(f.at)}`).toBe(status);
    expect(f.to).not.toBe(f.from);
    expect(f.at).toBeGreaterThanOrEqual(last);
    expect(f.reason.length).toBeGreaterThan(0);
    status = f.to;
    last = f.at;
  }
  expect(w.status).toBe(status);

  // One down alert opens an incident, one up alert (or a pause) closes it: never two of either in a row.
  let open = false;
  for (const f of w.flips) {
    if (f.alert === 'down') {
      expect(open, `second down alert at ${iso(f.at)}`).toBe(false);
      expect(f.to).toBe('down');
      open = true;
    } else if (f.alert === 'up') {
      expect(open, `up alert without incident at ${iso(f.at)}`).toBe(true);
      expect([f.from, f.to]).toEqual(['down', 'up']);
      open = false;
    } else if (f.from === 'down') {
      expect(f.to).toBe('paused');
      open = false;
    }
    if (f.to === 'down' && f.from !== 'down') expect(f.alert).toBe('down');
  }

  // Counters agree with the runs the world kept.
  const runs = [...w.runs.values()];
  expect(w.state.run_count).toBe(runs.length);
  expect(w.state.open_runs).toBe(runs.filter((r) => r.ended_at == null).length);
  for (const r of runs.filter((x) => x.ended_at != null)) {
    expect(r.result).not.toBeNull();
    expect(r.duration_ms).toBe(r.ended_at! - r.started_at!);
  }
  if (w.state.open_runs === 0) expect(w.state.run_deadline).toBeNull();
  // Nothing is due in the past once the scheduler has caught up.
  const next = w.deadline();
  if (next != null) expect(next).toBeGreaterThan(w.now);
  if (w.status === 'paused') expect(next).toBeNull();
}

describe('whatever the job does', () => {
  const timings: Array<[string, Timing]> = [
    ['5m interval, 1m grace', timing()],
    ['5m interval, thresholds 3/2, 10m max runtime', timing({ failure_threshold: 3, recovery_threshold: 2, max_runtime_s: 600 })],
    [
      '15m interval, grace multiplier 1.5, manual resume',
      timing({ schedule: { kind: 'interval', period_s: 900 }, grace_s: null, grace_multiplier: 1.5, manual_resume: true }),
    ],
    ['hourly cron in Berlin, alert before first ping', cron('0 * * * *', 'Europe/Berlin', { grace_s: 600, alert_before_first_ping: true })],
    [
      'every 20 minutes on weekdays in New York, zero grace',
      cron('*/20 * * * 1-5', 'America/New_York', { grace_s: 0, max_runtime_s: 300 }),
    ],
  ];
  for (const [name, timing] of timings) {
    for (const seed of [1, 2, 3]) {
      it(`${name} (seed ${seed}): one alert per incident, a consistent flip chain, counters that match the runs`, () => {
        const w = chaos(timing, seed, 3000);
        checkPromises(w);
        // The walk is not vacuous: it went through incidents and pauses and ended runs every way.
        const results = new Set([...w.runs.values()].map((r) => r.result));
        expect([...results].sort()).toEqual(expect.arrayContaining(['abandoned', 'fail', 'success', 'timeout']));
        expect(w.flips.filter((f) => f.alert === 'down').length).toBeGreaterThan(10);
        expect(w.flips.filter((f) => f.alert === 'up').length).toBeGreaterThan(10);
        expect(w.flips.filter((f) => f.to === 'paused').length).toBeGreaterThan(10);
      });
    }
  }
});

describe('a story', () => {
  it('a flaky 5-minute job with failure threshold 2 and recovery threshold 2', () => {
    const w = new World(timing({ failure_threshold: 2, recovery_threshold: 2, max_runtime_s: 120 }), T0);
    const minute = (m: number, s = 0) => T0 + m * MIN + s * SEC;
    w.send('start', {}, minute(0));
    w.send('success', {}, minute(0, 30)); //   up
    w.send('fail', { exit_code: 1 }, minute(5, 20)); // one failure: still up
    w.send('start', {}, minute(6)); //       hangs…
    w.advanceTo(minute(8)); //               …times out at 8:00: second failure, down
    w.send('success', {}, minute(15)); //    one success: still down
    w.send('success', {}, minute(20)); //    two: up
    w.advanceTo(minute(45));
    expect(w.story()).toEqual([
      `${iso(minute(0, 30))} new→up`,
      `${iso(minute(8))} up→down [down]`,
      `${iso(minute(20))} down→up [up]`,
      `${iso(minute(31))} up→down [down]`,
    ]);
    expect(w.flips[1].reason).toBe(
      `run started at ${iso(minute(6))} did not finish within 2m (max runtime) (2 consecutive failures, threshold 2)`,
    );
    expect(w.flips[3].reason).toBe(
      `no heartbeat received within expected interval + grace period (5m + 1m); last heartbeat at ${iso(minute(20))} (2 consecutive failures, threshold 2)`,
    );
    expect(w.state.consecutive_failures).toBe(4);
  });
});
