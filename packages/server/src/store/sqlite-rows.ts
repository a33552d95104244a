// Rows of a prepared SQLite read as plain objects, built in JavaScript. better-sqlite3 builds each row object property
// by property through the V8 API, which costs about a microsecond per column: a check row has about 60, and a
// scheduler batch reads 500 of them. Reading the row as an array and building the object with one literal per
// statement (the same keys in the same order, the last of a repeated name winning, as better-sqlite3 does) is several
// times cheaper.
import type SqliteDatabase from 'better-sqlite3';

type RowBuilder = { columns: number; build: (values: unknown[]) => Record<string, unknown> };
const builders = new WeakMap<SqliteDatabase.Statement, RowBuilder>();

function builderOf(stmt: SqliteDatabase.Statement): RowBuilder {
  const names = stmt.columns().map((c) => c.name);
  // Column names come from the statement's own result columns; JSON.stringify makes each a safe property key.
  const body = `return {${names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ')}};`;
  const builder = { columns: names.length, build: new Function('v', body) as RowBuilder['build'] };
  builders.set(stmt, builder);
  return builder;
}

/** Runs a reading statement and returns its rows as objects, like `stmt.all(parameters)`. */
export function allRows(stmt: SqliteDatabase.Statement, parameters: unknown[]): Record<string, unknown>[] {
  // The statement is shared with Kysely's driver (one cache): its raw mode is switched back before anyone else runs it.
  stmt.raw(true);
  let rows: unknown[][];
  try {
    rows = stmt.all(parameters) as unknown[][];
  } finally {
    stmt.raw(false);
  }
  if (rows.length === 0) return [];
  let builder = builders.get(stmt);
  // SQLite prepares a statement again after a schema change: `select *` may then have other columns.
  if (!builder || builder.columns !== rows[0].length) builder = builderOf(stmt);
  return rows.map(builder.build);
}
