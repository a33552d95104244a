// Where SQLite and PostgreSQL differ for the code above the store, in one place: callers ask for what they mean
// ("claim these rows", "lock this row") and get the right SQL for the engine the query runs on. SQLite has one
// writer at a time, so row locks are no-ops there; PostgreSQL serves several instances, which take turns through
// row locks (architecture.md §4, §6).
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { isSqlite } from './db.js';

export { isSqlite };

/** The engine behind a connection or transaction. */
export function engineOf<DB>(db: Kysely<DB>): 'sqlite' | 'postgres' {
  return isSqlite(db) ? 'sqlite' : 'postgres';
}

/** Whether several Overdue instances may share this database (and so work needs claiming, not just doing). */
export function isShared<DB>(db: Kysely<DB>): boolean {
  return !isSqlite(db);
}

/**
 * Rows for a worker to claim: locked until commit and skipped by other instances' claims (FOR UPDATE SKIP LOCKED on
 * PostgreSQL), unchanged on SQLite. Use with `$call((q) => claimRows(db, q))`.
 */
export function claimRows<DB, TB extends keyof DB, O>(db: Kysely<DB>, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return isSqlite(db) ? query : query.forUpdate().skipLocked();
}

/** Rows read to be changed in this transaction: locked until commit on PostgreSQL (FOR UPDATE), unchanged on SQLite. */
export function lockRows<DB, TB extends keyof DB, O>(db: Kysely<DB>, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return isSqlite(db) ? query : query.forUpdate();
}
