// What a store holds, summarised through the server's own Kysely handle (SQLite or PostgreSQL alike): tests that
// send refused requests check that the summary did not change.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';

const tableLists = new WeakMap<object, Promise<string[]>>();

/** The store's tables, looked up once per store (the schema does not change while a test runs). */
function tablesOf(db: Kysely<Database>): Promise<string[]> {
  let tables = tableLists.get(db);
  if (!tables) {
    tables = db.introspection.getTables().then((all) =>
      all
        .map((t) => t.name)
        .filter((n) => !n.startsWith('kysely_'))
        .sort(),
    );
    tableLists.set(db, tables);
  }
  return tables;
}

/** Rows per table (migration bookkeeping left out), in one query. */
export async function rowCountsOf(db: Kysely<Database>): Promise<Record<string, number>> {
  const tables = await tablesOf(db);
  const counts = sql.join(tables.map((t) => sql`(select count(*) from ${sql.table(t)}) as ${sql.ref(t)}`));
  const { rows } = await sql<Record<string, number>>`select ${counts}`.execute(db);
  return Object.fromEntries(tables.map((t) => [t, Number(rows[0][t])]));
}

/** Row counts (health left out: every /healthz writes it) and each check's changing columns, as one string. */
export async function fingerprintOf(db: Kysely<Database>): Promise<string> {
  const { health: _health, ...counts } = await rowCountsOf(db);
  const checks = await db.selectFrom('checks').select(['id', 'updated_at', 'signal_count', 'status', 'name']).orderBy('id').execute();
  return JSON.stringify({ counts, checks });
}
