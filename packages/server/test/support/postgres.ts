// PostgreSQL for tests: which engine this run uses, a throwaway database per server, and a reachability probe.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The engine the server suites run on: OVERDUE_TEST_DATABASE=postgres selects PostgreSQL, anything else SQLite. */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.OVERDUE_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

/** A database on the test server that tests may connect to in order to create and drop their own databases. */
export const PG_ADMIN_URL = process.env.OVERDUE_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** The same server, another database. */
export function urlOfDatabase(name: string, base = PG_ADMIN_URL): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>, base = PG_ADMIN_URL): Promise<T> {
  const client = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database with a unique name; drop() removes it even if connections are still open. */
export async function createTestDatabase(prefix = 'overdue_test', base = PG_ADMIN_URL): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`), base);
  return {
    name,
    url: urlOfDatabase(name, base),
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`), base).then(() => undefined),
  };
}

/** Whether PostgreSQL answers at `url`; the reason when it does not. */
export async function probePostgres(url = PG_ADMIN_URL): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await admin((c) => c.query('select 1'), url);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message || String(error) };
  }
}
