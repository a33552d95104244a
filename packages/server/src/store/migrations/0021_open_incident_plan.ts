// SQLite plans without statistics, and for "the open incident of check X" it took incidents_check_opened, reading
// every past incident of the check, over the partial index incidents_open that holds only open ones. One fixed row of
// statistics (SQLite's documented way to steer the planner without ANALYZE) says incidents_open is small, so every
// such query uses it; the other indexes keep SQLite's default estimates. PostgreSQL gathers statistics itself.
import { sql } from 'kysely';
import { isSqlite } from '../db.js';
import type { MigrationDb } from './column-types.js';

const ROW = { tbl: 'incidents', idx: 'incidents_open', stat: '10 1' };

export async function up(db: MigrationDb): Promise<void> {
  if (!isSqlite(db)) return;
  // ANALYZE of the schema table creates sqlite_stat1 if it is missing; run again, it makes the planner read the row.
  await sql`analyze sqlite_schema`.execute(db);
  await sql`delete from sqlite_stat1 where tbl = ${ROW.tbl} and idx = ${ROW.idx}`.execute(db);
  await sql`insert into sqlite_stat1 (tbl, idx, stat) values (${ROW.tbl}, ${ROW.idx}, ${ROW.stat})`.execute(db);
  await sql`analyze sqlite_schema`.execute(db);
}

export async function down(db: MigrationDb): Promise<void> {
  if (!isSqlite(db)) return;
  await sql`delete from sqlite_stat1 where tbl = ${ROW.tbl} and idx = ${ROW.idx}`.execute(db);
  await sql`analyze sqlite_schema`.execute(db);
}
