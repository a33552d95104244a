// The wall clock jumping forward (hours, days) or back: one flip per check and one notification per incident,
// never a flood, and no deadline lost — a check that fell due during the jump is handled at the next pass.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { startReceiver, type Receiver } from '../support/http.js';
import { DAY_MS, HOUR, MINUTE, T0 } from '../support/time.js';

describe('wall-clock jumps', () => {
  let t: TestServer;
  let clock: ManualClock;
  let receiver: Receiver;
  beforeEach(async () => {
    clock = new ManualClock(T0);
    t = await startTestServer({ clock, env: { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' } });
    receiver = await startReceiver();
    expect(
      (await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'pager', config: { url: `${receiver.url}/hook` } })).status,
    ).toBe(201);
  });
  afterEach(async () => {
    await t.close();
    await receiver.close();
  });

  /** Runs the scheduler and the delivery worker the way their loops would after the jump, several times over. */
  const passes = async (n = 3) => {
    for (let i = 0; i < n; i += 1) {
      await t.server.runtime.scheduler.tick();
      await t.server.runtime.delivery.runOnce();
    }
  };
  const db = () => t.server.runtime.store.db;
  const count = async (table: 'flips' | 'incidents' | 'outbox', checkId: string) =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('check_id', '=', checkId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function upCheck(name: string, fields: Record<string, unknown> = {}) {
    const check = (await t.api('POST', '/api/v1/checks', { name, schedule: { kind: 'interval', period_s: 3600 }, grace_s: 300, ...fields }))
      .body;
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(200);
    return check;
  }

  it('a jump of three days takes 200 overdue checks down once each: 200 flips, 200 incidents, 200 notifications', async () => {
    const checks = [];
    for (let i = 0; i < 200; i += 1) checks.push(await upCheck(`nightly ${i}`));
    clock.advance(3 * DAY_MS);
    await passes(5);
    for (const check of checks.slice(0, 20)) {
      expect([await count('flips', check.id), await count('incidents', check.id), await count('outbox', check.id)]).toEqual([2, 1, 1]);
    }
    const flips = await db().selectFrom('flips').select(['from_status', 'to_status']).where('to_status', '=', 'down').execute();
    expect(flips).toHaveLength(200);
    expect(new Set(flips.map((f) => `${f.from_status}->${f.to_status}`))).toEqual(new Set(['up->down']));
    expect(receiver.requests).toHaveLength(200);
    expect(new Set(receiver.requests.map((r) => r.headers['idempotency-key'])).size).toBe(200);
    // The reason counts every missed beat of the jump; the alert is still one.
    const reason = (await t.api('GET', `/api/v1/checks/${checks[0].id}/flips`)).body.items[0].reason;
    expect(reason).toMatch(/no heartbeat received within expected interval \+ grace period/);
  });

  it('a check due during a forward jump is handled at the first pass after it, and its next deadline follows the new time', async () => {
    const check = await upCheck('hourly', { grace_s: 60 });
    clock.advance(5 * HOUR + 17 * MINUTE);
    await passes(1);
    const after = (await t.api('GET', `/api/v1/checks/${check.id}`)).body;
    expect(after.status).toBe('down');
    // Not stuck in the past (which would make the scheduler spin) and not skipped ahead by more than a period.
    const next = Date.parse(after.next_deadline);
    expect(next).toBeGreaterThan(clock.now());
    expect(next).toBeLessThanOrEqual(clock.now() + HOUR + MINUTE);
    // Time going on after the jump: further misses are counted quietly, never re-alerted.
    for (let i = 0; i < 6; i += 1) {
      clock.advance(HOUR);
      await passes(1);
    }
    expect([await count('flips', check.id), await count('incidents', check.id), await count('outbox', check.id)]).toEqual([2, 1, 1]);
    expect(receiver.requests).toHaveLength(1);
  });

  it('a run open across a forward jump times out once', async () => {
    const check = (
      await t.api('POST', '/api/v1/checks', {
        name: 'backup',
        schedule: { kind: 'interval', period_s: DAY_MS / 1000 },
        grace_s: 600,
        max_runtime_s: 1800,
      })
    ).body;
    expect((await t.ping(`/ping/${check.id}/start`)).status).toBe(200);
    clock.advance(2 * DAY_MS);
    await passes(4);
    const runs = (await t.api('GET', `/api/v1/checks/${check.id}/runs`)).body.items;
    expect(runs.map((r: any) => r.result)).toEqual(['timeout']);
    expect(await count('incidents', check.id)).toBe(1);
    expect(receiver.requests).toHaveLength(1);
  });

  it('a backward jump alerts nobody, and keeps taking pings; time catching up again alerts once when a beat is really missed', async () => {
    const check = await upCheck('rewound');
    clock.advance(-DAY_MS);
    await passes(3);
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).body.status).toBe('up');
    // A ping at the earlier time is taken; the next beat is expected an hour after it.
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(200);
    const read = (await t.api('GET', `/api/v1/checks/${check.id}`)).body;
    expect(read.status).toBe('up');
    expect(Date.parse(read.next_expected)).toBe(clock.now() + HOUR);
    expect(receiver.requests).toHaveLength(0);
    // Back to the present and beyond: the missed beat is handled once.
    clock.advance(DAY_MS + 2 * HOUR);
    await passes(3);
    expect([await count('incidents', check.id), await count('outbox', check.id)]).toEqual([1, 1]);
    expect(receiver.requests).toHaveLength(1);
  });

  it('jumping back and forth repeatedly never doubles an incident', async () => {
    const check = await upCheck('yo-yo', { grace_s: 60 });
    for (const step of [3 * HOUR, -2 * HOUR, 4 * HOUR, -DAY_MS, 2 * DAY_MS, -HOUR, HOUR]) {
      clock.advance(step);
      await passes(2);
    }
    expect(await count('incidents', check.id)).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).body.status).toBe('down');
  });
});
