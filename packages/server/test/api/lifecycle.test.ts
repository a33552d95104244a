// protocol.md §6: read by UUID or key, change (a new schedule re-times the check), pause, resume, delete with history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, HOUR, iso, MINUTE, readCheck, T0 } from '../support/checks.js';

describe('check lifecycle through the API', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('reads the same check by UUID and by key', async () => {
    const check = await createCheck(t);
    const byId = await t.api('GET', `/api/v1/checks/${check.id}`);
    const byKey = await t.api('GET', `/api/v1/checks/${check.key}`);
    expect(byId.status).toBe(200);
    expect(byKey.body).toEqual(byId.body);
    expect(byId.body).toEqual(check);
  });

  it('an unknown check is a 404 JSON error', async () => {
    const res = await t.api('GET', '/api/v1/checks/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('check_not_found');
  });

  it('PATCH changes only what it names', async () => {
    clock.set(T0);
    const check = await createCheck(t, { name: 'before', tags: ['a'], project: 'p1', grace_s: 120 });
    clock.advance(MINUTE);
    const res = await t.api('PATCH', `/api/v1/checks/${check.key}`, {
      name: 'after',
      tags: ['b', 'c'],
      description: 'now described',
      methods: ['POST'],
      service: 'svc-x',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'after',
      tags: ['b', 'c'],
      description: 'now described',
      methods: ['POST'],
      service: { name: 'svc-x' },
      project: 'p1',
      grace_s: 120,
      slug: check.slug,
      updated_at: iso(T0 + MINUTE),
      created_at: iso(T0),
    });
    const cleared = await t.api('PATCH', `/api/v1/checks/${check.id}`, { project: null, service: null, methods: null });
    expect(cleared.body).toMatchObject({ project: null, service: null, methods: null });
    expect(await readCheck(t, check.id)).toEqual(cleared.body);
  });

  it('null clears a setting: grace_s null means default grace, not zero grace', async () => {
    const check = await createCheck(t, {
      schedule: { kind: 'interval', period_s: 600 },
      grace_s: 120,
      max_runtime_s: 60,
      methods: ['POST'],
      project: 'p',
      service: 's',
    });
    const res = await t.api('PATCH', `/api/v1/checks/${check.id}`, {
      grace_s: null,
      max_runtime_s: null,
      methods: null,
      project: null,
      service: null,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      grace_s: null,
      grace_multiplier: null,
      max_runtime_s: null,
      methods: null,
      project: null,
      service: null,
    });
    expect(res.body.effective_grace_s).toBeGreaterThan(0);
    const zero = await t.api('PATCH', `/api/v1/checks/${check.id}`, { grace_s: 0 });
    expect(zero.body).toMatchObject({ grace_s: 0, effective_grace_s: 0 });
    const created = await t.api('POST', '/api/v1/checks', {
      name: 'nulls',
      grace_s: null,
      grace_multiplier: 2,
      max_runtime_s: null,
      project: null,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ grace_s: null, grace_multiplier: 2, project: null });
  });

  it('switching grace from seconds to a multiplier clears the other', async () => {
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 600 }, grace_s: 60 });
    const res = await t.api('PATCH', `/api/v1/checks/${check.id}`, { grace_multiplier: 2 });
    expect(res.body).toMatchObject({ grace_s: null, grace_multiplier: 2, effective_grace_s: 600 });
  });

  it('a schedule change re-times the next deadline from the last beat', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 3600 }, grace_s: 300 });
    await t.ping(`/ping/${check.id}`);
    expect(await readCheck(t, check.id)).toMatchObject({ next_expected: iso(T0 + HOUR), next_deadline: iso(T0 + HOUR) });
    clock.advance(5 * MINUTE);
    const res = await t.api('PATCH', `/api/v1/checks/${check.id}`, { schedule: { kind: 'interval', period_s: 600 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      schedule: { kind: 'interval', period_s: 600 },
      next_expected: iso(T0 + 10 * MINUTE),
      next_deadline: iso(T0 + 10 * MINUTE),
    });
    // To cron: the first tick after the last beat.
    const cron = await t.api('PATCH', `/api/v1/checks/${check.id}`, { schedule: { kind: 'cron', expr: '30 * * * *', tz: 'UTC' } });
    expect(cron.body).toMatchObject({ next_expected: iso(T0 + 30 * MINUTE) });
  });

  it("changing only grace, or the same schedule spelled another way, leaves a down check's expectation where it was", async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 600 }, grace_s: 60 });
    await t.ping(`/ping/${check.id}`);
    clock.advance(12 * MINUTE);
    await t.server.runtime.scheduler.tick();
    const down = await readCheck(t, check.id);
    expect(down.status).toBe('down');
    // The missed 00:10 beat is counted; the scheduler now expects the 00:20 one.
    expect(down.next_expected).toBe(iso(T0 + 20 * MINUTE));
    const graced = await t.api('PATCH', `/api/v1/checks/${check.id}`, { grace_s: 120 });
    expect(graced.body).toMatchObject({ status: 'down', next_expected: iso(T0 + 20 * MINUTE), next_deadline: iso(T0 + 22 * MINUTE) });
    const respelled = await t.api('PATCH', `/api/v1/checks/${check.id}`, { schedule: { period_s: 600, kind: 'interval' } });
    expect(respelled.body).toMatchObject({ next_expected: iso(T0 + 20 * MINUTE) });
  });

  it('a late check whose new schedule is not yet due goes back up (late is not a flip, so neither is this)', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 600 }, grace_s: 600 });
    await t.ping(`/ping/${check.id}`);
    clock.advance(11 * MINUTE);
    await t.server.runtime.scheduler.tick();
    expect((await readCheck(t, check.id)).status).toBe('late');
    const res = await t.api('PATCH', `/api/v1/checks/${check.id}`, { schedule: { kind: 'interval', period_s: 3600 } });
    expect(res.body).toMatchObject({ status: 'up', next_expected: iso(T0 + HOUR) });
    expect((await history(t, check.id, 'flips')).map((f) => `${f.from}→${f.to}`)).toEqual(['new→up']);
  });

  it('pause stops deadlines; resume restarts the clock from now', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 600 }, grace_s: 60 });
    await t.ping(`/ping/${check.id}`);
    const paused = await t.api('POST', `/api/v1/checks/${check.id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'paused', next_deadline: null });
    // Hours pass: nothing is due, nothing flips.
    clock.advance(5 * HOUR);
    await t.server.runtime.scheduler.tick();
    expect((await readCheck(t, check.id)).status).toBe('paused');
    // Pausing twice changes nothing.
    expect((await t.api('POST', `/api/v1/checks/${check.id}/pause`)).body.status).toBe('paused');
    const resumed = await t.api('POST', `/api/v1/checks/${check.id}/resume`);
    expect(resumed.body).toMatchObject({ status: 'up', next_expected: iso(T0 + 5 * HOUR + 10 * MINUTE) });
    const flips = await history(t, check.id, 'flips');
    expect(flips.map((f) => [f.from, f.to, f.reason])).toEqual([
      ['paused', 'up', 'resumed by a user'],
      ['up', 'paused', 'paused by a user'],
      ['new', 'up', 'first heartbeat received'],
    ]);
  });

  it('a ping resumes a paused check, unless it needs a manual resume', async () => {
    const auto = await createCheck(t);
    await t.api('POST', `/api/v1/checks/${auto.id}/pause`);
    await t.ping(`/ping/${auto.id}`);
    expect((await readCheck(t, auto.id)).status).toBe('up');

    const manual = await createCheck(t, { manual_resume: true });
    await t.api('POST', `/api/v1/checks/${manual.id}/pause`);
    expect((await t.ping(`/ping/${manual.id}`)).status).toBe(200);
    expect(await readCheck(t, manual.id)).toMatchObject({ status: 'paused', signal_count: 1 });
    expect((await t.api('POST', `/api/v1/checks/${manual.id}/resume`)).body.status).toBe('new');
  });

  it('delete answers the check, then it is gone with all its history', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 60 }, grace_s: 0 });
    await t.ping(`/ping/${check.id}/start`);
    await t.ping(`/ping/${check.id}/fail`);
    await t.ping(`/ping/${check.id}`);
    const db = t.server.runtime.store.db;
    const count = async (table: 'signals' | 'runs' | 'flips' | 'incidents' | 'check_channels') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('check_id', '=', check.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect([await count('signals'), await count('runs'), await count('flips'), await count('incidents')]).toEqual([3, 1, 2, 1]);

    const deleted = await t.api('DELETE', `/api/v1/checks/${check.key}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: check.id, signal_count: 3 });
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).status).toBe(404);
    expect((await t.api('GET', `/api/v1/checks/${check.id}/signals`)).status).toBe(404);
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(404);
    expect([
      await count('signals'),
      await count('runs'),
      await count('flips'),
      await count('incidents'),
      await count('check_channels'),
    ]).toEqual([0, 0, 0, 0, 0]);
    expect((await t.api('DELETE', `/api/v1/checks/${check.id}`)).status).toBe(404);
  });
});
