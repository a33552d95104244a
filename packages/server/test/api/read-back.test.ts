// Reading back what happened, with exact times (manual clock): the check, its runs, signals, flips, incidents,
// statistics per bucket and the status timeline with uptime.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, HOUR, iso, MINUTE, readCheck, T0 } from '../support/checks.js';

describe("reading back a check's history", () => {
  let t: TestServer;
  let check: any;
  const clock = new ManualClock(T0);

  // One story, told once: an hourly backup with 10 minutes of grace runs, misses a beat, recovers, then fails.
  beforeAll(async () => {
    t = await startTestServer({ clock });
    check = await createCheck(t, { name: 'hourly backup', schedule: { kind: 'interval', period_s: 3600 }, grace_s: 600 });
    clock.set(T0 + MINUTE);
    await t.ping(`/ping/${check.id}/start?rid=r1`, { method: 'POST', body: 'starting', headers: { 'user-agent': 'backup-script/1.0' } });
    clock.set(T0 + 2 * MINUTE);
    await t.ping(`/ping/${check.id}/progress/50?rid=r1&msg=half%20way`, { headers: { 'user-agent': 'backup-script/1.0' } });
    clock.set(T0 + 3 * MINUTE);
    await t.ping(`/ping/${check.id}?rid=r1`, {
      method: 'POST',
      body: JSON.stringify({ message: 'done: 3 files' }),
      headers: { 'user-agent': 'backup-script/1.0', 'content-type': 'application/json' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the check: status, last signal, next deadline, counts and last duration', async () => {
    expect(await readCheck(t, check.id)).toMatchObject({
      status: 'up',
      running: false,
      last_signal_at: iso(T0 + 3 * MINUTE),
      last_success_at: iso(T0 + 3 * MINUTE),
      next_expected: iso(T0 + 3 * MINUTE + HOUR),
      next_deadline: iso(T0 + 3 * MINUTE + HOUR),
      run_count: 1,
      signal_count: 3,
      last_duration_ms: 2 * MINUTE,
      last_message: 'done: 3 files',
      consecutive_failures: 0,
    });
  });

  it('the run: start, end, duration, result, progress, last message', async () => {
    const runs = await history(t, check.id, 'runs');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      rid: 'r1',
      started_at: iso(T0 + MINUTE),
      ended_at: iso(T0 + 3 * MINUTE),
      duration_ms: 2 * MINUTE,
      result: 'success',
      exit_code: null,
      progress: 100,
      last_message: 'done: 3 files',
      running: false,
    });
  });

  it('the signals, newest first: time, kind, method, source IP, user agent, body excerpt, message', async () => {
    const signals = await history(t, check.id, 'signals');
    const runId = (await history(t, check.id, 'runs'))[0].id;
    expect(signals).toMatchObject([
      {
        at: iso(T0 + 3 * MINUTE),
        kind: 'success',
        method: 'POST',
        source_ip: '127.0.0.1',
        user_agent: 'backup-script/1.0',
        body: '{"message":"done: 3 files"}',
        message: 'done: 3 files',
        run_id: runId,
        dialect: 'native',
      },
      { at: iso(T0 + 2 * MINUTE), kind: 'progress', method: 'GET', progress: 50, message: 'half way', body: null, run_id: runId },
      { at: iso(T0 + MINUTE), kind: 'start', method: 'POST', body: 'starting', body_size: 8, message: null, run_id: runId },
    ]);
  });

  it('signals of one run, and paging with a cursor', async () => {
    const runId = (await history(t, check.id, 'runs'))[0].id;
    expect(await history(t, check.id, 'signals', `?run=${runId}`)).toHaveLength(3);
    const first = await t.api('GET', `/api/v1/checks/${check.id}/signals?limit=2`);
    expect(first.body.items.map((s: any) => s.kind)).toEqual(['success', 'progress']);
    const second = await t.api('GET', `/api/v1/checks/${check.id}/signals?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((s: any) => s.kind)).toEqual(['start']);
    expect(second.body.next_cursor).toBeNull();
  });

  describe('after a missed beat, a recovery and a failure', () => {
    beforeAll(async () => {
      const scheduler = t.server.runtime.scheduler;
      clock.set(T0 + 3 * MINUTE + HOUR);
      await scheduler.tick(); // late
      clock.set(T0 + 13 * MINUTE + HOUR);
      await scheduler.tick(); // down
      clock.set(T0 + 13 * MINUTE + 2 * HOUR);
      await t.ping(`/ping/${check.id}`); // up again
      clock.set(T0 + 30 * MINUTE + 3 * HOUR);
      await t.ping(`/ping/${check.id}/fail?msg=disk%20full`); // down
      clock.set(T0 + 5 * HOUR);
    });

    it('flips, newest first, each with its reason', async () => {
      const flips = await history(t, check.id, 'flips');
      expect(flips.map((f) => [f.at, f.from, f.to])).toEqual([
        [iso(T0 + 30 * MINUTE + 3 * HOUR), 'up', 'down'],
        [iso(T0 + 13 * MINUTE + 2 * HOUR), 'down', 'up'],
        [iso(T0 + 13 * MINUTE + HOUR), 'up', 'down'],
        [iso(T0 + 3 * MINUTE), 'new', 'up'],
      ]);
      expect(flips[0].reason).toBe('received a failure signal: disk full');
      expect(flips[1].reason).toBe('heartbeat received; check recovered');
      expect(flips[2].reason).toBe(
        `no heartbeat received within expected interval + grace period (1h + 10m); last heartbeat at ${iso(T0 + 3 * MINUTE)}`,
      );
      expect(flips[3].reason).toBe('first heartbeat received');
    });

    it('flips can be limited to a range', async () => {
      const flips = await history(t, check.id, 'flips', `?from=${iso(T0 + HOUR)}&to=${iso(T0 + 3 * HOUR)}`);
      expect(flips.map((f) => f.to)).toEqual(['up', 'down']);
    });

    it('incidents: one resolved, one open, newest first', async () => {
      const res = await t.api('GET', `/api/v1/incidents?check=${check.key}`);
      expect(res.status).toBe(200);
      expect(res.body.items).toMatchObject([
        {
          check_id: check.id,
          check_name: 'hourly backup',
          opened_at: iso(T0 + 30 * MINUTE + 3 * HOUR),
          resolved_at: null,
          open: true,
          duration_ms: null,
          reason: 'received a failure signal: disk full',
        },
        {
          opened_at: iso(T0 + 13 * MINUTE + HOUR),
          resolved_at: iso(T0 + 13 * MINUTE + 2 * HOUR),
          open: false,
          duration_ms: HOUR,
          resolve_reason: 'heartbeat received; check recovered',
        },
      ]);
      expect((await t.api('GET', '/api/v1/incidents?open=true')).body.items).toHaveLength(1);
    });

    it('the timeline: periods of each status over a range, and uptime', async () => {
      const res = await t.api('GET', `/api/v1/checks/${check.id}/timeline?from=${iso(T0)}&to=${iso(T0 + 4 * HOUR)}`);
      expect(res.status).toBe(200);
      expect(res.body.from).toBe(iso(T0));
      expect(res.body.to).toBe(iso(T0 + 4 * HOUR));
      expect(res.body.periods).toEqual([
        { status: 'new', from: iso(T0), to: iso(T0 + 3 * MINUTE) },
        // Late (from the expected time to the end of the grace) is not a flip: the timeline shows it as up.
        { status: 'up', from: iso(T0 + 3 * MINUTE), to: iso(T0 + 13 * MINUTE + HOUR) },
        { status: 'down', from: iso(T0 + 13 * MINUTE + HOUR), to: iso(T0 + 13 * MINUTE + 2 * HOUR) },
        { status: 'up', from: iso(T0 + 13 * MINUTE + 2 * HOUR), to: iso(T0 + 30 * MINUTE + 3 * HOUR) },
        { status: 'down', from: iso(T0 + 30 * MINUTE + 3 * HOUR), to: iso(T0 + 4 * HOUR) },
      ]);
      // Monitored 237 minutes (new does not count), down 60 + 30 of them.
      expect(res.body.uptime).toBeCloseTo((237 - 90) / 237, 10);
    });

    it('the timeline defaults to the last 24 hours, starting when the check was created', async () => {
      const res = await t.api('GET', `/api/v1/checks/${check.id}/timeline`);
      expect(res.body.from).toBe(iso(T0 + 5 * HOUR - 24 * HOUR));
      expect(res.body.to).toBe(iso(T0 + 5 * HOUR));
      expect(res.body.periods[0]).toEqual({ status: 'new', from: iso(T0), to: iso(T0 + 3 * MINUTE) });
      expect(res.body.periods.at(-1)).toEqual({ status: 'down', from: iso(T0 + 30 * MINUTE + 3 * HOUR), to: iso(T0 + 5 * HOUR) });
    });

    it('stats: per-bucket expected beats, runs, fails and completes, with uptime', async () => {
      const res = await t.api('GET', `/api/v1/checks/${check.id}/stats?from=${iso(T0)}&to=${iso(T0 + 4 * HOUR)}&bucket=1h`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ from: iso(T0), to: iso(T0 + 4 * HOUR), bucket_s: 3600 });
      expect(res.body.buckets).toEqual([
        { at: iso(T0), expected: 1, runs: 1, fails: 0, completes: 1, signals: 3 },
        { at: iso(T0 + HOUR), expected: 1, runs: 0, fails: 0, completes: 0, signals: 0 },
        { at: iso(T0 + 2 * HOUR), expected: 1, runs: 0, fails: 0, completes: 1, signals: 1 },
        { at: iso(T0 + 3 * HOUR), expected: 1, runs: 0, fails: 1, completes: 0, signals: 1 },
      ]);
      expect(res.body.uptime).toBeCloseTo((237 - 90) / 237, 10);
    });

    it('stats in 30-minute buckets count half an hourly beat per bucket', async () => {
      const res = await t.api('GET', `/api/v1/checks/${check.id}/stats?from=${iso(T0)}&to=${iso(T0 + HOUR)}&bucket=30m`);
      expect(res.body.buckets).toEqual([
        { at: iso(T0), expected: 0.5, runs: 1, fails: 0, completes: 1, signals: 3 },
        { at: iso(T0 + 30 * MINUTE), expected: 0.5, runs: 0, fails: 0, completes: 0, signals: 0 },
      ]);
    });
  });
});
