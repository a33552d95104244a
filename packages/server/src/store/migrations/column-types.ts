// The few column types the two engines spell differently; migrations use these and nothing else dialect-specific.
import { type Kysely, sql } from 'kysely';
import { isSqlite } from '../db.js';

/** An auto-incrementing 64-bit primary key. */
export function serialType(db: Kysely<any>) {
  return isSqlite(db) ? sql`integer` : sql`bigserial`;
}

export function floatType(db: Kysely<any>) {
  return isSqlite(db) ? sql`real` : sql`double precision`;
}
