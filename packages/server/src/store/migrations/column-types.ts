// The few column types the two engines spell differently; migrations use these and nothing else dialect-specific.
import { type Kysely, SqliteAdapter, sql } from 'kysely';

export function isSqlite(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** An auto-incrementing 64-bit primary key. */
export function serialType(db: Kysely<any>) {
  return isSqlite(db) ? sql`integer` : sql`bigserial`;
}

export function floatType(db: Kysely<any>) {
  return isSqlite(db) ? sql`real` : sql`double precision`;
}
