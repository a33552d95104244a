// The few column types the two engines spell differently; migrations use these and nothing else dialect-specific.
import { type Kysely, sql } from 'kysely';
import { isSqlite } from '../db.js';

/**
 * The database a migration changes. Untyped on purpose: a migration runs against the schema as it was when the
 * migration was written, not against today's `Database` type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MigrationDb = Kysely<any>;

/** An auto-incrementing 64-bit primary key. */
export function serialType(db: MigrationDb) {
  return isSqlite(db) ? sql`integer` : sql`bigserial`;
}

export function floatType(db: MigrationDb) {
  return isSqlite(db) ? sql`real` : sql`double precision`;
}
