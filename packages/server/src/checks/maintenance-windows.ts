// What people do to maintenance windows (create, change, delete), shared by the API and monitors as code.
import { coveringEnd, iso, nextWindowStart, validateWindowTiming, type WindowTiming } from '../core/index.js';
import { badRequest, conflict, OverdueError } from '../errors.js';
import type { Db } from '../store/db.js';
import { findCheck } from '../store/checks.js';
import { newId } from '../store/ids.js';
import type { CheckRow, MaintenanceWindowRow } from '../store/schema.js';
import {
  countWindows,
  deleteWindow,
  findWindowByName,
  insertWindow,
  MAX_WINDOWS_PER_WORKSPACE,
  recheckMaintenanceHolds,
  updateWindow,
  windowTimingOf,
} from '../store/maintenance-windows.js';

/** A window as the API and the file take it; null clears a field (PATCH), a field left out stays as it is. */
export interface WindowInput {
  name?: string;
  /** The check: its UUID, 8-character key, read id or slug. */
  check?: string | null;
  tag?: string | null;
  cron?: string | null;
  tz?: string | null;
  duration_s?: number | null;
  starts_at?: string | null;
  ends_at?: string | null;
  reason?: string | null;
}

const invalid = (message: string) => badRequest('invalid_window', message);

/** The check a window names, in the workspace only; slugs are accepted as monitors-as-code files use them. */
async function checkOfWindow(db: Db, workspaceId: string, ref: string): Promise<CheckRow> {
  const row =
    (await findCheck(db, workspaceId, ref)) ??
    (await db.selectFrom('checks').selectAll().where('workspace_id', '=', workspaceId).where('slug', '=', ref).executeTakeFirst());
  if (!row)
    throw badRequest(
      'unknown_check',
      `No check "${ref}" in this workspace; name it by UUID, key, read id or slug (GET /api/v1/checks lists them).`,
    );
  return row;
}

function timeOf(field: string, value: string | null | undefined, current: number | null): number | null {
  if (value === undefined) return current;
  if (value === null) return null;
  const at = Date.parse(value);
  if (!Number.isFinite(at)) throw invalid(`${field} must be an ISO 8601 time such as 2026-03-01T02:00:00Z.`);
  return at;
}

/** Null when a window's scope and timing fit together, else a sentence saying what to change. Pure. */
export function windowShapeProblem(
  row: Pick<MaintenanceWindowRow, 'check_id' | 'tag' | 'cron_expr' | 'tz' | 'duration_s' | 'starts_at' | 'ends_at'>,
): string | null {
  if (row.check_id != null && row.tag != null)
    return 'A window covers one check, one tag, or (neither given) the whole workspace: give check or tag, not both.';
  const recurring = row.cron_expr != null || row.duration_s != null;
  const once = row.starts_at != null || row.ends_at != null;
  if (recurring && once)
    return 'A window is either recurring (cron, duration_s, tz) or one-off (starts_at, ends_at); set the other pair to null.';
  if (!recurring && !once)
    return 'Say when the window is open: cron and duration_s (with tz) for a recurring window, or starts_at and ends_at for a one-off.';
  if (recurring && (row.cron_expr == null || row.duration_s == null))
    return 'A recurring window needs both cron (when it opens) and duration_s (how long it stays open).';
  if (once && (row.starts_at == null || row.ends_at == null)) return 'A one-off window needs both starts_at and ends_at.';
  const problem = validateWindowTiming(
    windowTimingOf({ ...row, tz: row.cron_expr != null ? (row.tz ?? 'UTC') : null } as MaintenanceWindowRow),
  );
  return problem ? `${problem}.` : null;
}

/** The row `input` makes of `current` (or of nothing, for a new window): validated whole, with actionable 400s. */
async function windowRow(
  db: Db,
  workspaceId: string,
  input: WindowInput,
  current: MaintenanceWindowRow | null,
  now: number,
): Promise<MaintenanceWindowRow> {
  const row: MaintenanceWindowRow = current
    ? { ...current, updated_at: now }
    : {
        id: newId(),
        workspace_id: workspaceId,
        name: '',
        check_id: null,
        tag: null,
        cron_expr: null,
        tz: null,
        duration_s: null,
        starts_at: null,
        ends_at: null,
        reason: null,
        created_at: now,
        updated_at: now,
      };
  if (input.name !== undefined) row.name = String(input.name).trim();
  if (!row.name || row.name.length > 200)
    throw invalid('name must be 1 to 200 characters; it is how the dashboard and monitors-as-code files tell windows apart.');
  if (input.check !== undefined) row.check_id = input.check ? (await checkOfWindow(db, workspaceId, input.check)).id : null;
  if (input.tag !== undefined) row.tag = input.tag?.trim() || null;
  if (row.tag != null && row.tag.length > 64) throw invalid("tag must be at most 64 characters, like a check's tags.");
  if (input.cron !== undefined) row.cron_expr = input.cron?.trim() || null;
  if (input.tz !== undefined) row.tz = input.tz?.trim() || null;
  if (input.duration_s !== undefined) row.duration_s = input.duration_s;
  row.starts_at = timeOf('starts_at', input.starts_at, row.starts_at);
  row.ends_at = timeOf('ends_at', input.ends_at, row.ends_at);
  const problem = windowShapeProblem(row);
  if (problem) throw invalid(problem);
  if (row.cron_expr != null) row.tz ??= 'UTC';
  else row.tz = null;
  if (input.reason !== undefined) row.reason = input.reason?.trim() || null;
  if (row.reason != null && row.reason.length > 500) throw invalid('reason must be at most 500 characters.');
  return row;
}

async function requireFreeName(db: Db, workspaceId: string, name: string, id: string): Promise<void> {
  const other = await findWindowByName(db, workspaceId, name);
  if (other && other.id !== id)
    throw conflict(
      'window_name_taken',
      `A window named "${name}" already exists in this workspace; choose another name or change that window.`,
    );
}

/** Creates a window; checks already down inside it keep their alert until it ends. */
export async function createWindow(db: Db, workspaceId: string, input: WindowInput, now: number): Promise<MaintenanceWindowRow> {
  if ((await countWindows(db, workspaceId)) >= MAX_WINDOWS_PER_WORKSPACE) {
    throw new OverdueError(
      403,
      'window_limit_reached',
      `This workspace has ${MAX_WINDOWS_PER_WORKSPACE} maintenance windows, the most it may hold; delete windows that have ended.`,
    );
  }
  const row = await windowRow(db, workspaceId, input, null, now);
  await requireFreeName(db, workspaceId, row.name, row.id);
  await insertWindow(db, row);
  return row;
}

/** Changes a window; holds that wait for a window's end are decided again at the scheduler's next pass. */
export async function changeWindow(db: Db, current: MaintenanceWindowRow, input: WindowInput, now: number): Promise<MaintenanceWindowRow> {
  const row = await windowRow(db, current.workspace_id, input, current, now);
  await requireFreeName(db, current.workspace_id, row.name, row.id);
  await updateWindow(db, row.id, row);
  await recheckMaintenanceHolds(db, row.workspace_id, now);
  return row;
}

/** Deletes a window; a check it held back that is still down alerts at the scheduler's next pass. */
export async function removeWindow(db: Db, row: MaintenanceWindowRow, now: number): Promise<void> {
  await deleteWindow(db, row.id);
  await recheckMaintenanceHolds(db, row.workspace_id, now);
}

/** A window as the API shows it at `now`: its scope, timing, whether it is open and until when, and when it opens next. */
export function presentWindow(row: MaintenanceWindowRow, check: Pick<CheckRow, 'id' | 'name' | 'slug'> | undefined, now: number) {
  const timing: WindowTiming = windowTimingOf(row);
  return {
    id: row.id,
    name: row.name,
    scope: row.check_id != null ? 'check' : row.tag != null ? 'tag' : 'workspace',
    check: check ? { id: check.id, name: check.name, slug: check.slug } : null,
    tag: row.tag,
    cron: row.cron_expr,
    tz: row.tz,
    duration_s: row.duration_s,
    starts_at: iso(row.starts_at),
    ends_at: iso(row.ends_at),
    reason: row.reason,
    open_until: iso(coveringEnd(timing, now)),
    next_start: iso(nextWindowStart(timing, now)),
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
  };
}
