// The Sentry envelope endpoint on the wire: the exact bytes @sentry/node and sentry-cli send (captured, see
// shared/reports/sentry-envelope-samples.txt), every way a DSN key arrives, compression, and refusals.
import zlib from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, MINUTE, pingKeyOf, readCheck, SECOND, T0 } from '../support/checks.js';
import { rawRequest } from '../support/http.js';

const SDK_HEADER =
  '{"sent_at":"2026-12-04T13:46:08.331Z","sdk":{"name":"sentry.javascript.node","version":"11.12.0"},"trace":{"environment":"production","release":"my-app@1.0.0","public_key":"publickey","trace_id":"14d318a95907421ca15927536ad2b3fa"}}';
const checkIn = (fields: Record<string, unknown>) =>
  JSON.stringify({ check_in_id: '2420b0b498894320bdc8722b7140b78a', release: 'my-app@1.0.0', environment: 'production', ...fields });
/** An envelope as the JS SDK writes it: newline-delimited items, no length, no trailing newline. */
const sdkEnvelope = (payload: string) => `${SDK_HEADER}\n{"type":"check_in"}\n${payload}`;
/** An envelope as sentry-cli writes it: `{}` header, item headers with length, a trailing newline. */
const cliEnvelope = (payload: string) => `{}\n{"type":"check_in","length":${Buffer.byteLength(payload)}}\n${payload}\n`;

describe('Sentry envelopes', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  let pingKey: string;
  const post = (body: Buffer | string, options: { query?: string; headers?: Record<string, string>; path?: string } = {}) =>
    rawRequest(
      `${t.url}${options.path ?? '/api/1/envelope/'}${options.query ?? `?sentry_version=7&sentry_key=${pingKey}&sentry_client=sentry.javascript.node%2F11.12.0`}`,
      { method: 'POST', body, headers: { 'user-agent': 'sentry.javascript.node/11.12.0', ...options.headers } },
    ).then((r) => ({ ...r, json: r.body ? JSON.parse(r.body) : null }));
  const bySlug = async (slug: string) => (await t.api('GET', '/api/v1/checks?limit=200')).body.items.find((c: any) => c.slug === slug);

  beforeAll(async () => {
    t = await startTestServer({ clock });
    pingKey = await pingKeyOf(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it("the JS SDK's captured in_progress and ok envelopes: a run under the check-in id, answered 200 {}", async () => {
    const start = await post(
      sdkEnvelope(
        checkIn({
          monitor_slug: 'sdk-manual',
          status: 'in_progress',
          contexts: { trace: { trace_id: '14d318a95907421ca15927536ad2b3fa' } },
        }),
      ),
    );
    expect(start).toMatchObject({ status: 200, json: {} });
    clock.advance(1500);
    const end = await post(sdkEnvelope(checkIn({ monitor_slug: 'sdk-manual', status: 'ok', duration: 1.5 })));
    expect(end).toMatchObject({ status: 200, json: {} });

    const check = await bySlug('sdk-manual');
    // Created without a monitor_config: its schedule is a guess (daily) until someone sets it.
    expect(check).toMatchObject({
      status: 'up',
      schedule: { kind: 'interval', period_s: 86400 },
      grace_s: 3600,
      max_runtime_s: 1800,
      run_count: 1,
    });
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({
      rid: '2420b0b498894320bdc8722b7140b78a',
      result: 'success',
      duration_ms: 1500,
    });
    expect((await history(t, check.id, 'signals'))[0]).toMatchObject({
      kind: 'success',
      dialect: 'sentry',
      metadata: { duration_s: 1.5, environment: 'production' },
    });
  });

  it('sentry-cli: the key in X-Sentry-Auth, item lengths, a trailing newline; exit 3 reports error and the check goes down', async () => {
    const auth = {
      'x-sentry-auth': `Sentry sentry_key=${pingKey}, sentry_version=7, sentry_timestamp=1796392195.5509431, sentry_client=sentry-cli/x86_64`,
      'user-agent': 'sentry-cli/3.8.0',
    };
    const id = 'fc0f0fa74ee24cd095cb5bbe80cba497';
    const started = await post(
      cliEnvelope(
        `{"check_in_id":"${id}","monitor_slug":"cli-job","status":"in_progress","environment":"production","monitor_config":{"schedule":{"type":"crontab","value":"*/5 * * * *"},"checkin_margin":2,"max_runtime":10,"timezone":"UTC"}}`,
      ),
      { query: '', headers: auth },
    );
    expect(started).toMatchObject({ status: 200, json: {} });
    clock.advance(4 * SECOND);
    const failed = await post(
      cliEnvelope(`{"check_in_id":"${id}","monitor_slug":"cli-job","status":"error","environment":"production","duration":0.003656761}`),
      { query: '', headers: auth },
    );
    expect(failed.status).toBe(200);
    const check = await bySlug('cli-job');
    expect(check).toMatchObject({
      status: 'down',
      schedule: { kind: 'cron', expr: '*/5 * * * *', tz: 'UTC' },
      grace_s: 120,
      max_runtime_s: 600,
    });
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ rid: id, result: 'fail', duration_ms: 4000 });
  });

  it('client reports, sessions, events and transactions are accepted and ignored; an event id is answered back', async () => {
    const before = (await t.api('GET', '/api/v1/checks?limit=200')).body.items.length;
    const report = await post(
      '{}\n{"type":"client_report"}\n{"timestamp":1796391968.468,"discarded_events":[{"reason":"sample_rate","category":"span","quantity":1}]}',
    );
    expect(report).toMatchObject({ status: 200, json: {} });
    const sessions = await post(
      '{"sent_at":"2026-12-04T13:46:08.469Z"}\n{"type":"sessions"}\n{"aggregates":[{"started":"2026-12-04T13:46:00.000Z","exited":1}],"attrs":{"release":"my-app@1.0.0"}}',
    );
    expect(sessions.status).toBe(200);
    const event = await post(
      '{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","sent_at":"2026-12-04T13:46:08.469Z"}\n{"type":"event","length":41}\n{"message":"boom","level":"error","x":1}\n{"type":"attachment","length":5,"filename":"a.txt"}\nhello\n{"type":"transaction"}\n{"spans":[]}\n',
    );
    expect(event).toMatchObject({ status: 200, json: { id: '9ec79c33ec9942ab8353589fcb2e04dc' } });
    expect((await t.api('GET', '/api/v1/checks?limit=200')).body.items.length).toBe(before);
  });

  it('gzip, deflate and br bodies (the SDK compresses large ones), with or without the envelope content type', async () => {
    const cases: [string, (b: Buffer) => Buffer][] = [
      ['gzip', zlib.gzipSync],
      ['deflate', zlib.deflateSync],
      ['br', zlib.brotliCompressSync],
    ];
    for (const [encoding, compress] of cases) {
      const body = compress(
        Buffer.from(sdkEnvelope(checkIn({ monitor_slug: `zipped-${encoding}`, status: 'ok', check_in_id: undefined }))),
      );
      const res = await post(body, { headers: { 'content-encoding': encoding, 'content-type': 'application/x-sentry-envelope' } });
      expect(res.status, `${encoding}: ${res.body}`).toBe(200);
      expect(await bySlug(`zipped-${encoding}`), encoding).toMatchObject({ status: 'up', signal_count: 1 });
    }
  });

  it('the key in the DSN of the envelope header (the tunnel option), in Authorization: Sentry, or as Basic user', async () => {
    const dsn = `{"dsn":"http://${pingKey}@overdue.example/1"}`;
    expect((await post(`${dsn}\n{"type":"check_in"}\n${checkIn({ monitor_slug: 'tunnelled', status: 'ok' })}`, { query: '' })).status).toBe(
      200,
    );
    expect(
      (
        await post(cliEnvelope(checkIn({ monitor_slug: 'tunnelled', status: 'ok' })), {
          query: '',
          headers: { authorization: `Sentry sentry_key=${pingKey}, sentry_version=7` },
        })
      ).status,
    ).toBe(200);
    const basic = Buffer.from(`${pingKey}:`).toString('base64');
    expect(
      (
        await post(cliEnvelope(checkIn({ monitor_slug: 'tunnelled', status: 'ok' })), {
          query: '',
          headers: { authorization: `Basic ${basic}` },
        })
      ).status,
    ).toBe(200);
    expect((await bySlug('tunnelled')).signal_count).toBe(3);
  });

  it('an all-zero check-in id closes the latest in-progress run; a later config changes only what it names', async () => {
    await post(
      sdkEnvelope(
        checkIn({
          monitor_slug: 'zeroes',
          status: 'in_progress',
          check_in_id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
          monitor_config: { schedule: { type: 'interval', value: '2', unit: 'hour' }, failure_issue_threshold: 2 },
        }),
      ),
    );
    clock.advance(MINUTE);
    await post(sdkEnvelope(checkIn({ monitor_slug: 'zeroes', status: 'ok', check_in_id: '00000000-0000-0000-0000-000000000000' })));
    const check = await bySlug('zeroes');
    expect(check).toMatchObject({
      running: false,
      run_count: 1,
      schedule: { kind: 'interval', period_s: 7200 },
      failure_threshold: 2,
      grace_s: 60,
    });
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ rid: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', duration_ms: 60_000 });

    // A dashboard change the config does not name survives the next check-in; what it names follows the code.
    await t.api('PATCH', `/api/v1/checks/${check.id}`, { recovery_threshold: 4 });
    await post(
      sdkEnvelope(
        checkIn({
          monitor_slug: 'zeroes',
          status: 'ok',
          monitor_config: { schedule: { type: 'interval', value: 2, unit: 'hour' }, checkin_margin: 15 },
        }),
      ),
    );
    expect(await readCheck(t, check.id)).toMatchObject({
      recovery_threshold: 4,
      failure_threshold: 2,
      grace_s: 900,
      schedule: { kind: 'interval', period_s: 7200 },
    });
  });

  it("node-cron's six-field crontabs: a fixed second is dropped, every-second becomes an interval, others keep the schedule", async () => {
    await post(
      sdkEnvelope(
        checkIn({ monitor_slug: 'node-cron-a', status: 'ok', monitor_config: { schedule: { type: 'crontab', value: '0 */15 * * * *' } } }),
      ),
    );
    expect((await bySlug('node-cron-a')).schedule).toEqual({ kind: 'cron', expr: '*/15 * * * *', tz: 'UTC' });
    await post(
      sdkEnvelope(
        checkIn({ monitor_slug: 'node-cron-b', status: 'ok', monitor_config: { schedule: { type: 'crontab', value: '* * * * * *' } } }),
      ),
    );
    expect((await bySlug('node-cron-b')).schedule).toEqual({ kind: 'interval', period_s: 1 });
    const res = await post(
      sdkEnvelope(
        checkIn({
          monitor_slug: 'node-cron-c',
          status: 'ok',
          monitor_config: { schedule: { type: 'crontab', value: '*/10 * 9-17 * * *' } },
        }),
      ),
    );
    expect(res.status).toBe(200);
    const kept = await bySlug('node-cron-c');
    expect(kept).toMatchObject({ schedule: { kind: 'interval', period_s: 86400 }, grace_s: 3600 });
    expect((await history(t, kept.id, 'signals'))[0].metadata.schedule_ignored).toMatch(/sub-minute/);
  });

  it('a check-in for an existing check by its slug signals it; a disabled check is a 404, not a silent 200', async () => {
    const existing = await createCheck(t, { name: 'Made in Overdue', slug: 'made-here', schedule: { kind: 'interval', period_s: 600 } });
    expect((await post(sdkEnvelope(checkIn({ monitor_slug: 'Made-Here', status: 'ok' })))).status).toBe(200);
    expect(await readCheck(t, existing.id)).toMatchObject({ signal_count: 1, schedule: { kind: 'interval', period_s: 600 } });
    await t.api('PATCH', `/api/v1/checks/${existing.id}`, { enabled: false });
    const res = await post(
      sdkEnvelope(
        checkIn({ monitor_slug: 'made-here', status: 'ok', monitor_config: { schedule: { type: 'crontab', value: '0 4 * * *' } } }),
      ),
    );
    expect(res).toMatchObject({ status: 404, json: { error: { code: 'monitor_not_found' } } });
    // Refused as a whole: the config it carried changed nothing either.
    expect(await readCheck(t, existing.id)).toMatchObject({ signal_count: 1, schedule: { kind: 'interval', period_s: 600 } });
  });

  it("another workspace's ping key reaches only that workspace's monitors", async () => {
    const other = await t.otherWorkspace();
    await createCheck(t, { name: 'shared name', slug: 'shared-name' });
    const res = await post(sdkEnvelope(checkIn({ monitor_slug: 'shared-name', status: 'ok' })), { query: `?sentry_key=${other.pingKey}` });
    expect(res.status).toBe(200);
    expect((await bySlug('shared-name')).signal_count).toBe(0);
    const theirs = (await t.api('GET', '/api/v1/checks?limit=200', undefined, other.key)).body.items;
    expect(theirs.map((c: any) => [c.slug, c.signal_count])).toEqual([['shared-name', 1]]);
  });

  it('refusals are 4xx JSON naming the problem, and store nothing', async () => {
    const before = (await t.api('GET', '/api/v1/checks?limit=200')).body.items.length;
    const refused = async (body: Buffer | string, code: string, status = 400, options: Parameters<typeof post>[1] = {}) => {
      const res = await post(body, options);
      expect(res.status, res.body).toBe(status);
      expect(res.json.error.code).toBe(code);
    };
    await refused(cliEnvelope(checkIn({ monitor_slug: 'x', status: 'ok' })), 'missing_dsn_key', 401, { query: '' });
    await refused(cliEnvelope(checkIn({ monitor_slug: 'x', status: 'ok' })), 'invalid_dsn_key', 401, { query: '?sentry_key=publickey' });
    await refused(cliEnvelope(checkIn({ monitor_slug: 'x', status: 'ok' })), 'invalid_dsn_key', 401, {
      query: `?sentry_key=${'Z'.repeat(22)}`,
    });
    await refused('', 'invalid_envelope');
    await refused('not json\n{"type":"check_in"}\n{}', 'invalid_envelope');
    await refused('{}\n{"type":"check_in","length":500}\n{"status":"ok"}', 'invalid_envelope');
    await refused('{}\n{"length":2}\n{}', 'invalid_envelope');
    await refused('{}\n{"type":"check_in"}\nnot json', 'invalid_check_in');
    await refused(sdkEnvelope(checkIn({ monitor_slug: 'x', status: 'missed' })), 'invalid_check_in');
    await refused(sdkEnvelope(checkIn({ status: 'ok' })), 'invalid_check_in');
    await refused(sdkEnvelope(checkIn({ monitor_slug: 'x', status: 'ok', check_in_id: 'run-1' })), 'invalid_check_in');
    await refused(sdkEnvelope(checkIn({ monitor_slug: 'x', status: 'ok', duration: -1 })), 'invalid_check_in');
    await refused(
      sdkEnvelope(checkIn({ monitor_slug: 'x', status: 'ok', monitor_config: { schedule: { type: 'crontab', value: '61 * * * *' } } })),
      'invalid_monitor_config',
    );
    await refused(
      sdkEnvelope(
        checkIn({ monitor_slug: 'x', status: 'ok', monitor_config: { schedule: { type: 'interval', value: 1, unit: 'fortnight' } } }),
      ),
      'invalid_monitor_config',
    );
    await refused(
      sdkEnvelope(
        checkIn({
          monitor_slug: 'x',
          status: 'ok',
          monitor_config: { schedule: { type: 'crontab', value: '0 2 * * *' }, timezone: 'Mars/Olympus' },
        }),
      ),
      'invalid_monitor_config',
    );
    await refused(
      sdkEnvelope(
        checkIn({
          monitor_slug: 'x',
          status: 'ok',
          monitor_config: { schedule: { type: 'crontab', value: '0 2 * * *' }, checkin_margin: 'soon' },
        }),
      ),
      'invalid_monitor_config',
    );
    await refused(Buffer.from('not gzip at all'), 'invalid_encoding', 400, { headers: { 'content-encoding': 'gzip' } });
    await refused(Buffer.from('x'), 'unsupported_encoding', 415, { headers: { 'content-encoding': 'zstd' } });
    // A check-in valid on its own is not stored when another item of its envelope is refused.
    await refused(
      `{}\n{"type":"check_in"}\n${checkIn({ monitor_slug: 'x', status: 'ok' })}\n{"type":"check_in"}\n${checkIn({ monitor_slug: 'y', status: 'later' })}`,
      'invalid_check_in',
    );
    const notDigits = await post(cliEnvelope(checkIn({ monitor_slug: 'x', status: 'ok' })), { path: '/api/my-project/envelope/' });
    expect(notDigits.status).toBe(404);
    expect((await t.api('GET', '/api/v1/checks?limit=200')).body.items.length).toBe(before);
  });

  it('hostile bodies (random bytes, broken lengths, odd JSON, with or without gzip) are answered below 500', async () => {
    const line = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
      fc.string({ maxLength: 40 }),
      fc
        .record(
          {
            type: fc.constantFrom('check_in', 'event', ''),
            length: fc.oneof(fc.integer({ min: -5, max: 400 }), fc.double(), fc.constant('7')),
          },
          { requiredKeys: ['type'] },
        )
        .map((h) => JSON.stringify(h)),
      fc
        .record(
          {
            monitor_slug: fc.string({ maxLength: 30 }),
            status: fc.constantFrom('ok', 'error', 'in_progress', 'x'),
            check_in_id: fc.oneof(fc.uuid(), fc.string()),
            duration: fc.oneof(fc.double(), fc.string()),
            monitor_config: fc.oneof(
              fc.jsonValue({ maxDepth: 3 }),
              fc.record({
                schedule: fc.record({
                  type: fc.constantFrom('crontab', 'interval'),
                  value: fc.oneof(fc.string(), fc.double()),
                  unit: fc.string(),
                }),
              }),
            ),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
      fc.array(line, { maxLength: 6 }).map((lines) => Buffer.from(lines.join('\n'))),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (bytes, zipped) => {
        const res = await post(zipped ? zlib.gzipSync(bytes) : bytes, { headers: zipped ? { 'content-encoding': 'gzip' } : {} });
        expect(res.status, res.body).toBeLessThan(500);
        if (res.status >= 400) expect(res.json.error.code).toMatch(/^[a-z_]+$/);
      }),
      { numRuns: 150 },
    );
  });

  it('a body that decompresses past the bound is a 413, not a stall or a crash', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(9 * 1024 * 1024, 0x20));
    const res = await post(bomb, { headers: { 'content-encoding': 'gzip' } });
    expect(res).toMatchObject({ status: 413, json: { error: { code: 'envelope_too_large' } } });
  });
});
