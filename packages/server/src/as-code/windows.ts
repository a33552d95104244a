// The `windows:` section of a monitors-as-code file: maintenance windows matched by name, their check by slug.
// An entry is the whole window (a field left out is null), so a window can change from recurring to one-off in a file.
import { iso } from '../core/index.js';
import type { Db } from '../store/db.js';
import type { CheckRow, MaintenanceWindowRow } from '../store/schema.js';
import { listWindows } from '../store/maintenance-windows.js';
import { changeWindow, createWindow, removeWindow, windowShapeProblem, type WindowInput } from '../checks/maintenance-windows.js';
import { UpdateWindowSchema } from '../api/maintenance-schemas.js';
import { checkFields, type Problem, type SchemaCompiler } from './document.js';

/** A window as the file describes it. */
export type WindowEntry = { name: string } & Omit<WindowInput, 'name'>;

/** The fields of a window entry, in the order export writes them. */
export const WINDOW_FIELDS = ['name', 'check', 'tag', 'cron', 'tz', 'duration_s', 'starts_at', 'ends_at', 'reason'] as const;

/** A window the file names, validated; `row` is the stored window of that name, if any. */
export interface WantedWindow {
  path: string;
  entry: WindowEntry;
  row: MaintenanceWindowRow | null;
}

/** Stored windows as file entries, sorted by name; only the fields that are set. */
export async function windowEntriesOf(db: Db, workspaceId: string): Promise<WindowEntry[]> {
  const rows = await listWindows(db, workspaceId);
  const ids = [...new Set(rows.map((r) => r.check_id).filter((id): id is string => id != null))];
  const slugs = new Map(
    (ids.length ? await db.selectFrom('checks').select(['id', 'slug']).where('id', 'in', ids).execute() : []).map((c) => [c.id, c.slug]),
  );
  return rows.map((row) => entryOf(row, slugs)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function entryOf(row: MaintenanceWindowRow, slugs: Map<string, string>): WindowEntry {
  const all: Record<string, unknown> = {
    name: row.name,
    check: row.check_id ? (slugs.get(row.check_id) ?? null) : null,
    tag: row.tag,
    cron: row.cron_expr,
    tz: row.tz,
    duration_s: row.duration_s,
    starts_at: iso(row.starts_at),
    ends_at: iso(row.ends_at),
    reason: row.reason,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v != null)) as WindowEntry;
}

/** Reads the `windows` entries: each field with the API's schema, then each window whole; `checkSlugs` are the checks it may name. */
export function prepareWindows(
  entries: Array<[number, Record<string, unknown>]>,
  existing: MaintenanceWindowRow[],
  checkSlugs: Set<string>,
  compile: SchemaCompiler,
  problems: Problem[],
): WantedWindow[] {
  const check = compile(UpdateWindowSchema);
  const byName = new Map(existing.map((w) => [w.name, w]));
  const seen = new Set<string>();
  const wanted: WantedWindow[] = [];
  for (const [i, raw] of entries) {
    const path = `windows[${i}]`;
    const fields = checkFields(raw, WINDOW_FIELDS, check, path, problems);
    if (!fields) continue;
    const entry = fields as WindowEntry;
    if (typeof entry.name !== 'string' || !entry.name.trim()) {
      problems.push({ path: `${path}.name`, code: 'invalid_field', message: 'name is required: windows are matched by name.' });
      continue;
    }
    const name = entry.name.trim();
    if (seen.has(name)) {
      problems.push({
        path: `${path}.name`,
        code: 'duplicate_name',
        message: `Another entry already names the window "${name}"; names must be unique.`,
      });
      continue;
    }
    seen.add(name);
    if (entry.check && !checkSlugs.has(entry.check)) {
      problems.push({
        path: `${path}.check`,
        code: 'unknown_check',
        message: `No check with the slug "${entry.check}" in this workspace or in the file's checks section (or --prune deletes it).`,
      });
      continue;
    }
    const shape = windowShapeProblem({
      check_id: entry.check ?? null,
      tag: entry.tag ?? null,
      cron_expr: entry.cron ?? null,
      tz: entry.tz ?? null,
      duration_s: entry.duration_s ?? null,
      starts_at: entry.starts_at ? Date.parse(entry.starts_at) : null,
      ends_at: entry.ends_at ? Date.parse(entry.ends_at) : null,
    });
    if (shape) {
      problems.push({ path, code: 'invalid_window', message: shape });
      continue;
    }
    wanted.push({ path, entry: { ...entry, name }, row: byName.get(name) ?? null });
  }
  return wanted;
}

/** An entry as export would write it back (times in full ISO form, tz UTC by default), every field present. */
function normalised(entry: WindowEntry): WindowInput & Record<string, unknown> {
  const time = (v: string | null | undefined) => (v ? iso(Date.parse(v)) : null);
  const text = (v: string | null | undefined) => v?.trim() || null;
  return {
    name: entry.name,
    check: entry.check ?? null,
    tag: text(entry.tag),
    cron: text(entry.cron),
    tz: entry.cron ? (text(entry.tz) ?? 'UTC') : null,
    duration_s: entry.duration_s ?? null,
    starts_at: time(entry.starts_at),
    ends_at: time(entry.ends_at),
    reason: text(entry.reason),
  };
}

/** What applying one window did, for the plan. */
export interface WindowOutcome {
  name: string;
  action: 'create' | 'change' | 'delete' | 'unchanged';
  changes?: Array<{ field: string; old: unknown; new: unknown }>;
}

/** Makes the file's windows true (after its checks, which they may name); with `prune`, deletes the windows it leaves out. */
export async function applyWindows(
  db: Db,
  workspaceId: string,
  wanted: WantedWindow[],
  prune: boolean,
  now: number,
  guard: <T>(path: string, work: () => Promise<T>) => Promise<T>,
): Promise<WindowOutcome[]> {
  const outcomes: WindowOutcome[] = [];
  const befores = new Map((await windowEntriesOf(db, workspaceId)).map((e) => [e.name, e as Record<string, unknown>]));
  for (const want of wanted) {
    const input = normalised(want.entry);
    if (!want.row) {
      await guard(want.path, () => createWindow(db, workspaceId, input, now));
      outcomes.push({ name: want.entry.name, action: 'create' });
      continue;
    }
    const before = befores.get(want.entry.name) ?? {};
    const changes = WINDOW_FIELDS.filter((f) => (before[f] ?? null) !== (input[f] ?? null)).map((f) => ({
      field: f,
      old: before[f] ?? null,
      new: input[f] ?? null,
    }));
    if (changes.length === 0) {
      outcomes.push({ name: want.entry.name, action: 'unchanged' });
      continue;
    }
    await guard(want.path, () => changeWindow(db, want.row!, input, now));
    outcomes.push({ name: want.entry.name, action: 'change', changes });
  }
  if (prune) {
    const named = new Set(wanted.map((w) => w.entry.name));
    for (const row of await listWindows(db, workspaceId)) {
      if (named.has(row.name)) continue;
      await removeWindow(db, row, now);
      outcomes.push({ name: row.name, action: 'delete' });
    }
  }
  return outcomes;
}

/** The check slugs a windows section may name: those that exist (unless the file's checks section prunes them) and those it creates. */
export function slugsForWindows(existing: CheckRow[], fileSlugs: string[] | null, prune: boolean): Set<string> {
  const slugs = new Set(fileSlugs ?? []);
  if (!(prune && fileSlugs)) for (const c of existing) slugs.add(c.slug);
  return slugs;
}
