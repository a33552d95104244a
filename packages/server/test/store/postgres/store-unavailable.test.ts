// PostgreSQL going away: management writes and reads, pings and /healthz answer 503 with Retry-After (never 500)
// while it is down, and everything works again once it is back, without restarting Overdue (audit finding 14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { postgresBinDir, startPrivatePostgres, type PrivatePostgres } from '../../support/private-postgres.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createCheck } from '../../support/checks.js';
import { until } from '../../support/process.js';

const binaries = postgresBinDir();
if (!binaries && process.env.CI !== 'true') {
  process.stderr.write('NOTICE: initdb/pg_ctl not found (set OVERDUE_TEST_PG_BIN): the PostgreSQL outage test is SKIPPED.\n');
}

describe.skipIf(!binaries && process.env.CI !== 'true')('PostgreSQL down', () => {
  let pg: PrivatePostgres;
  let database: TestDatabase;
  let t: TestServer;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    database = await createTestDatabase('overdue_down', pg.url);
    t = await startTestServer({ env: { DATABASE_URL: database.url, OVERDUE_PG_POOL_SIZE: '2' } });
  }, 90_000);
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    pg?.destroy();
  }, 60_000);

  it('every answer while it is down is 503 with Retry-After; after it is back, writes succeed again', async () => {
    const check = await createCheck(t, { name: 'nightly' });
    await pg.stop();
    const answers = [
      await t.api('PATCH', `/api/v1/checks/${check.id}`, { description: 'while down' }),
      await t.api('POST', '/api/v1/checks', { name: 'while down' }),
      await t.api('GET', '/api/v1/checks'),
      await t.api('GET', '/healthz', undefined, null),
    ];
    for (const res of answers) {
      expect(res.status, JSON.stringify(res.body)).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(503);
    await pg.start();
    await until(
      'writes work again',
      async () => ((await t.api('PATCH', `/api/v1/checks/${check.id}`, { description: 'after' })).status === 200 ? true : undefined),
      30_000,
      200,
    );
    expect((await t.api('GET', '/healthz', undefined, null)).status).toBe(200);
  }, 120_000);
});
