// The scheduler's cost follows what is due, not how many checks exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { checkRow, createCheck, HOUR, insertClones, MINUTE, readCheck, T0 } from '../support/checks.js';

describe('scheduler cost', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('with 5,000 idle checks and 3 due ones, a tick processes exactly the 3', async () => {
    const template = await createCheck(t, { schedule: { kind: 'interval', period_s: 3600 }, grace_s: 300 });
    await t.ping(`/ping/${template.id}`);
    const row = await checkRow(t, template.id);
    // 2,500 checks that expect nothing (new, no deadline) and 2,500 whose deadline is hours away.
    await insertClones(t, row, 5000, (i) =>
      i % 2 === 0
        ? { status: 'new', expected_at: null, next_deadline: null, last_beat_at: null, last_success_at: null, last_signal_at: null }
        : { next_deadline: T0 + 10 * HOUR + i },
    );
    await t.api('PATCH', `/api/v1/checks/${template.id}`, { enabled: false });

    const due = [];
    for (let i = 0; i < 3; i += 1) {
      const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 600 }, grace_s: 60 });
      await t.ping(`/ping/${check.id}`);
      due.push(check);
    }
    const count = await t.server.runtime.store.db
      .selectFrom('checks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(5004);

    clock.set(T0 + 10 * MINUTE);
    expect(await t.server.runtime.scheduler.tick()).toBe(3);
    for (const check of due) expect((await readCheck(t, check.id)).status).toBe('late');
    // Nothing else is due until the next deadline.
    expect(await t.server.runtime.scheduler.tick()).toBe(0);
    clock.set(T0 + 11 * MINUTE);
    expect(await t.server.runtime.scheduler.tick()).toBe(3);
    for (const check of due) expect((await readCheck(t, check.id)).status).toBe('down');
  });

  it('finds due checks through the deadline index, without scanning the table', async () => {
    const db = t.server.runtime.store.db;
    if (t.engine === 'postgres') {
      await sql`analyze checks`.execute(db);
      const plan = await sql<{
        'QUERY PLAN': string;
      }>`explain select * from checks where next_deadline <= ${T0} order by next_deadline limit 500 for update skip locked`.execute(db);
      const details = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(details).toMatch(/checks_due/);
      expect(details).not.toMatch(/Seq Scan on checks/);
      return;
    }
    const plan = await sql<{
      detail: string;
    }>`explain query plan select * from checks where next_deadline <= ${T0} order by next_deadline limit 500`.execute(db);
    const details = plan.rows.map((r) => r.detail).join('\n');
    expect(details).toMatch(/checks_due/);
    expect(details).not.toMatch(/SCAN checks(?! USING)/);
  });
});
