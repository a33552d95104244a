// Pool and timeout settings: a statement stuck behind a lock is cancelled and the ping answered 503 (the client
// retries) instead of piling up; the settings are validated at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createCheck, readCheck } from '../../support/checks.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { ConfigError, loadConfig } from '../../../src/config.js';

describe('PostgreSQL pool and statement timeout', () => {
  let database: TestDatabase;
  let t: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestServer({ env: { DATABASE_URL: database.url, OVERDUE_PG_POOL_SIZE: '3', OVERDUE_PG_STATEMENT_TIMEOUT_MS: '300' } });
  });

  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('a ping whose check another session keeps locked gets 503 with Retry-After after the statement timeout, and 200 once the lock is gone', async () => {
    const check = await createCheck(t);
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select id from checks where id = $1 for update', [check.id]);
      const refused = await t.ping(`/ping/${check.id}`);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      // A check nobody holds is not affected meanwhile.
      const other = await createCheck(t);
      expect((await t.ping(`/ping/${other.id}`)).status).toBe(200);
      await blocker.query('rollback');
      expect((await t.ping(`/ping/${check.id}`)).status).toBe(200);
      expect((await readCheck(t, check.id)).signal_count).toBe(1);
    } finally {
      await blocker.end();
    }
  });

  it('the pool size and timeout come from OVERDUE_PG_POOL_SIZE and OVERDUE_PG_STATEMENT_TIMEOUT_MS, with clear errors', () => {
    expect(loadConfig({})).toMatchObject({ pgPoolSize: 10, pgStatementTimeoutMs: 10_000 });
    expect(loadConfig({ OVERDUE_PG_POOL_SIZE: '25', OVERDUE_PG_STATEMENT_TIMEOUT_MS: '0' })).toMatchObject({
      pgPoolSize: 25,
      pgStatementTimeoutMs: 0,
    });
    expect(() => loadConfig({ OVERDUE_PG_POOL_SIZE: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ OVERDUE_PG_POOL_SIZE: 'many' })).toThrow(/OVERDUE_PG_POOL_SIZE=many is not valid/);
    expect(() => loadConfig({ OVERDUE_PG_STATEMENT_TIMEOUT_MS: '-5' })).toThrow(/OVERDUE_PG_STATEMENT_TIMEOUT_MS/);
  });
});
