// Runs from pings: start/end pairs, run ids for overlapping runs, exit codes, logs and progress. Times are exact (manual clock).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, iso, readCheck, SECOND, T0 } from '../support/checks.js';

describe('runs from pings', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('start then success is one run with its duration', async () => {
    clock.set(T0);
    const check = await createCheck(t);
    await t.ping(`/ping/${check.id}/start`);
    clock.advance(42 * SECOND);
    await t.ping(`/ping/${check.id}`);
    const [run] = await history(t, check.id, 'runs');
    expect(run).toMatchObject({
      started_at: iso(T0),
      ended_at: iso(T0 + 42 * SECOND),
      duration_ms: 42_000,
      result: 'success',
      running: false,
    });
    expect(await readCheck(t, check.id)).toMatchObject({ run_count: 1, last_duration_ms: 42_000, running: false, status: 'up' });
  });

  it('a run names the machine it ran on, from ?host= or the X-Overdue-Host header', async () => {
    clock.set(T0);
    const check = await createCheck(t);
    await t.ping(`/ping/${check.id}/start?rid=one&host=db-01`);
    await t.ping(`/ping/${check.id}/0?rid=one`);
    await t.ping(`/ping/${check.id}/start?rid=two`, { headers: { 'x-overdue-host': 'worker-7' } });
    await t.ping(`/ping/${check.id}/1?rid=two`, { headers: { 'x-overdue-host': 'worker-7' } });
    const byRid = Object.fromEntries((await history(t, check.id, 'runs')).map((r) => [r.rid, r]));
    expect(byRid.one).toMatchObject({ host: 'db-01', result: 'success' });
    expect(byRid.two).toMatchObject({ host: 'worker-7', result: 'fail' });
    expect(await readCheck(t, check.id)).toMatchObject({ host: 'worker-7' });
    await t.ping(`/ping/${check.id}/start?rid=three`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"metadata":{"hostname":"db-9"}}',
    });
    expect((await history(t, check.id, 'runs')).find((r) => r.rid === 'three')).toMatchObject({ host: 'db-9' });
  });

  it('matches overlapping runs by rid, whatever order they end in', async () => {
    clock.set(T0);
    const check = await createCheck(t);
    await t.ping(`/ping/${check.id}/start?rid=alpha`);
    clock.advance(10 * SECOND);
    await t.ping(`/ping/${check.id}/start?rid=beta`);
    clock.advance(5 * SECOND);
    expect(await readCheck(t, check.id)).toMatchObject({ open_runs: 2, running: true });
    // alpha ends first although beta started later: 15 s for alpha.
    await t.ping(`/ping/${check.id}?rid=alpha`);
    clock.advance(20 * SECOND);
    await t.ping(`/ping/${check.id}/fail?rid=beta`);
    const runs = await history(t, check.id, 'runs');
    const byRid = Object.fromEntries(runs.map((r) => [r.rid, r]));
    expect(byRid.alpha).toMatchObject({ started_at: iso(T0), duration_ms: 15_000, result: 'success' });
    expect(byRid.beta).toMatchObject({ started_at: iso(T0 + 10 * SECOND), duration_ms: 25_000, result: 'fail' });
    expect(await readCheck(t, check.id)).toMatchObject({ open_runs: 0, run_count: 2, last_duration_ms: 25_000 });
  });

  it('run_id is an alias of rid', async () => {
    clock.set(T0);
    const check = await createCheck(t);
    await t.ping(`/ping/${check.id}/start?run_id=r-1`);
    await t.ping(`/ping/${check.id}/start?run_id=r-2`);
    clock.advance(3 * SECOND);
    await t.ping(`/ping/${check.id}/end/success?run_id=r-1`);
    const runs = await history(t, check.id, 'runs');
    expect(runs.find((r) => r.rid === 'r-1')).toMatchObject({ result: 'success', duration_ms: 3000 });
    expect(runs.find((r) => r.rid === 'r-2')).toMatchObject({ result: null, running: true });
  });

  it('a repeated start with the same rid is a retry, not a second run', async () => {
    clock.set(T0);
    const check = await createCheck(t);
    await t.ping(`/ping/${check.id}/start?rid=same`);
    await t.ping(`/ping/${check.id}/start?rid=same`);
    expect(await history(t, check.id, 'runs')).toHaveLength(1);
  });

  it('without rids, a new start supersedes an open run (it is closed as abandoned)', async () => {
    clock.set(T0);
    const check = await createCheck(t);
    await t.ping(`/ping/${check.id}/start`);
    clock.advance(SECOND);
    await t.ping(`/ping/${check.id}/start`);
    clock.advance(SECOND);
    await t.ping(`/ping/${check.id}`);
    const runs = await history(t, check.id, 'runs');
    expect(runs.map((r) => r.result)).toEqual(['success', 'abandoned']);
    expect(runs[0].duration_ms).toBe(1000);
  });

  it('an exit status of 0 is a success and any other is a failure, with the code kept', async () => {
    clock.set(T0);
    const check = await createCheck(t);
    await t.ping(`/ping/${check.id}/start`);
    await t.ping(`/ping/${check.id}/0`);
    clock.advance(SECOND);
    await t.ping(`/ping/${check.id}/start`);
    await t.ping(`/ping/${check.id}/3`);
    const runs = await history(t, check.id, 'runs');
    expect(runs.map((r) => [r.result, r.exit_code])).toEqual([
      ['fail', 3],
      ['success', 0],
    ]);
    const signals = await history(t, check.id, 'signals');
    expect(signals.slice(0, 1)).toMatchObject([{ kind: 'fail', exit_code: 3 }]);
    const read = await readCheck(t, check.id);
    expect(read.status).toBe('down');
    const [flip] = await history(t, check.id, 'flips');
    expect(flip).toMatchObject({ to: 'down', reason: expect.stringContaining('exit code 3') });
  });

  it("a log changes no status and no run result, but updates the open run's message", async () => {
    clock.set(T0);
    const check = await createCheck(t);
    await t.ping(`/ping/${check.id}/log?msg=before%20anything`);
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'new', signal_count: 1, run_count: 0 });
    await t.ping(`/ping/${check.id}/start`);
    await t.ping(`/ping/${check.id}/log?msg=halfway`);
    const [run] = await history(t, check.id, 'runs');
    expect(run).toMatchObject({ running: true, last_message: 'halfway', result: null });
    expect(await history(t, check.id, 'flips')).toEqual([]);
  });

  it('progress with a percent updates the run; progress without one keeps the percent and sets the message', async () => {
    clock.set(T0);
    const check = await createCheck(t);
    await t.ping(`/ping/${check.id}/start?rid=p`);
    await t.ping(`/ping/${check.id}/progress/25?rid=p`);
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ progress: 25 });
    await t.ping(`/ping/${check.id}/progress?rid=p&msg=copying`);
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ progress: 25, last_message: 'copying' });
    await t.ping(`/ping/${check.id}/progress/80?rid=p`);
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ progress: 80, running: true });
    const signals = await history(t, check.id, 'signals');
    expect(signals.map((s) => [s.kind, s.progress])).toEqual([
      ['progress', 80],
      ['progress', null],
      ['progress', 25],
      ['start', null],
    ]);
  });

  it('progress with no open run opens one (CronBeats progress-only jobs)', async () => {
    clock.set(T0);
    const check = await createCheck(t);
    await t.ping(`/ping/${check.key}/progress/10`);
    const [run] = await history(t, check.id, 'runs');
    expect(run).toMatchObject({ running: true, progress: 10 });
    clock.advance(7 * SECOND);
    await t.ping(`/ping/${check.key}`);
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ result: 'success', duration_ms: 7000, progress: 100 });
  });
});
