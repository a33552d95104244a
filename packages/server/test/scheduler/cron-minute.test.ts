// Many checks falling due at the same instant (a cron minute) are processed in batches that read their open
// incidents together: each check still goes down once, with exactly one incident and one notification per channel.
// A pass that keeps finding full batches makes them larger, up to a limit, and lets pings in between them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { checkRow, createCheck, insertClones, MINUTE, T0 } from '../support/checks.js';
import { newId } from '../../src/store/ids.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';

describe('a cron minute with many checks due at once', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('1,200 checks due at 10:05 (batches of 500, then up to 1,000) each go down once with one incident; one already open is not doubled', async () => {
    const db = t.server.runtime.store.db;
    const channel = (
      await t.api('POST', '/api/v1/channels', { name: 'hook', kind: 'webhook', config: { url: 'https://example.com/hook' } })
    ).body;
    const template = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 0, channels: [channel.id] });
    await t.ping(`/ping/${template.id}`);
    const row = await checkRow(t, template.id);
    await insertClones(t, row, 1199);
    const ids = (await db.selectFrom('checks').select('id').execute()).map((r) => r.id);
    expect(ids).toHaveLength(1200);
    await db
      .insertInto('check_channels')
      .values(ids.filter((id) => id !== template.id).map((check_id) => ({ check_id, channel_id: channel.id })))
      .execute();
    // One of them already has an open incident (say, opened by a failure signal a moment ago).
    const already = ids.find((id) => id !== template.id)!;
    await db
      .insertInto('incidents')
      .values({
        id: newId(),
        workspace_id: row.workspace_id,
        check_id: already,
        opened_at: T0,
        resolved_at: null,
        reason: 'failed',
        resolve_reason: null,
        severity: 'minor',
        acknowledged_at: null,
        acknowledged_by: null,
        draft: 0,
        published_at: T0,
        next_alert_at: null,
        realerts: 0,
      })
      .execute();

    clock.set(T0 + 5 * MINUTE);
    expect(await t.server.runtime.scheduler.tick()).toBe(1200);

    const statuses = await db.selectFrom('checks').select('status').distinct().execute();
    expect(statuses.map((s) => s.status)).toEqual(['down']);
    const flips = await db.selectFrom('flips').select(['check_id']).where('to_status', '=', 'down').execute();
    expect(flips).toHaveLength(1200);
    const incidents = await db.selectFrom('incidents').select(['check_id']).where('resolved_at', 'is', null).execute();
    expect(incidents).toHaveLength(1200);
    expect(new Set(incidents.map((i) => i.check_id)).size).toBe(1200);
    // The check whose incident was already open gets no second down alert; every other check gets one.
    const alerts = await db.selectFrom('outbox').select(['check_id']).where('event', '=', 'down').execute();
    expect(alerts).toHaveLength(1199);
    expect(alerts.some((a) => a.check_id === already)).toBe(false);
  });
});

describe('the batches of a pass with many checks due', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('150 checks due at once go in transactions of 10, 20, 40, 40, 40: doubled while full and quick, never past the limit', async () => {
    const template = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 0 });
    await t.ping(`/ping/${template.id}`);
    await insertClones(t, await checkRow(t, template.id), 149);
    const commits: number[] = [];
    const scheduler = new Scheduler({
      store: t.server.runtime.store,
      clock,
      publicUrl: 'http://overdue.test',
      // Quick transactions (a few ms for 40 checks) always grow; none is slow enough to shrink.
      batchSizes: { first: 10, max: 40, growBelowMs: 60_000, shrinkAboveMs: 120_000 },
      onCommit: (result) => commits.push(result.processed),
    });
    clock.set(T0 + 5 * MINUTE);
    expect(await scheduler.tick()).toBe(150);
    expect(commits).toEqual([10, 20, 40, 40, 40]);
    // The next pass starts small again: two checks due later go in one transaction of at most 10.
    const later = await t.server.runtime.store.db.selectFrom('checks').select('id').limit(2).execute();
    await t.server.runtime.store.db
      .updateTable('checks')
      .set({ next_deadline: T0 + 6 * MINUTE })
      .where(
        'id',
        'in',
        later.map((r) => r.id),
      )
      .execute();
    commits.length = 0;
    clock.set(T0 + 6 * MINUTE);
    expect(await scheduler.tick()).toBe(2);
    expect(commits).toEqual([2]);
  });
});

describe('pings during a long pass', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a ping sent while a pass works through 3,000 due checks is stored and answered between its transactions, not after the pass', async () => {
    const template = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 0 });
    const bystander = await createCheck(t, { schedule: { kind: 'interval', period_s: 3600 } });
    await t.ping(`/ping/${template.id}`);
    const db = t.server.runtime.store.db;
    await insertClones(t, await checkRow(t, template.id), 2999, () => ({ next_deadline: T0 + 20 * MINUTE }));
    await db
      .updateTable('checks')
      .set({ next_deadline: T0 + 20 * MINUTE })
      .where('id', '=', template.id)
      .execute();
    let commits = 0;
    const scheduler = new Scheduler({
      store: t.server.runtime.store,
      clock,
      publicUrl: 'http://overdue.test',
      batchSizes: { first: 50, max: 50 },
      onCommit: () => (commits += 1),
      // As the runtime wires it: signals already received are stored before each transaction.
      beforeBatch: () => t.server.runtime.ingest.settled(),
    });
    clock.set(T0 + 20 * MINUTE);
    const pass = scheduler.tick();
    const ping = await t.ping(`/ping/${bystander.id}`);
    const commitsWhenAnswered = commits;
    expect(await pass).toBe(3000);
    expect(ping.status).toBe(200);
    // 60 transactions in all; the ping needs a few event-loop turns (connect, read, commit, answer), not the whole pass.
    expect(commits).toBe(60);
    expect(commitsWhenAnswered).toBeLessThan(60);
  });
});
