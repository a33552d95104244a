// Ingest remembers the checks it found between batches (SQLite: store/check-row-cache.ts). Whatever changes a check
// between two pings — the API, the scheduler, a deletion, a rotated ping key, another process — the next ping must
// see the check as it is now. Run on both engines: on PostgreSQL (no cache) the same behaviour must hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, HOUR, MINUTE, pingKeyOf, readCheck, T0 } from '../support/checks.js';
import { sqliteFile } from '../../src/store/database.js';

describe('a check changed between two pings is seen as it is now by the next ping', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a check pinged in turn by its UUID, its key and its slug URL counts every ping, whichever ref found it last', async () => {
    const check = await createCheck(t, { slug: 'three-ways' });
    const pingKey = await pingKeyOf(t);
    for (const route of [check.id, check.key, `${pingKey}/three-ways`, check.id, check.key, `${pingKey}/three-ways`]) {
      expect((await t.ping(`/ping/${route}`)).status).toBe(200);
    }
    expect((await readCheck(t, check.id)).signal_count).toBe(6);
  });

  it('a check made POST-only through the API after a ping ignores the next GET ping', async () => {
    const check = await createCheck(t);
    expect((await t.ping(`/ping/${check.key}`)).status).toBe(200);
    expect((await t.api('PATCH', `/api/v1/checks/${check.id}`, { methods: ['POST'] })).status).toBe(200);
    const res = await t.ping(`/ping/${check.key}`);
    expect(JSON.parse(res.text)).toMatchObject({ ok: true, action: 'ignored' });
  });

  it('a check paused through the API after a ping is resumed by its next ping, a flip from paused', async () => {
    const check = await createCheck(t);
    await t.ping(`/ping/${check.id}`);
    expect((await t.api('POST', `/api/v1/checks/${check.id}/pause`)).status).toBe(200);
    await t.ping(`/ping/${check.id}`);
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'up', signal_count: 2 });
    const [latest] = await history(t, check.id, 'flips');
    expect(latest).toMatchObject({ from: 'paused', to: 'up' });
  });

  it('a deleted check answers 404 to the ping after its deletion', async () => {
    const check = await createCheck(t);
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(200);
    expect((await t.api('DELETE', `/api/v1/checks/${check.id}`)).status).toBe(200);
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(404);
  });

  it('a check the scheduler marked down is brought back up by its next ping (its state is not an older copy)', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 3600 }, grace_s: 60 });
    await t.ping(`/ping/${check.id}`);
    clock.advance(HOUR + 2 * MINUTE);
    await t.server.runtime.scheduler.tick();
    expect((await readCheck(t, check.id)).status).toBe('down');
    await t.ping(`/ping/${check.id}`);
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'up', signal_count: 2 });
    const [latest] = await history(t, check.id, 'flips');
    expect(latest).toMatchObject({ from: 'down', to: 'up' });
  });

  it('after the workspace ping key is rotated, the old slug URL answers 404 and the new one finds the check', async () => {
    const check = await createCheck(t, { slug: 'nightly-backup' });
    const oldKey = await pingKeyOf(t);
    expect((await t.ping(`/ping/${oldKey}/nightly-backup`)).status).toBe(200);
    expect((await t.api('POST', '/api/v1/workspace/ping-key/rotate')).status).toBe(200);
    const newKey = await pingKeyOf(t);
    expect((await t.ping(`/ping/${oldKey}/nightly-backup`)).status).toBe(404);
    expect((await t.ping(`/ping/${newKey}/nightly-backup`)).status).toBe(200);
    expect((await readCheck(t, check.id)).signal_count).toBe(2);
  });

  it('a check another process changed in the database file is seen as changed (SQLite: a CLI beside the server)', async (context) => {
    if (t.engine !== 'sqlite') context.skip();
    const check = await createCheck(t);
    await t.ping(`/ping/${check.id}`);
    const other = new Database(sqliteFile(t.dataDir));
    try {
      other.prepare('update checks set enabled = 0 where id = ?').run(check.id);
    } finally {
      other.close();
    }
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(404);
  });
});
