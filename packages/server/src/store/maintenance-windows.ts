// Maintenance windows of a workspace: rows in and out, and the core's view of them for one check.
import { maintenanceUntil, type MaintenanceWindow, type WindowTiming } from '../core/index.js';
import type { Db } from './db.js';
import type { CheckRow, MaintenanceWindowRow } from './schema.js';

/** Most windows one workspace may hold: every down flip reads them all. */
export const MAX_WINDOWS_PER_WORKSPACE = 1000;

export function windowTimingOf(row: MaintenanceWindowRow): WindowTiming {
  return row.cron_expr != null
    ? { kind: 'recurring', cron: row.cron_expr, tz: row.tz ?? 'UTC', duration_ms: (row.duration_s ?? 0) * 1000 }
    : { kind: 'once', start: Number(row.starts_at), end: Number(row.ends_at) };
}

export function windowOf(row: MaintenanceWindowRow): MaintenanceWindow {
  return { check_id: row.check_id, tag: row.tag, timing: windowTimingOf(row) };
}

export async function listWindows(db: Db, workspaceId: string): Promise<MaintenanceWindowRow[]> {
  return db.selectFrom('maintenance_windows').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').orderBy('id').execute();
}

export async function findWindow(db: Db, workspaceId: string, id: string): Promise<MaintenanceWindowRow | undefined> {
  return db.selectFrom('maintenance_windows').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function findWindowByName(db: Db, workspaceId: string, name: string): Promise<MaintenanceWindowRow | undefined> {
  return db
    .selectFrom('maintenance_windows')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function countWindows(db: Db, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('maintenance_windows')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertWindow(db: Db, row: MaintenanceWindowRow): Promise<void> {
  await db.insertInto('maintenance_windows').values(row).execute();
}

export async function updateWindow(db: Db, id: string, change: Partial<MaintenanceWindowRow>): Promise<void> {
  await db.updateTable('maintenance_windows').set(change).where('id', '=', id).execute();
}

export async function deleteWindow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('maintenance_windows').where('id', '=', id).execute();
}

/** A workspace's windows as the core sees them. */
export async function windowsOfWorkspace(db: Db, workspaceId: string): Promise<MaintenanceWindow[]> {
  return (await listWindows(db, workspaceId)).map(windowOf);
}

/**
 * When the maintenance of `check` ends if it is in maintenance at `at`, else null. `windows` are its workspace's when
 * the caller already holds them (a scheduler batch); otherwise one query.
 */
export async function maintenanceUntilOf(
  db: Db,
  check: Pick<CheckRow, 'id' | 'workspace_id' | 'tags'>,
  at: number,
  windows?: readonly MaintenanceWindow[],
): Promise<number | null> {
  const known = windows ?? (await windowsOfWorkspace(db, check.workspace_id));
  if (known.length === 0) return null;
  return maintenanceUntil(known, { id: check.id, tags: JSON.parse(check.tags) as string[] }, at);
}

/**
 * After windows changed: every hold of the workspace that waits for a window's end is due now, so the scheduler's next
 * pass decides again (holds again until the window that still covers the check ends, or alerts).
 */
export async function recheckMaintenanceHolds(db: Db, workspaceId: string, now: number): Promise<void> {
  await db
    .updateTable('checks')
    .set({ incident_hold_until: now })
    .where('workspace_id', '=', workspaceId)
    .where('hold_cause', '=', 'maintenance')
    .where('incident_hold_until', '>', now)
    .execute();
}

/** The checks of `rows` in maintenance at `at`, with when it ends (one query, none when the workspace has no window). */
export async function maintenanceOfChecks(
  db: Db,
  workspaceId: string,
  rows: Pick<CheckRow, 'id' | 'tags'>[],
  at: number,
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (rows.length === 0) return found;
  const windows = (await listWindows(db, workspaceId)).map(windowOf);
  if (windows.length === 0) return found;
  for (const row of rows) {
    const until = maintenanceUntil(windows, { id: row.id, tags: JSON.parse(row.tags) as string[] }, at);
    if (until != null) found.set(row.id, until);
  }
  return found;
}
