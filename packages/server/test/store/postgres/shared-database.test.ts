// Two Overdue instances in this process on one PostgreSQL database: live updates cross between them, their ingest
// batches share checks without deadlocking, and their management writes do not overwrite each other's signals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createCheck, readCheck } from '../../support/checks.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import type { CheckRow } from '../../../src/store/schema.js';

/** Resolves with the first 'checks' event of `t`'s live feed that contains `checkId` and satisfies `test`. */
function nextLiveUpdate(t: TestServer, checkId: string, test: (row: CheckRow) => boolean = () => true): Promise<CheckRow> {
  const feed = t.server.runtime.feed;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      feed.off('checks', listener);
      reject(new Error(`no live update for ${checkId} within 10 s`));
    }, 10_000);
    const listener = (rows: CheckRow[]) => {
      const row = rows.find((r) => r.id === checkId && test(r));
      if (!row) return;
      clearTimeout(timer);
      feed.off('checks', listener);
      resolve(row);
    };
    feed.on('checks', listener);
  });
}

describe('two instances sharing one PostgreSQL database', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    [a, b] = await Promise.all([0, 1].map(() => startTestServer({ env: { DATABASE_URL: database.url, OVERDUE_PG_POOL_SIZE: '4' } })));
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('share one workspace, created once although both started on an empty database at the same time', async () => {
    expect(a.workspaceId).toBe(b.workspaceId);
    const { rows } = await sql<{ n: number }>`select count(*) as n from workspaces`.execute(a.server.runtime.store.db);
    expect(Number(rows[0].n)).toBe(1);
  });

  it("a ping on one instance reaches the other instance's live feed, re-read from the store", async () => {
    const check = await createCheck(a);
    const seen = nextLiveUpdate(a, check.id, (row) => row.signal_count === 1);
    expect((await b.ping(`/ping/${check.id}`)).status).toBe(200);
    const row = await seen;
    expect(row).toMatchObject({ id: check.id, status: 'up', signal_count: 1 });
  });

  it("a check deleted on one instance is announced on the other's feed", async () => {
    const check = await createCheck(a);
    const deleted = new Promise<{ id: string; workspace_id: string }>((resolve) => {
      const listener = (row: { id: string; workspace_id: string }) => {
        if (row.id !== check.id) return;
        a.server.runtime.feed.off('deleted', listener);
        resolve(row);
      };
      a.server.runtime.feed.on('deleted', listener);
    });
    expect((await b.api('DELETE', `/api/v1/checks/${check.id}`)).status).toBe(200);
    expect(await deleted).toEqual({ id: check.id, workspace_id: a.workspaceId });
  });

  it('live updates resume after the listening connection is cut (as by a database restart), with a resync event', async () => {
    const resynced = new Promise<void>((resolve) => a.server.runtime.feed.once('resync', () => resolve()));
    const db = a.server.runtime.store.db;
    const { rows } = await sql<{ n: number }>`select count(pg_terminate_backend(pid)) as n from pg_stat_activity
      where datname = current_database() and query like 'listen %'`.execute(db);
    expect(Number(rows[0].n)).toBe(2);
    await resynced;

    const check = await createCheck(b);
    const seen = nextLiveUpdate(a, check.id, (row) => row.signal_count === 1);
    expect((await b.ping(`/ping/${check.key}`)).status).toBe(200);
    expect(await seen).toMatchObject({ id: check.id, signal_count: 1 });
  });

  it('pings for the same checks in opposite orders on both instances all commit, none refused, none lost', async () => {
    const checks = await Promise.all(Array.from({ length: 12 }, () => createCheck(a)));
    const forward = checks.map((c) => c.key);
    const backward = [...forward].reverse();
    const failedBefore = a.server.runtime.ingest.stats.failedBatches + b.server.runtime.ingest.stats.failedBatches;
    const rounds = 25;
    const answers = await Promise.all(
      Array.from({ length: rounds }, (_, round) => [
        ...forward.map((key) => a.ping(`/ping/${key}${round % 5 === 0 ? '/start' : ''}`)),
        ...backward.map((key) => b.ping(`/ping/${key}`)),
      ]).flat(),
    );
    expect(answers.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(a.server.runtime.ingest.stats.failedBatches + b.server.runtime.ingest.stats.failedBatches).toBe(failedBefore);
    for (const check of checks) expect((await readCheck(a, check.id)).signal_count).toBe(2 * rounds);
    // Every signal is on its check's chain: the history lists them all.
    const listed = await a.api('GET', `/api/v1/checks/${checks[0].id}/signals?limit=500`);
    expect(listed.body.items).toHaveLength(2 * rounds);
  });

  it('a change made on one instance while the other stores pings keeps every ping (no lost update)', async () => {
    const check = await createCheck(a);
    const pings = Array.from({ length: 60 }, (_, i) => b.ping(`/ping/${check.id}?n=${i}`));
    const changes = Array.from({ length: 10 }, (_, i) =>
      a.api('PATCH', `/api/v1/checks/${check.id}`, { description: `change ${i}`, grace_s: 60 + i }),
    );
    const [pinged, changed] = await Promise.all([Promise.all(pings), Promise.all(changes)]);
    expect(pinged.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect(changed.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const row = await readCheck(a, check.id);
    expect(row.signal_count).toBe(60);
    const listed = await a.api('GET', `/api/v1/checks/${check.id}/signals?limit=500`);
    expect(listed.body.items).toHaveLength(60);
  });

  it('the same slug created at once through both instances makes one check (the other request gets the next free slug)', async () => {
    const [one, two] = await Promise.all(
      [a, b].map((t) => t.api('POST', '/api/v1/checks', { name: 'twin job', schedule: { kind: 'interval', period_s: 60 } })),
    );
    expect([one.status, two.status]).toEqual([201, 201]);
    expect([one.body.slug, two.body.slug].sort()).toEqual(['twin-job', 'twin-job-2']);
  });
});
