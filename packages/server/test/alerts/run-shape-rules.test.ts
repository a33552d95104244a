// Run-shape rules through the real server on a manual clock: a run that finished too fast, a success that came too
// soon, a run far longer than usual, and progress that keeps a long run alive. Each says why in flips and alerts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, iso, MINUTE, readCheck, SECOND, T0 } from '../support/checks.js';
import { startReceiver, type Receiver } from '../support/http.js';

const DAY = 24 * 60 * MINUTE;

describe('run-shape rules', () => {
  let t: TestServer;
  let receiver: Receiver;
  const clock = new ManualClock(T0);
  const tick = () => t.server.runtime.scheduler.tick();
  const alertsOf = (checkId: string) => receiver.requests.filter((r) => r.json?.check?.id === checkId).map((r) => r.json);

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestServer({ clock, env: { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' } });
    expect(
      (await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'hook', config: { url: `${receiver.url}/hook` } })).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('a backup check with min_runtime_s 60 goes down when a run finishes after 3 s, and says so in the flip, the run and the alert', async () => {
    clock.set(T0);
    const check = await createCheck(t, {
      name: 'nightly backup',
      schedule: { kind: 'interval', period_s: 86400 },
      max_runtime_s: 3600,
      min_runtime_s: 60,
    });
    expect(check).toMatchObject({ min_runtime_s: 60, early_tolerance_s: null, duration_anomaly_factor: null, extend_on_progress: false });
    await t.ping(`/ping/${check.id}/start`);
    clock.advance(3 * SECOND);
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(200);

    const reason = 'run finished in 3s, under the minimum run time of 1m (finished too fast)';
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'down', consecutive_failures: 1 });
    expect((await history(t, check.id, 'flips'))[0]).toMatchObject({ from: 'new', to: 'down', reason });
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ result: 'success', duration_ms: 3000, rule_violation: reason });
    await t.server.runtime.delivery.runOnce();
    expect(alertsOf(check.id)[0]).toMatchObject({ event: 'check.down', summary: `nightly backup is DOWN: ${reason}` });

    // The next run that takes its time brings it back; its run carries no violation.
    clock.advance(DAY);
    await t.ping(`/ping/${check.id}/start`);
    clock.advance(5 * MINUTE);
    await t.ping(`/ping/${check.id}`);
    expect((await readCheck(t, check.id)).status).toBe('up');
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ result: 'success', rule_violation: null });
  });

  it('an hourly check with 5 minutes early tolerance goes down when a second success comes 30 minutes after the first, and says so', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 3600 }, early_tolerance_s: 300 });
    await t.ping(`/ping/${check.id}`);
    clock.advance(30 * MINUTE);
    await t.ping(`/ping/${check.id}`);
    expect((await readCheck(t, check.id)).status).toBe('down');
    expect((await history(t, check.id, 'flips'))[0].reason).toBe(
      `ran too often: success 30m after the previous one at ${iso(T0)}, expected every 1h (tolerance 5m)`,
    );
  });

  it("a nightly cron check goes down on a second success in the same night, not on one a little before the next night's tick", async () => {
    clock.set(Date.parse('2026-03-02T02:00:30Z'));
    const check = await createCheck(t, { schedule: { kind: 'cron', expr: '0 2 * * *', tz: 'UTC' }, grace_s: 3600, early_tolerance_s: 60 });
    await t.ping(`/ping/${check.id}`);
    clock.set(Date.parse('2026-03-03T01:59:30Z'));
    await t.ping(`/ping/${check.id}`);
    expect((await readCheck(t, check.id)).status).toBe('up');
    clock.set(Date.parse('2026-03-03T02:20:00Z'));
    await t.ping(`/ping/${check.id}`);
    expect((await readCheck(t, check.id)).status).toBe('down');
    expect((await history(t, check.id, 'flips'))[0].reason).toMatch(
      /^ran too often: success 20m30s after the previous one at 2026-03-03T01:59:30.000Z, expected once per tick of cron "0 2 \* \* \*" UTC/,
    );
  });

  it('a job that usually takes about 10 minutes goes down when a run takes 25, with the duration, p95 and k in the reason', async () => {
    clock.set(T0);
    const check = await createCheck(t, {
      schedule: { kind: 'interval', period_s: 86400 },
      max_runtime_s: 7200,
      duration_anomaly_factor: 2,
    });
    const run = async (minutes: number) => {
      await t.ping(`/ping/${check.id}/start`);
      clock.advance(minutes * MINUTE);
      await t.ping(`/ping/${check.id}`);
      clock.advance(DAY - minutes * MINUTE);
    };
    for (const m of [8, 9, 10, 9, 8, 10, 9, 9, 8, 10]) await run(m);
    expect((await readCheck(t, check.id)).status).toBe('up');
    await run(25);
    expect((await readCheck(t, check.id)).status).toBe('down');
    expect((await history(t, check.id, 'flips'))[0].reason).toBe(
      'run took 25m, more than 2 × its usual p95 of 10m (learned from its last 10 successful runs; duration anomaly)',
    );
  });

  it('a check with extend_on_progress and max runtime 10 min stays up through a 30-minute run reporting progress every 5 minutes, showing the pushed deadline', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 86400 }, max_runtime_s: 600, extend_on_progress: true });
    await t.ping(`/ping/${check.id}`);
    clock.advance(MINUTE);
    const start = clock.now();
    await t.ping(`/ping/${check.id}/start`);
    expect((await readCheck(t, check.id)).current_run.deadline_at).toBe(iso(start + 10 * MINUTE));
    for (let m = 5; m <= 30; m += 5) {
      clock.set(start + m * MINUTE);
      await tick();
      await t.ping(`/ping/${check.id}/progress/${m * 3}`);
      expect(await readCheck(t, check.id)).toMatchObject({
        status: 'up',
        running: true,
        current_run: { deadline_at: iso(start + (m + 10) * MINUTE) },
      });
    }
    clock.set(start + 32 * MINUTE);
    await t.ping(`/ping/${check.id}`);
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'up', running: false, last_duration_ms: 32 * MINUTE });
  });

  it('…and times out 10 min after the last progress, not before, saying the run went quiet', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 86400 }, max_runtime_s: 600, extend_on_progress: true });
    await t.ping(`/ping/${check.id}`);
    const start = clock.now();
    await t.ping(`/ping/${check.id}/start`);
    for (let m = 5; m <= 30; m += 5) {
      clock.set(start + m * MINUTE);
      await tick();
      await t.ping(`/ping/${check.id}/log`, { method: 'POST', body: `step ${m}` });
    }
    clock.set(start + 40 * MINUTE - 1);
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('up');
    clock.set(start + 40 * MINUTE);
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('down');
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ result: 'timeout', ended_at: iso(start + 40 * MINUTE) });
    expect((await history(t, check.id, 'flips'))[0].reason).toBe(
      `run started at ${iso(start)} went quiet: no progress, log or end within 10m (max runtime) after its last progress at ${iso(start + 30 * MINUTE)}`,
    );
  });
});

describe('run-shape settings in the API', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('are read back, changed, and turned off with null', async () => {
    const check = await createCheck(t, {
      min_runtime_s: 30,
      early_tolerance_s: 60,
      duration_anomaly_factor: 2.5,
      extend_on_progress: true,
    });
    expect(check).toMatchObject({ min_runtime_s: 30, early_tolerance_s: 60, duration_anomaly_factor: 2.5, extend_on_progress: true });
    const changed = await t.api('PATCH', `/api/v1/checks/${check.id}`, { min_runtime_s: null, duration_anomaly_factor: 3 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      min_runtime_s: null,
      early_tolerance_s: 60,
      duration_anomaly_factor: 3,
      extend_on_progress: true,
    });
  });

  it('refuse settings that cannot work, with a sentence saying what to change', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ min_runtime_s: 600, max_runtime_s: 300 }, /min_runtime_s \(600\) must be less than max_runtime_s \(300\)/],
      [
        { schedule: { kind: 'interval', period_s: 300 }, early_tolerance_s: 300 },
        /early_tolerance_s \(300\) must be less than the period \(300 s\)/,
      ],
      [{ duration_anomaly_factor: 0.5 }, /duration_anomaly_factor/],
      [{ min_runtime_s: 0 }, /min_runtime_s/],
      [{ extend_on_progress: 'soon' }, /extend_on_progress/],
    ];
    for (const [fields, message] of cases) {
      const res = await t.api('POST', '/api/v1/checks', { name: 'bad shape', ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    // A change checked against what is stored: a max runtime below the stored minimum is refused.
    const check = await createCheck(t, { min_runtime_s: 120 });
    const res = await t.api('PATCH', `/api/v1/checks/${check.id}`, { max_runtime_s: 60 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_field' });
  });

  it('are in the OpenAPI document and in monitors-as-code export and apply', async () => {
    const doc = (await t.api('GET', '/api/v1/openapi.json')).body;
    const text = JSON.stringify(doc);
    for (const field of [
      'min_runtime_s',
      'early_tolerance_s',
      'duration_anomaly_factor',
      'extend_on_progress',
      'rule_violation',
      'deadline_at',
    ])
      expect(text).toContain(field);

    const applied = await t.api('POST', '/api/v1/apply', {
      document: { version: 1, checks: [{ slug: 'shaped', min_runtime_s: 45, extend_on_progress: true }] },
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const exported = (await t.api('GET', '/api/v1/export?format=json')).body;
    expect(exported.checks.find((c: any) => c.slug === 'shaped')).toMatchObject({
      min_runtime_s: 45,
      early_tolerance_s: null,
      duration_anomaly_factor: null,
      extend_on_progress: true,
    });
  });
});
