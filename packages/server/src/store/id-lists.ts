// A list of ids bound as one parameter, so that a query over "these checks" is one prepared statement whatever the
// list's length (an `in (?, ?, …)` list is new SQL for every length, built and compiled by Kysely each time).
import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Db } from './db.js';
import { isSqlite } from './db.js';

/** `column` is one of the ids bound as `ids`; pass the ids through `idList` for the same engine. */
export function inIdList(db: Db, column: string, ids: Expression<unknown>): RawBuilder<boolean> {
  return isSqlite(db)
    ? sql<boolean>`${sql.ref(column)} in (select value from json_each(${ids}))`
    : sql<boolean>`${sql.ref(column)} = any(cast(${ids} as text[]))`;
}

/** The value to bind for `inIdList`: JSON text on SQLite, an array on PostgreSQL. */
export function idList(db: Db, ids: readonly string[]): unknown {
  return isSqlite(db) ? JSON.stringify(ids) : ids;
}
