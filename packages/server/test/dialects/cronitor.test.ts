// Cronitor telemetry: /p/{key}/{monitor} and the SDKs' /ping/{key}/{monitor}, with state, series, metric, host, env,
// status_code; the key is the workspace ping key and unknown monitors are created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, pingKeyOf, readCheck, SECOND, T0 } from '../support/checks.js';
import { rawRequest } from '../support/http.js';

describe('Cronitor telemetry', () => {
  let t: TestServer;
  let pingKey: string;
  const clock = new ManualClock(T0);
  const send = (path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) =>
    rawRequest(`${t.url}${path}`, init);
  /** The check a monitor key became, found by slug. */
  const monitor = async (slug: string) => {
    const res = await t.api('GET', `/api/v1/checks?q=${slug}`);
    return res.body.items.find((c: any) => c.slug === slug);
  };
  beforeAll(async () => {
    t = await startTestServer({ clock });
    pingKey = await pingKeyOf(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('wrap(): run then complete with the same series is one run, timed, on the host; the monitor is created by the first event', async () => {
    const run = await send(`/ping/${pingKey}/nightly-job?state=run&series=6359043d&host=worker-01&stamp=1796391961.49`, {
      headers: {
        accept: 'application/json, text/plain, */*',
        'user-agent': 'cronitor-js',
        authorization: `Basic ${Buffer.from(`${pingKey}:`).toString('base64')}`,
      },
    });
    expect(run.status).toBe(200);
    expect(run.body).toBe('OK');
    clock.advance(12 * SECOND);
    const complete = await send(
      `/ping/${pingKey}/nightly-job?state=complete&message=processed%2042%20rows&series=6359043d&host=worker-01&stamp=1796391961.506`,
    );
    expect(complete.status).toBe(200);
    const check = await monitor('nightly-job');
    expect(check).toMatchObject({
      name: 'nightly-job',
      status: 'up',
      run_count: 1,
      last_duration_ms: 12_000,
      last_message: 'processed 42 rows',
      schedule: { kind: 'interval', period_s: 86400 },
      grace_s: 3600,
    });
    const [runRow] = await history(t, check.id, 'runs');
    expect(runRow).toMatchObject({ rid: '6359043d', result: 'success', host: 'worker-01', duration_ms: 12_000 });
    const signals = await history(t, check.id, 'signals');
    expect(signals.map((s) => [s.kind, s.dialect])).toEqual([
      ['success', 'cronitor'],
      ['start', 'cronitor'],
    ]);
    expect(signals[0].metadata).toEqual({ stamp: 1796391961.506, state: 'complete' });
  });

  it('state=fail is a failure (never a success), with its message and status_code as the exit code', async () => {
    await send(`/p/${pingKey}/fail-job?state=run&series=630e0420`);
    const res = await send(`/p/${pingKey}/fail-job?state=fail&message=Error%3A%20boom&series=630e0420&status_code=3`);
    expect(res.status).toBe(200);
    const check = await monitor('fail-job');
    expect(check).toMatchObject({ status: 'down', last_message: 'Error: boom' });
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ result: 'fail', exit_code: 3, rid: '630e0420' });
  });

  it('metrics (repeated), env and a plain heartbeat without state: a success with the metrics kept', async () => {
    await send(`/p/${pingKey}/queue-worker?metric=error_count:1&metric=count:5&metric=duration:60&host=worker-01&env=production`);
    const check = await monitor('queue-worker');
    expect(check.status).toBe('up');
    const [signal] = await history(t, check.id, 'signals');
    expect(signal).toMatchObject({ kind: 'success', dialect: 'cronitor' });
    expect(signal.metadata).toEqual({ metrics: { error_count: 1, count: 5, duration: 60 }, env: 'production' });
  });

  it('state=ok resets to passing; msg is accepted for message; POST works like GET', async () => {
    await send(`/p/${pingKey}/reset-me?state=fail`);
    expect((await monitor('reset-me')).status).toBe('down');
    const res = await send(`/p/${pingKey}/reset-me?state=ok&msg=fixed%20by%20hand`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await monitor('reset-me')).toMatchObject({ status: 'up', last_message: 'fixed by hand' });
  });

  it('monitor keys keep working whatever their case or characters: one check per key, slugged', async () => {
    await send(`/p/${pingKey}/SendWelcomeEmail?state=run`);
    await send(`/p/${pingKey}/sendwelcomeemail?state=complete`);
    const check = await monitor('sendwelcomeemail');
    expect(check).toMatchObject({ name: 'SendWelcomeEmail', run_count: 1, running: false });
    await send(`/p/${pingKey}/billing.daily%20report`);
    expect(await monitor('billing-daily-report')).toMatchObject({ name: 'billing.daily report', status: 'up' });
  });

  it('an existing check is pinged by its slug, and by key or UUID on /ping/ with state', async () => {
    const check = await createCheck(t, { slug: 'existing-one' });
    await send(`/ping/${pingKey}/existing-one?state=fail&message=boom`);
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'down', last_message: 'boom' });
    await send(`/ping/${check.key}?state=complete`);
    expect((await readCheck(t, check.id)).status).toBe('up');
    await send(`/ping/${check.id}?state=fail`);
    expect((await readCheck(t, check.id)).status).toBe('down');
    expect((await history(t, check.id, 'signals')).map((s) => s.dialect)).toEqual(['cronitor', 'cronitor', 'cronitor']);
  });

  it('bad parameters are a 400 that says what to send, and nothing is recorded', async () => {
    for (const [query, words] of [
      ['state=done', /state must be run, complete, fail or ok/],
      ['metric=duration:abc', /metric must be name:number/],
      ['status_code=x', /status_code must be a whole number/],
    ] as const) {
      const res = await send(`/p/${pingKey}/bad-params?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatch(words);
    }
    expect(await monitor('bad-params')).toBeUndefined();
  });

  it("a key that is not a workspace ping key is a 404, and another workspace's key names its own checks only", async () => {
    const res = await send('/p/cb54ac4fd16142469f2d84fc1bbebd84/nightly-job?state=run');
    expect(res.status).toBe(404);
    const other = await t.otherWorkspace();
    await send(`/p/${other.pingKey}/nightly-job?state=fail`);
    expect((await monitor('nightly-job')).status).toBe('up');
  });

  it('answers allow any origin and a preflight is answered, not recorded', async () => {
    const pre = await send(`/p/${pingKey}/browser-job`, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.test', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(await monitor('browser-job')).toBeUndefined();
    expect((await send(`/p/${pingKey}/browser-job`)).headers['access-control-allow-origin']).toBe('*');
  });
});
