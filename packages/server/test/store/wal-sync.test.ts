// SQLite with OVERDUE_SQLITE_SYNC=full: a ping batch commits without its own sync and the WAL is synced off the
// event loop (store/wal-sync.ts). A 2xx must still come only after that sync, and every other commit must still sync.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, readCheck, T0 } from '../support/checks.js';
import { sqliteFile } from '../../src/store/database.js';
import { TEST_ENGINE } from '../support/postgres.js';

describe.runIf(TEST_ENGINE === 'sqlite')('durable ping answers with OVERDUE_SQLITE_SYNC=full (SQLite)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: new ManualClock(T0), env: { OVERDUE_SQLITE_SYNC: 'full' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const syncLevel = async () =>
    (await sql<{ synchronous: number }>`pragma synchronous`.execute(t.server.runtime.store.db)).rows[0].synchronous;

  it('50 concurrent pings are all answered 2xx and stored, and the connection is back at FULL (2) for every other commit', async () => {
    const check = await createCheck(t);
    const answers = await Promise.all(Array.from({ length: 50 }, () => t.ping(`/ping/${check.id}`, { method: 'POST' })));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect((await readCheck(t, check.id)).signal_count).toBe(50);
    expect(await syncLevel()).toBe(2);
  });

  it('when the WAL cannot be synced, the ping is answered 503 (retry), never 2xx', async () => {
    const check = await createCheck(t);
    // The sync opens the WAL by name: with the file gone from the directory, it fails as a failing disk would.
    fs.rmSync(`${sqliteFile(t.dataDir)}-wal`);
    const res = await t.ping(`/ping/${check.id}`, { method: 'POST' });
    expect(res.status).toBe(503);
    expect(res.text).toMatch(/could not be confirmed as written to disk/);
    expect(await syncLevel()).toBe(2);
  });
});
