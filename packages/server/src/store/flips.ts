// Flip rows: status changes with the reason a person reads.
import type { Selectable } from 'kysely';
import type { Db } from './db.js';
import type { FlipRow } from './schema.js';
import { prepared, placeholders } from './prepared.js';

type NewFlip = Omit<FlipRow, 'id'>;
const FLIP_COLUMNS = ['check_id', 'workspace_id', 'at', 'from_status', 'to_status', 'reason'] as const;
const insertQuery = prepared<(typeof FLIP_COLUMNS)[number]>((db, p) => db.insertInto('flips').values(placeholders(FLIP_COLUMNS, p)));

/** Records a status change (a prepared statement: a cron minute can flip a hundred thousand checks). */
export async function insertFlip(db: Db, row: NewFlip): Promise<void> {
  await insertQuery(db, row);
}

export async function listFlips(db: Db, checkId: string, limit: number, from?: number, to?: number): Promise<Selectable<FlipRow>[]> {
  let q = db.selectFrom('flips').selectAll().where('check_id', '=', checkId);
  if (from != null) q = q.where('at', '>=', from);
  if (to != null) q = q.where('at', '<', to);
  return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** A check's oldest `limit` flips to down with `from <= at < to`, oldest first (an event feed read forwards). */
export async function oldestDownFlipsInRange(
  db: Db,
  checkId: string,
  from: number,
  to: number,
  limit: number,
): Promise<Selectable<FlipRow>[]> {
  return db
    .selectFrom('flips')
    .selectAll()
    .where('check_id', '=', checkId)
    .where('to_status', '=', 'down')
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('at', 'asc')
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
}

/** For each of several checks, the status its last flip strictly before `at` set (absent: no flip before). */
export async function statusesBefore(db: Db, checkIds: string[], at: number): Promise<Map<string, string>> {
  if (checkIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('checks')
    .where('id', 'in', checkIds)
    .select((eb) => [
      'id',
      eb
        .selectFrom('flips')
        .select('to_status')
        .whereRef('flips.check_id', '=', 'checks.id')
        .where('flips.at', '<', at)
        .orderBy('flips.at', 'desc')
        .orderBy('flips.id', 'desc')
        .limit(1)
        .as('to_status'),
    ])
    .execute();
  return new Map(rows.filter((r) => r.to_status != null).map((r) => [r.id, r.to_status!]));
}

/** The flips of several checks with `from <= at < to`, oldest first. */
export async function flipsOfChecksInRange(db: Db, checkIds: string[], from: number, to: number): Promise<Selectable<FlipRow>[]> {
  if (checkIds.length === 0) return [];
  return db
    .selectFrom('flips')
    .selectAll()
    .where('check_id', 'in', checkIds)
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('at', 'asc')
    .orderBy('id', 'asc')
    .execute();
}
