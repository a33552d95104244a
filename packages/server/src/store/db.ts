// The database handle every store module takes, and which engine is behind it.
import { type Kysely, SqliteAdapter } from 'kysely';
import type { Database } from './schema.js';

/** A connection or a transaction over the Overdue schema (either engine). */
export type Db = Kysely<Database>;

/** True when `db` runs on SQLite (the few queries the engines spell differently branch on it). */
export function isSqlite<DB>(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}
