// Incidents: opened when a check goes down, resolved when it recovers; acknowledged, published, reminded.
import type { Db } from './db.js';
import type { IncidentRow } from './schema.js';
import { claimRows } from './dialect.js';
import { prepared, placeholders } from './prepared.js';
import { idList, inIdList } from './id-lists.js';
import { sql } from 'kysely';
import { newTimeOrderedId } from './ids.js';

/** A new incident's id: time-ordered, so it lands at the end of the id index, not on a random page of it. */
export const newIncidentId = (openedAt: number): string => newTimeOrderedId(openedAt);

// Prepared: every flip reads the check's open incident, and every flip to down inserts one.
const openQuery = prepared<'check_id', IncidentRow>((db, p) =>
  db.selectFrom('incidents').selectAll().where('check_id', '=', p('check_id')).where('resolved_at', 'is', null).limit(1),
);
const INCIDENT_COLUMNS = [
  'id',
  'workspace_id',
  'check_id',
  'opened_at',
  'resolved_at',
  'reason',
  'resolve_reason',
  'severity',
  'acknowledged_at',
  'acknowledged_by',
  'draft',
  'published_at',
  'next_alert_at',
  'realerts',
  'folded_into',
  'unfolded_at',
] as const satisfies readonly (keyof IncidentRow)[];
const insertQuery = prepared<(typeof INCIDENT_COLUMNS)[number]>((db, p) =>
  db.insertInto('incidents').values(placeholders(INCIDENT_COLUMNS, p)),
);

const openOfListQuery = prepared<'ids', IncidentRow>((db, p) =>
  db
    .selectFrom('incidents')
    .selectAll()
    .where(inIdList(db, 'check_id', sql`${p('ids')}`))
    .where('resolved_at', 'is', null),
);

export async function openIncidentOf(db: Db, checkId: string): Promise<IncidentRow | undefined> {
  return (await openQuery(db, { check_id: checkId }))[0];
}

/** The open incident (or null) of each of several checks, in one query: a scheduler batch reads them all at once. */
export async function openIncidentsOf(db: Db, checkIds: readonly string[]): Promise<Map<string, IncidentRow | null>> {
  const result = new Map<string, IncidentRow | null>(checkIds.map((id) => [id, null]));
  if (checkIds.length === 0) return result;
  for (const row of await openOfListQuery(db, { ids: idList(db, checkIds) })) result.set(row.check_id, row);
  return result;
}

/**
 * The check's most recently resolved incident (for the cooldown). A check has one open incident at a time, so the
 * latest opened of the resolved ones is also the latest resolved: ordering by opened_at uses incidents_check_opened.
 */
export async function lastResolvedIncidentOf(db: Db, checkId: string): Promise<IncidentRow | undefined> {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('check_id', '=', checkId)
    .where('resolved_at', 'is not', null)
    .orderBy('opened_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findIncident(db: Db, workspaceId: string, id: string): Promise<IncidentRow | undefined> {
  return db.selectFrom('incidents').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function insertIncident(db: Db, row: IncidentRow): Promise<void> {
  // Every column is bound: fields a caller leaves out (an incident that is not folded) are stored as null.
  await insertQuery(db, { folded_into: null, unfolded_at: null, ...row } as unknown as Record<(typeof INCIDENT_COLUMNS)[number], unknown>);
}

export async function updateIncident(db: Db, id: string, change: Partial<Omit<IncidentRow, 'id'>>): Promise<void> {
  await db.updateTable('incidents').set(change).where('id', '=', id).execute();
}

export async function resolveIncident(db: Db, id: string, at: number, reason: string): Promise<void> {
  await updateIncident(db, id, { resolved_at: at, resolve_reason: reason, next_alert_at: null });
}

/** Incidents whose reminder is due, oldest first, claimed so that other instances skip them. */
export async function incidentsDueForRealert(db: Db, now: number, limit: number): Promise<IncidentRow[]> {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('next_alert_at', '<=', now)
    .orderBy('next_alert_at')
    .limit(limit)
    .$call((q) => claimRows(db, q))
    .execute();
}

export async function draftIncidentIds(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db.selectFrom('incidents').select('id').where('workspace_id', '=', workspaceId).where('draft', '=', 1).execute();
  return rows.map((r) => r.id);
}

export interface IncidentFilters {
  checkId?: string;
  open?: boolean;
  draft?: boolean;
  before?: number;
}

export async function listIncidents(db: Db, workspaceId: string, limit: number, filters: IncidentFilters): Promise<IncidentRow[]> {
  let q = db.selectFrom('incidents').selectAll().where('workspace_id', '=', workspaceId);
  if (filters.checkId) q = q.where('check_id', '=', filters.checkId);
  if (filters.open === true) q = q.where('resolved_at', 'is', null);
  if (filters.open === false) q = q.where('resolved_at', 'is not', null);
  if (filters.draft != null) q = q.where('draft', '=', filters.draft ? 1 : 0);
  if (filters.before != null) q = q.where('opened_at', '<', filters.before);
  return q.orderBy('opened_at', 'desc').orderBy('id').limit(limit).execute();
}
