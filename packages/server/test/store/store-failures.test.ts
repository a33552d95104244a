// When the store cannot write (another process holds the SQLite file locked, the disk is full), every route answers
// 503 with Retry-After, not 500, /healthz says unhealthy, the process keeps serving what it can, and it recovers by
// itself once the store can write again (the audit's finding 14). PostgreSQL going away: test/store/postgres.
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_ENGINE } from '../support/postgres.js';
import { sqliteFile } from '../../src/store/database.js';
import { createCheck } from '../support/checks.js';

function expectUnavailable(res: { status: number; body: any; headers: Headers }) {
  expect(res.status, JSON.stringify(res.body)).toBe(503);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(res.body.error.code).toMatch(/unavailable/);
}

describe.runIf(TEST_ENGINE === 'sqlite')('the SQLite store refusing writes', () => {
  let t: TestServer;
  let check: any;
  beforeEach(async () => {
    t = await startTestServer();
    check = await createCheck(t, { name: 'nightly' });
  });
  afterEach(async () => {
    await t.close();
  });

  it('another process holding the file locked: writes answer 503, reads are served meanwhile, then all recovers', async () => {
    const foreign = new Database(sqliteFile(t.dataDir));
    foreign.exec('BEGIN EXCLUSIVE');
    try {
      const order: string[] = [];
      const write = t.api('PATCH', `/api/v1/checks/${check.id}`, { description: 'changed while locked' }).then((res) => {
        order.push('write');
        return res;
      });
      // The write waits for the lock without blocking the process: a read sent after it is answered first.
      const read = await t.api('GET', `/api/v1/checks/${check.id}`).then((res) => {
        order.push('read');
        return res;
      });
      expect(read.status).toBe(200);
      expectUnavailable(await write);
      expect(order).toEqual(['read', 'write']);
      expectUnavailable(await t.api('POST', '/api/v1/checks', { name: 'created while locked' }));
      const ping = await t.ping(`/ping/${check.id}`);
      expect(ping.status).toBe(503);
      expect(ping.headers.get('retry-after')).not.toBeNull();
      expectUnavailable(await t.api('GET', '/healthz', undefined, null));
    } finally {
      foreign.exec('COMMIT');
      foreign.close();
    }
    expect((await t.api('GET', '/healthz', undefined, null)).status).toBe(200);
    expect((await t.api('PATCH', `/api/v1/checks/${check.id}`, { description: 'changed after' })).status).toBe(200);
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(200);
  });

  it('a full disk: writes answer 503 (SQLITE_FULL surfaces, not the failed rollback after it), /healthz says unhealthy, and growing it heals', async () => {
    const db = t.server.runtime.store.db;
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    await sql.raw(`pragma max_page_count = ${rows[0].page_count}`).execute(db);
    let refused: Awaited<ReturnType<TestServer['api']>> | undefined;
    for (let i = 0; i < 500 && !refused; i += 1) {
      const res = await t.api('POST', '/api/v1/checks', { name: `filler ${i}`, description: 'x'.repeat(2000) });
      if (res.status !== 201) refused = res;
    }
    expectUnavailable(refused!);
    expect((await t.api('PATCH', `/api/v1/checks/${check.id}`, { description: 'y'.repeat(3000) })).status).toBe(503);
    expectUnavailable(await t.api('GET', '/healthz', undefined, null));
    await sql.raw('pragma max_page_count = 1073741823').execute(db);
    expect((await t.api('GET', '/healthz', undefined, null)).status).toBe(200);
    expect((await t.api('POST', '/api/v1/checks', { name: 'after the disk grew' })).status).toBe(201);
  });
});
