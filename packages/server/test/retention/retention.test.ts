// Retention: each check keeps its newest N signals (walking its chain, no index on check), and finished runs,
// flips and settled notifications go after OVERDUE_RETENTION_DAYS — in small batches, while pings keep coming.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, HOUR, MINUTE, readCheck, T0 } from '../support/checks.js';
import { startReceiver, type Receiver } from '../support/http.js';
import { signalSlack } from '../../src/retention/pruner.js';
import { pruneSignalsOfCheck } from '../../src/store/retention.js';

const DAY = 24 * HOUR;

async function pingTimes(t: TestServer, check: { id: string }, count: number, from = 0) {
  for (let i = from; i < from + count; i += 1) {
    const res = await t.ping(`/ping/${check.id}?msg=${i}`);
    expect(res.status).toBe(200);
  }
}

const messages = async (t: TestServer, ref: string, query = '?limit=1000') =>
  (await history(t, ref, 'signals', query)).map((s) => s.message);

describe('signal retention: the newest N per check', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  const keep = 5;
  beforeAll(async () => {
    t = await startTestServer({ clock, env: { OVERDUE_RETENTION_SIGNALS_PER_CHECK: String(keep) } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a check over its limit plus slack is cut back to exactly its newest N, and its counters keep the full history', async () => {
    const busy = await createCheck(t);
    await pingTimes(t, busy, 30);
    const report = await t.server.runtime.pruner.runOnce();
    expect(report.signals).toBe(25);
    expect(await messages(t, busy.id)).toEqual(['29', '28', '27', '26', '25']);
    expect(await readCheck(t, busy.id)).toMatchObject({ signal_count: 30, status: 'up' });
  });

  it('a check within its limit plus slack is left alone, and a second pass finds nothing to do', async () => {
    const quiet = await createCheck(t);
    await pingTimes(t, quiet, keep + signalSlack(keep));
    expect((await t.server.runtime.pruner.runOnce()).signals).toBe(0);
    expect(await messages(t, quiet.id)).toHaveLength(keep + signalSlack(keep));
  });

  it('the cut chain ends cleanly: paging past the oldest kept signal gives an empty page, not an error', async () => {
    const check = await createCheck(t);
    await pingTimes(t, check, 40);
    await t.server.runtime.pruner.runOnce();
    const page = await history(t, check.id, 'signals', '?limit=3');
    expect(page.map((s) => s.message)).toEqual(['39', '38', '37']);
    const next = await t.api('GET', `/api/v1/checks/${check.id}/signals?limit=3&cursor=${page[2].id}`);
    expect(next.body.items.map((s: any) => s.message)).toEqual(['36', '35']);
    expect(next.body.next_cursor).toBeNull();
    // Statistics end at now; a minute on, the pings (sent at the frozen now) are in the past they cover.
    clock.advance(MINUTE);
    const stats = await t.api(
      'GET',
      `/api/v1/checks/${check.id}/stats?bucket=1d&from=${new Date(T0 - DAY).toISOString()}&to=${new Date(T0 + DAY).toISOString()}`,
    );
    expect(stats.status).toBe(200);
    expect(stats.body.buckets.reduce((n: number, b: any) => n + b.signals, 0)).toBe(keep);
  });

  it('a check that keeps receiving is trimmed again once it is over the limit plus slack', async () => {
    const check = await createCheck(t);
    await pingTimes(t, check, 20);
    await t.server.runtime.pruner.runOnce();
    await pingTimes(t, check, signalSlack(keep), 20);
    expect((await t.server.runtime.pruner.runOnce()).signals).toBe(0);
    await pingTimes(t, check, 1, 20 + signalSlack(keep));
    expect((await t.server.runtime.pruner.runOnce()).signals).toBe(signalSlack(keep) + 1);
    const last = 20 + signalSlack(keep);
    expect(await messages(t, check.id)).toEqual([last, last - 1, last - 2, last - 3, last - 4].map(String));
  });

  it('a pass in small batches resumes at the oldest kept signal, and signals arriving between batches are all kept', async () => {
    const check = await createCheck(t);
    await pingTimes(t, check, 30);
    const db = t.server.runtime.store.db;
    let step = await pruneSignalsOfCheck(db, check.id, keep, 3);
    expect(step).toMatchObject({ deleted: 3, done: false });
    await pingTimes(t, check, 2, 30); // 30 and 31 arrive mid-pass
    let deleted = step.deleted;
    while (!step.done) {
      step = await pruneSignalsOfCheck(db, check.id, keep, 3, step.resume);
      deleted += step.deleted;
    }
    expect(deleted).toBe(25);
    expect(await messages(t, check.id)).toEqual(['31', '30', '29', '28', '27', '26', '25']);
    // The bookkeeping knows the chain holds 7: the next pass leaves it alone until it passes the limit plus slack.
    expect(await db.selectFrom('signal_retention').select('pruned').where('check_id', '=', check.id).executeTakeFirst()).toEqual({
      pruned: 25,
    });
  });

  it('the dialects read a pruned chain as the native API does: healthchecks.io pings and Pinghome events list what is kept', async () => {
    const check = await createCheck(t);
    await pingTimes(t, check, 30);
    await t.server.runtime.pruner.runOnce();
    const hc = await t.api('GET', `/api/v3/checks/${check.id}/pings/`);
    expect(hc.status).toBe(200);
    const kept = (await history(t, check.id, 'signals', '?limit=1000')).map((s) => Number(s.id));
    expect(hc.body.pings.map((p: any) => p.n)).toEqual(kept);
    expect(kept).toHaveLength(keep);
    // n_pings counts every ping ever received, as healthchecks.io's does.
    expect((await t.api('GET', `/api/v3/checks/${check.id}`)).body.n_pings).toBe(30);
    // A pruned ping's body is gone: 404, not an error.
    const oldest = Math.min(...kept);
    expect((await t.api('GET', `/api/v3/checks/${check.id}/pings/${oldest - 1}/body`)).status).toBe(404);
    const events = await t.api('GET', `/v1/heartbeat/${check.id}/events?limit=100`);
    expect(events.status).toBe(200);
    expect(events.body.data.map((e: any) => e.message).sort()).toEqual(['25', '26', '27', '28', '29']);
  });

  it('deleting a check after pruning forgets its retention bookkeeping too', async () => {
    const check = await createCheck(t);
    await pingTimes(t, check, 20);
    await t.server.runtime.pruner.runOnce();
    expect((await t.api('DELETE', `/api/v1/checks/${check.id}`)).status).toBeLessThan(300);
    const left = await t.server.runtime.store.db.selectFrom('signal_retention').selectAll().where('check_id', '=', check.id).execute();
    expect(left).toEqual([]);
  });
});

describe('signal retention as signals arrive, not only every interval', () => {
  let t: TestServer;
  const keep = 20;
  // A running server whose periodic pass is a day away (its first would come after a minute): only trimming on
  // write can keep the check in bounds during this test.
  beforeAll(async () => {
    t = await startTestServer({ env: { OVERDUE_RETENTION_SIGNALS_PER_CHECK: String(keep), OVERDUE_RETENTION_INTERVAL_S: '86400' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a check pinged 3 × keep times holds at most keep + slack signals, without a periodic pass', async () => {
    const check = await createCheck(t);
    const pruner = t.server.runtime.pruner;
    for (let round = 0; round < 3; round += 1) {
      // Bursts of concurrent pings share batches, as a flood's would.
      const answers = await Promise.all(Array.from({ length: keep }, (_, i) => t.ping(`/ping/${check.id}?msg=${round * keep + i}`)));
      expect(answers.map((a) => a.status)).toEqual(Array(keep).fill(200));
      await pruner.settled();
      expect((await messages(t, check.id)).length).toBeLessThanOrEqual(keep + signalSlack(keep));
    }
    expect(pruner.stats.passes).toBe(0);
    expect(pruner.stats.trims).toBeGreaterThan(0);
    const kept = await messages(t, check.id);
    // The newest are the ones kept, and the counters still count everything.
    expect(kept[0]).toBe(String(3 * keep - 1));
    expect(kept.length).toBeGreaterThanOrEqual(keep);
    expect((await readCheck(t, check.id)).signal_count).toBe(3 * keep);
  });
});

describe('age retention: runs, flips and settled notifications', () => {
  let t: TestServer;
  let receiver: Receiver;
  const clock = new ManualClock(T0);
  const db = () => t.server.runtime.store.db;
  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestServer({ clock, env: { OVERDUE_RETENTION_DAYS: '7', OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' } });
    await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'hook', config: { url: `${receiver.url}/hook` } });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('deletes finished runs, flips and sent notifications older than the age, and keeps what a timeline needs', async () => {
    // Day 0: a finished run, then the check goes down (flip + notification, delivered) and recovers (flip + notification).
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60, max_runtime_s: 30 * 86400 });
    await t.ping(`/ping/${check.id}/start?rid=old`);
    await t.ping(`/ping/${check.id}?rid=old`);
    const runner = await createCheck(t, { max_runtime_s: 30 * 86400 });
    await t.ping(`/ping/${runner.id}/start`); // a run that stays open for weeks
    clock.set(T0 + 6 * MINUTE);
    await t.server.runtime.scheduler.tick();
    clock.set(T0 + 7 * MINUTE);
    await t.ping(`/ping/${check.id}`);
    await t.server.runtime.delivery.runOnce();
    const flipsOf = async () => (await history(t, check.id, 'flips')).map((f) => `${f.from}→${f.to}`);
    expect(await flipsOf()).toEqual(['down→up', 'up→down', 'new→up']);
    expect(receiver.requests).toHaveLength(2);

    // Day 10: a recent run and a recent flip (down again, notification still pending: the receiver is gone).
    clock.set(T0 + 10 * DAY);
    await t.ping(`/ping/${check.id}/start?rid=recent`);
    await t.ping(`/ping/${check.id}?rid=recent`);
    clock.set(T0 + 10 * DAY + 6 * MINUTE);
    await t.server.runtime.scheduler.tick();
    await receiver.close();

    const report = await t.server.runtime.pruner.runOnce();
    expect(report).toMatchObject({ runs: 1, flips: 2, outbox: 2 });

    const runs = await history(t, check.id, 'runs');
    expect(runs.map((r) => r.rid)).toEqual(['recent']);
    expect(await history(t, runner.id, 'runs')).toMatchObject([{ ended_at: null }]);
    // The newest flip before the cutoff (down→up on day 0) stays: it says the check was up when the range begins.
    expect(await flipsOf()).toEqual(['up→down', 'down→up']);
    const timeline = await t.api(
      'GET',
      `/api/v1/checks/${check.id}/timeline?from=${new Date(T0 + 8 * DAY).toISOString()}&to=${new Date(T0 + 10 * DAY).toISOString()}`,
    );
    expect(timeline.body.periods[0]).toMatchObject({ status: 'up', from: new Date(T0 + 8 * DAY).toISOString() });
    const outbox = await db().selectFrom('outbox').select(['status']).where('check_id', '=', check.id).execute();
    expect(outbox.map((r) => r.status)).toEqual(['pending']);
    const attempts = await db().selectFrom('delivery_attempts').selectAll().execute();
    expect(attempts).toEqual([]);
  });

  it('never deletes the newest row of a table (SQLite would hand its id out again)', async () => {
    clock.set(T0 + 100 * DAY);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    await t.ping(`/ping/${check.id}`);
    clock.set(T0 + 200 * DAY);
    const newestFlip = await db()
      .selectFrom('flips')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    const newestOutbox = await db()
      .selectFrom('outbox')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    await t.server.runtime.pruner.runOnce();
    expect(await db().selectFrom('flips').select('id').where('id', '=', Number(newestFlip!.id)).executeTakeFirst()).toBeDefined();
    expect(await db().selectFrom('outbox').select('id').where('id', '=', Number(newestOutbox!.id)).executeTakeFirst()).toBeDefined();
  });
});

describe('pruning under load', () => {
  let t: TestServer;
  const keep = 50;
  beforeAll(async () => {
    t = await startTestServer({ env: { OVERDUE_RETENTION_SIGNALS_PER_CHECK: String(keep), OVERDUE_PING_RATE_LIMIT: '100000' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('loses no recent signal: every check keeps exactly its newest acknowledged pings, in order', async () => {
    const checks = await Promise.all([1, 2, 3, 4].map(() => createCheck(t)));
    const acked = new Map<string, number[]>(checks.map((c) => [c.id, []]));
    const perCheck = 400;
    let loading = true;
    let passes = 0;
    let deleted = 0;
    const pruning = (async () => {
      while (loading) {
        deleted += (await t.server.runtime.pruner.runOnce()).signals;
        passes += 1;
      }
    })();
    // Each check has its own sequential pinger, so acknowledgement order is signal order.
    await Promise.all(
      checks.map(async (check) => {
        for (let i = 0; i < perCheck; i += 1) {
          const res = await t.ping(`/ping/${check.id}?msg=${i}`);
          expect(res.status).toBe(200);
          acked.get(check.id)!.push(i);
        }
      }),
    );
    loading = false;
    await pruning;
    deleted += (await t.server.runtime.pruner.runOnce()).signals;

    expect(passes).toBeGreaterThan(1);
    expect(deleted).toBeGreaterThan(0);
    for (const check of checks) {
      const kept = (await messages(t, check.id)).map(Number);
      const newest = acked.get(check.id)!.slice(-keep).reverse();
      expect(kept.slice(0, keep)).toEqual(newest);
      expect(kept.length).toBeLessThanOrEqual(keep + signalSlack(keep));
      // The chain is whole: consecutive, no gaps, back to wherever pruning cut it.
      expect(kept).toEqual(kept.map((_, i) => perCheck - 1 - i));
      expect((await readCheck(t, check.id)).signal_count).toBe(perCheck);
    }
  });
});
