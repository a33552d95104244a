// Dependency edges between checks of one workspace (0018), and the folded incidents they lead to.
import type { Db } from './db.js';
import type { IncidentRow } from './schema.js';
import { isSqlite } from './db.js';
import { sql } from 'kysely';
import { prepared } from './prepared.js';
import { idList, inIdList } from './id-lists.js';
import type { ParentState } from '../core/dependencies.js';

export interface CheckLink {
  id: string;
  slug: string;
  name: string;
}

/** Each check's parents (id, slug, name), for the given checks. */
export async function parentsOf(db: Db, checkIds: string[]): Promise<Map<string, CheckLink[]>> {
  const result = new Map<string, CheckLink[]>();
  if (checkIds.length === 0) return result;
  const rows = await db
    .selectFrom('check_dependencies as d')
    .innerJoin('checks as p', 'p.id', 'd.parent_id')
    .select(['d.check_id', 'p.id', 'p.slug', 'p.name'])
    .where('d.check_id', 'in', checkIds)
    .orderBy('p.name')
    .execute();
  for (const row of rows) {
    const list = result.get(row.check_id) ?? [];
    list.push({ id: row.id, slug: row.slug, name: row.name });
    result.set(row.check_id, list);
  }
  return result;
}

/** Every edge of a workspace as child → parents (for cycle detection). */
export async function edgesOfWorkspace(db: Db, workspaceId: string): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('check_dependencies')
    .select(['check_id', 'parent_id'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  const edges = new Map<string, string[]>();
  for (const row of rows) edges.set(row.check_id, [...(edges.get(row.check_id) ?? []), row.parent_id]);
  return edges;
}

/** Replaces a check's parents. */
export async function setParents(db: Db, workspaceId: string, checkId: string, parentIds: string[]): Promise<void> {
  await db.deleteFrom('check_dependencies').where('check_id', '=', checkId).execute();
  if (parentIds.length === 0) return;
  await db
    .insertInto('check_dependencies')
    .values(parentIds.map((parent_id) => ({ check_id: checkId, parent_id, workspace_id: workspaceId })))
    .execute();
}

/** Removes every edge to or from a check (it is being deleted). */
export async function removeEdgesOf(db: Db, checkId: string): Promise<void> {
  await db.deleteFrom('check_dependencies').where('check_id', '=', checkId).execute();
  await db.deleteFrom('check_dependencies').where('parent_id', '=', checkId).execute();
}

const withParentsQuery = prepared<'ids', { check_id: string }>((db, p) =>
  db
    .selectFrom('check_dependencies')
    .select('check_id')
    .distinct()
    .where(inIdList(db, 'check_id', sql`${p('ids')}`)),
);

/** Which of the given checks depend on at least one other (one query for a scheduler batch). */
export async function withParents(db: Db, checkIds: readonly string[]): Promise<Map<string, boolean>> {
  const result = new Map<string, boolean>(checkIds.map((id) => [id, false]));
  if (checkIds.length === 0) return result;
  for (const row of await withParentsQuery(db, { ids: idList(db, checkIds) })) result.set(row.check_id, true);
  return result;
}

/**
 * A check's parents with their open incidents. On PostgreSQL the open incidents are locked: a parent resolving
 * concurrently then either sees this child's folded incident or makes this read see it resolved, never neither.
 */
export async function parentStatesOf(db: Db, checkId: string): Promise<ParentState[]> {
  const parents = await db
    .selectFrom('check_dependencies as d')
    .innerJoin('checks as p', 'p.id', 'd.parent_id')
    .select(['p.id', 'p.name'])
    .where('d.check_id', '=', checkId)
    .execute();
  if (parents.length === 0) return [];
  const open = await db
    .selectFrom('incidents')
    .select(['id', 'check_id', 'opened_at'])
    .where(
      'check_id',
      'in',
      parents.map((p) => p.id),
    )
    .where('resolved_at', 'is', null)
    .$if(!isSqlite(db), (q) => q.forUpdate())
    .execute();
  const byCheck = new Map(open.map((i) => [i.check_id, { id: i.id, opened_at: Number(i.opened_at) }]));
  return parents.map((p) => ({ check_id: p.id, name: p.name, open_incident: byCheck.get(p.id) ?? null }));
}

/** The incidents folded into `incidentId` that are still open and not yet paging on their own. */
export async function foldedStillOpen(db: Db, incidentId: string): Promise<IncidentRow[]> {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('folded_into', '=', incidentId)
    .where('resolved_at', 'is', null)
    .where('unfolded_at', 'is', null)
    .orderBy('opened_at')
    .execute();
}

/** The incidents folded into each of `incidentIds`, with their checks' names (for the incident API). */
export async function foldedInto(
  db: Db,
  incidentIds: string[],
): Promise<Map<string, Array<IncidentRow & { check_name: string; check_slug: string }>>> {
  const result = new Map<string, Array<IncidentRow & { check_name: string; check_slug: string }>>();
  if (incidentIds.length === 0) return result;
  const rows = await db
    .selectFrom('incidents as i')
    .innerJoin('checks as c', 'c.id', 'i.check_id')
    .selectAll('i')
    .select(['c.name as check_name', 'c.slug as check_slug'])
    .where('i.folded_into', 'in', incidentIds)
    .orderBy('i.opened_at')
    .execute();
  for (const row of rows) {
    const list = result.get(row.folded_into!) ?? [];
    list.push(row as IncidentRow & { check_name: string; check_slug: string });
    result.set(row.folded_into!, list);
  }
  return result;
}

/** For each given check whose open incident is folded and not yet paging: the parent incident and its check. */
export async function foldedOpenIncidentsOf(
  db: Db,
  checkIds: string[],
): Promise<Map<string, { incident_id: string; parent_incident_id: string; parent: CheckLink }>> {
  const result = new Map<string, { incident_id: string; parent_incident_id: string; parent: CheckLink }>();
  if (checkIds.length === 0) return result;
  const rows = await db
    .selectFrom('incidents as i')
    .innerJoin('incidents as pi', 'pi.id', 'i.folded_into')
    .innerJoin('checks as p', 'p.id', 'pi.check_id')
    .select(['i.check_id', 'i.id as incident_id', 'pi.id as parent_incident_id', 'p.id', 'p.slug', 'p.name'])
    .where('i.check_id', 'in', checkIds)
    .where('i.resolved_at', 'is', null)
    .where('i.unfolded_at', 'is', null)
    .execute();
  for (const r of rows)
    result.set(r.check_id, {
      incident_id: r.incident_id,
      parent_incident_id: r.parent_incident_id,
      parent: { id: r.id, slug: r.slug, name: r.name },
    });
  return result;
}
