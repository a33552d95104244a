// The scheduler on a manual clock: late at the expected time, down after grace, runs that time out,
// failure thresholds and recovery — each at the exact millisecond, through the real store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, HOUR, iso, MINUTE, readCheck, SECOND, T0 } from '../support/checks.js';
import { signal } from '../../src/ingest/incoming-signal.js';

describe('the scheduler', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  const tick = () => t.server.runtime.scheduler.tick();
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('an interval check of 5 minutes with 1 minute grace goes late at 5 minutes and down at 6, not before', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    await t.ping(`/ping/${check.id}`);

    clock.set(T0 + 5 * MINUTE - 1);
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('up');

    clock.set(T0 + 5 * MINUTE);
    await tick();
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'late', next_deadline: iso(T0 + 6 * MINUTE) });

    clock.set(T0 + 6 * MINUTE - 1);
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('late');

    clock.set(T0 + 6 * MINUTE);
    await tick();
    const down = await readCheck(t, check.id);
    expect(down.status).toBe('down');
    const [flip] = await history(t, check.id, 'flips');
    expect(flip).toMatchObject({ at: iso(T0 + 6 * MINUTE), from: 'up', to: 'down' });
    expect(flip.reason).toContain('no heartbeat received within expected interval + grace period (5m + 1m)');
  });

  it('a down check keeps counting misses every period without flipping again, and a beat recovers it', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    await t.ping(`/ping/${check.id}`);
    clock.set(T0 + 6 * MINUTE);
    await tick();
    expect((await readCheck(t, check.id)).consecutive_failures).toBe(1);
    clock.set(T0 + 11 * MINUTE);
    await tick();
    clock.set(T0 + 16 * MINUTE);
    await tick();
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'down', consecutive_failures: 3 });
    // The first tick came after the grace period: straight from up to down.
    expect((await history(t, check.id, 'flips')).map((f) => f.to)).toEqual(['down', 'up']);

    clock.set(T0 + 17 * MINUTE);
    await t.ping(`/ping/${check.id}`);
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'up', consecutive_failures: 0, next_expected: iso(T0 + 22 * MINUTE) });
    const [recovery] = await history(t, check.id, 'flips');
    expect(recovery).toMatchObject({ from: 'down', to: 'up', at: iso(T0 + 17 * MINUTE), reason: 'heartbeat received; check recovered' });
  });

  it('a ping inside the grace period brings a late check back up, writing no flip', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    await t.ping(`/ping/${check.id}`);
    clock.set(T0 + 5 * MINUTE + 30 * SECOND);
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('late');
    await t.ping(`/ping/${check.id}`);
    clock.set(T0 + 6 * MINUTE);
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('up');
    expect((await history(t, check.id, 'flips')).map((f) => `${f.from}→${f.to}`)).toEqual(['new→up']);
  });

  it('a ping received a millisecond before the deadline but not yet stored when the pass starts keeps the check up: no flip down', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    await t.ping(`/ping/${check.id}`);
    // Received at 5:59.999 and queued for the next group commit, which has not run when the pass starts at 6:00.
    clock.set(T0 + 6 * MINUTE - 1);
    const stored = t.server.runtime.ingest.submit(signal({ ref: { by: 'id', id: check.id }, kind: 'success', dialect: 'test' }));
    clock.set(T0 + 6 * MINUTE);
    expect(await tick()).toBe(0);
    await stored;
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'up', next_deadline: iso(T0 + 6 * MINUTE - 1 + 5 * MINUTE) });
    expect((await history(t, check.id, 'flips')).map((f: { to: string }) => f.to)).toEqual(['up']);
  });

  it('a clock jump of a day yields one flip, not one per missed beat', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    await t.ping(`/ping/${check.id}`);
    clock.set(T0 + 24 * HOUR);
    await tick();
    const read = await readCheck(t, check.id);
    expect(read.status).toBe('down');
    expect(Date.parse(read.next_deadline)).toBeGreaterThan(T0 + 24 * HOUR);
    expect((await history(t, check.id, 'flips')).map((f) => f.to)).toEqual(['down', 'up']);
  });

  it('a cron check with 5 minutes grace goes down 5 minutes after a missed 02:00 Berlin run, not before', async () => {
    // 2026-03-02 is in CET (UTC+1): 02:00 Berlin is 01:00 UTC.
    clock.set('2026-03-02T01:00:30Z');
    const check = await createCheck(t, { schedule: { kind: 'cron', expr: '0 2 * * *', tz: 'Europe/Berlin' }, grace_s: 300 });
    await t.ping(`/ping/${check.id}`);
    expect((await readCheck(t, check.id)).next_expected).toBe('2026-03-03T01:00:00.000Z');
    clock.set('2026-03-03T01:04:59.999Z');
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('late');
    clock.set('2026-03-03T01:05:00.000Z');
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('down');
    const [flip] = await history(t, check.id, 'flips');
    expect(flip.reason).toContain('no heartbeat received within expected interval + grace period (cron "0 2 * * *" Europe/Berlin + 5m)');
  });

  it('a started run times out after max_runtime_s, counts as a failure and says so', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 3600 }, grace_s: 600, max_runtime_s: 900 });
    await t.ping(`/ping/${check.id}/start?rid=slow`);
    expect(await readCheck(t, check.id)).toMatchObject({ running: true, next_deadline: iso(T0 + 15 * MINUTE) });

    clock.set(T0 + 15 * MINUTE - 1);
    await tick();
    expect((await readCheck(t, check.id)).running).toBe(true);

    clock.set(T0 + 15 * MINUTE);
    await tick();
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'down', running: false, open_runs: 0, consecutive_failures: 1 });
    const [run] = await history(t, check.id, 'runs');
    expect(run).toMatchObject({
      rid: 'slow',
      result: 'timeout',
      started_at: iso(T0),
      ended_at: iso(T0 + 15 * MINUTE),
      duration_ms: 15 * MINUTE,
      running: false,
    });
    const [flip] = await history(t, check.id, 'flips');
    expect(flip).toMatchObject({
      to: 'down',
      at: iso(T0 + 15 * MINUTE),
      reason: `run started at ${iso(T0)} did not finish within 15m (max runtime)`,
    });

    // The late end of the timed-out run is not matched to it, and does not reopen anything.
    clock.set(T0 + 20 * MINUTE);
    await t.ping(`/ping/${check.id}?rid=slow`);
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ result: 'timeout' });
  });

  it('without max_runtime_s a run may take as long as the grace period', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 3600 }, grace_s: 120 });
    await t.ping(`/ping/${check.id}/start`);
    clock.set(T0 + 2 * MINUTE);
    await tick();
    const [run] = await history(t, check.id, 'runs');
    expect(run).toMatchObject({ result: 'timeout', duration_ms: 2 * MINUTE });
    expect((await history(t, check.id, 'flips'))[0].reason).toContain('grace period, no max runtime set');
  });

  it('of two overlapping runs only the one past its limit times out', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 3600 }, max_runtime_s: 600, failure_threshold: 2 });
    await t.ping(`/ping/${check.id}/start?rid=a`);
    clock.set(T0 + 5 * MINUTE);
    await t.ping(`/ping/${check.id}/start?rid=b`);
    clock.set(T0 + 10 * MINUTE);
    await tick();
    const runs = await history(t, check.id, 'runs');
    expect(Object.fromEntries(runs.map((r) => [r.rid, r.result]))).toEqual({ a: 'timeout', b: null });
    expect(await readCheck(t, check.id)).toMatchObject({ open_runs: 1, next_deadline: iso(T0 + 15 * MINUTE), consecutive_failures: 1 });
    expect((await readCheck(t, check.id)).status).not.toBe('down');
    clock.set(T0 + 15 * MINUTE);
    await tick();
    expect(await readCheck(t, check.id)).toMatchObject({ open_runs: 0, status: 'down', consecutive_failures: 2 });
  });

  it('failure_threshold 3 needs three consecutive failures; a success in between starts the count again', async () => {
    clock.set(T0);
    const check = await createCheck(t, { failure_threshold: 3 });
    await t.ping(`/ping/${check.id}/fail`);
    await t.ping(`/ping/${check.id}/fail`);
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'up', consecutive_failures: 2 });
    await t.ping(`/ping/${check.id}`);
    await t.ping(`/ping/${check.id}/fail`);
    await t.ping(`/ping/${check.id}/fail`);
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'up', consecutive_failures: 2 });
    expect((await t.api('GET', `/api/v1/incidents?check=${check.id}`)).body.items).toEqual([]);
    clock.advance(SECOND);
    await t.ping(`/ping/${check.id}/1`);
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'down', consecutive_failures: 3 });
    const [flip] = await history(t, check.id, 'flips');
    expect(flip).toMatchObject({
      from: 'up',
      to: 'down',
      reason: 'received a failure signal with exit code 1 (3 consecutive failures, threshold 3)',
    });
    expect((await t.api('GET', `/api/v1/incidents?check=${check.id}`)).body.items).toHaveLength(1);
  });

  it('failure_threshold counts missed beats too', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 600 }, grace_s: 60, failure_threshold: 2 });
    await t.ping(`/ping/${check.id}`);
    clock.set(T0 + 11 * MINUTE);
    await tick();
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'late', consecutive_failures: 1 });
    clock.set(T0 + 21 * MINUTE);
    await tick();
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'down', consecutive_failures: 2 });
    expect((await history(t, check.id, 'flips'))[0].reason).toContain('(2 consecutive failures, threshold 2)');
  });

  it('recovery_threshold 2 needs two successes to leave down', async () => {
    clock.set(T0);
    const check = await createCheck(t, { recovery_threshold: 2 });
    await t.ping(`/ping/${check.id}/fail`);
    expect((await readCheck(t, check.id)).status).toBe('down');
    await t.ping(`/ping/${check.id}`);
    expect((await readCheck(t, check.id)).status).toBe('down');
    await t.ping(`/ping/${check.id}`);
    expect((await readCheck(t, check.id)).status).toBe('up');
    expect((await history(t, check.id, 'flips'))[0].reason).toBe('heartbeat received; check recovered (2 consecutive successes)');
  });

  it('a new check that never pinged stays new (nothing is due) unless it alerts before its first ping', async () => {
    clock.set(T0);
    const quiet = await createCheck(t, { schedule: { kind: 'interval', period_s: 60 }, grace_s: 0 });
    const eager = await createCheck(t, { schedule: { kind: 'interval', period_s: 60 }, grace_s: 30, alert_before_first_ping: true });
    clock.set(T0 + HOUR);
    await tick();
    expect((await readCheck(t, quiet.id)).status).toBe('new');
    expect((await readCheck(t, eager.id)).status).toBe('down');
    expect((await history(t, eager.id, 'flips'))[0].reason).toContain('no heartbeat ever received');
  });

  it('a disabled check is never due', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 60 }, grace_s: 0 });
    await t.ping(`/ping/${check.id}`);
    await t.api('PATCH', `/api/v1/checks/${check.id}`, { enabled: false });
    expect((await readCheck(t, check.id)).next_deadline).toBeNull();
    clock.set(T0 + HOUR);
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('up');
  });
});
