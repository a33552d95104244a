// `overdue apply`: a file made true for one workspace in one transaction, with the plan of what changed (or, on a
// dry run, what would: the same work is done and rolled back, so the preview cannot differ from the real thing).
import { OverdueError } from '../errors.js';
import type { ChannelRow, CheckRow } from '../store/schema.js';
import type { Db } from '../store/db.js';
import { deleteChannel, insertChannel, updateChannel } from '../store/channels.js';
import { newId } from '../store/ids.js';
import { publicConfigOf } from '../alerts/channels/index.js';
import { privateDestinationWarnings } from '../alerts/channels/private-destination.js';
import { changeCheck, createCheck, removeCheck, type CheckOps } from '../checks/operations.js';
import { changeChecks, type CheckChangeRuntime } from '../checks/change-checks.js';
import { applyDependsOn } from '../checks/dependencies.js';
import type { CheckInput } from '../checks/settings.js';
import { readDocument, type Problem, type SchemaCompiler } from './document.js';
import { checkEntriesOf } from './export.js';
import { prepare, type WantedCheck, type WantedChannel } from './validate.js';
import { applyWindows } from './windows.js';

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

/** One line of the plan: what happens (or happened) to one check or channel. */
export interface PlanEntry {
  section: 'channels' | 'checks' | 'windows';
  name: string;
  action: 'create' | 'change' | 'delete' | 'unchanged';
  changes?: FieldChange[];
  /** A channel created or changed to a destination alerts cannot reach (a loopback or private address). */
  warnings?: string[];
}

export interface ApplyOutcome {
  plan: PlanEntry[];
  applied: boolean;
  /** Checks created or changed (announced after the commit). */
  changed: CheckRow[];
  deleted: CheckRow[];
}

/** A file with problems: 400 invalid_document listing each (nothing was changed). */
export class DocumentError extends OverdueError {
  constructor(readonly problems: Problem[]) {
    const shown = problems.slice(0, 100).map((p) => `  ${p.path}: ${p.message}`);
    if (problems.length > 100) shown.push(`  … and ${problems.length - 100} more`);
    super(
      400,
      'invalid_document',
      `The file has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed:\n${shown.join('\n')}`,
    );
  }
}

/** Equality of JSON values whatever the order of their keys. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

function diff(before: Record<string, unknown>, after: Record<string, unknown>, prefix = ''): FieldChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .filter((f) => !same(before[f], after[f]))
    .map((f) => ({ field: `${prefix}${f}`, old: before[f] ?? null, new: after[f] ?? null }));
}

/** An error of one entry, named by the entry's path (the whole transaction is rolled back). */
function at<T>(path: string, work: () => Promise<T>): Promise<T> {
  return work().catch((error: unknown) => {
    if (error instanceof OverdueError && !(error instanceof DocumentError))
      throw new OverdueError(error.status, error.code, `${path}: ${error.message}`, error.headers);
    throw error;
  });
}

async function applyChannels(
  db: Db,
  workspaceId: string,
  wanted: WantedChannel[],
  now: number,
  plan: PlanEntry[],
  allowPrivate: boolean,
): Promise<void> {
  // As the channels API does: saved anyway (right once private targets are allowed), but said now, not at the first alert.
  const warned = (want: WantedChannel): Pick<PlanEntry, 'warnings'> => {
    const warnings = want.config ? privateDestinationWarnings(want.kind, want.config, allowPrivate) : [];
    return warnings.length ? { warnings } : {};
  };
  for (const want of wanted) {
    if (!want.row) {
      const row: ChannelRow = {
        id: newId(),
        workspace_id: workspaceId,
        kind: want.kind.kind,
        name: want.name,
        config: JSON.stringify(want.config),
        is_default: want.isDefault === false ? 0 : 1,
        created_at: now,
        notify_late: want.notifyLate ? 1 : 0,
      };
      await at(want.path, () => insertChannel(db, row));
      plan.push({ section: 'channels', name: want.name, action: 'create', ...warned(want) });
      continue;
    }
    const stored = JSON.parse(want.row.config) as Record<string, unknown>;
    const change: { config?: string; is_default?: number; notify_late?: number } = {};
    const changes: FieldChange[] = [];
    if (want.isDefault !== undefined && (want.row.is_default === 1) !== want.isDefault) {
      change.is_default = want.isDefault ? 1 : 0;
      changes.push({ field: 'is_default', old: want.row.is_default === 1, new: want.isDefault });
    }
    if (want.notifyLate !== undefined && (want.row.notify_late === 1) !== want.notifyLate) {
      change.notify_late = want.notifyLate ? 1 : 0;
      changes.push({ field: 'notify_late', old: want.row.notify_late === 1, new: want.notifyLate });
    }
    if (want.config && !same(want.config, stored)) {
      change.config = JSON.stringify(want.config);
      // The plan shows configs as reads do: a changed secret appears as its mask, never in the clear.
      const shown = diff(publicConfigOf(want.kind, stored), publicConfigOf(want.kind, want.config), 'config.');
      changes.push(...(shown.length ? shown : [{ field: 'config', old: '(secret)', new: '(secret changed)' }]));
    }
    if (changes.length === 0) {
      plan.push({ section: 'channels', name: want.name, action: 'unchanged' });
      continue;
    }
    await at(want.path, () => updateChannel(db, want.row!.id, change));
    plan.push({ section: 'channels', name: want.name, action: 'change', changes, ...(change.config ? warned(want) : {}) });
  }
}

async function applyChecks(
  ops: CheckOps,
  workspaceId: string,
  wanted: WantedCheck[],
  channelIds: Map<string, string>,
  now: number,
  plan: PlanEntry[],
  changed: CheckRow[],
): Promise<void> {
  const names = new Map([...channelIds].map(([name, id]) => [id, name]));
  const current = wanted.filter((w) => w.row).map((w) => w.row!);
  const befores = new Map((await checkEntriesOf(ops.db, workspaceId, current, names)).map((e) => [e.slug, e as Record<string, unknown>]));
  // Dependencies are set once every check of the file exists: an entry may name a check created further down.
  const dependencies: Array<{ want: WantedCheck; row: CheckRow; before: unknown }> = [];
  for (const want of wanted) {
    const ids = want.channelNames?.map((name) => channelIds.get(name)!);
    const { depends_on: _deps, ...settings } = want.input;
    if (!want.row) {
      const input: CheckInput = { ...settings, slug: want.slug, ...(ids ? { channels: ids } : {}) };
      const row = await at(want.path, () => createCheck(ops, workspaceId, input, now));
      changed.push(row);
      plan.push({ section: 'checks', name: want.slug, action: 'create' });
      if (want.input.depends_on?.length) dependencies.push({ want, row, before: [] });
      continue;
    }
    const before = befores.get(want.slug)!;
    if (want.input.depends_on !== undefined) dependencies.push({ want, row: want.row, before: before.depends_on });
    const input: CheckInput = {};
    for (const [field, value] of Object.entries(settings)) if (!same(value, before[field])) Object.assign(input, { [field]: value });
    if (want.channelNames && !same([...want.channelNames].sort(), before.channels)) input.channels = ids;
    if (Object.keys(input).length === 0) {
      plan.push({ section: 'checks', name: want.slug, action: 'unchanged' });
      continue;
    }
    const next = await at(want.path, () => changeCheck(ops, want.row!, input, now));
    const [after] = await checkEntriesOf(ops.db, workspaceId, [next], names);
    const changes = diff(before, after as Record<string, unknown>);
    changed.push(next);
    plan.push(
      changes.length
        ? { section: 'checks', name: want.slug, action: 'change', changes }
        : { section: 'checks', name: want.slug, action: 'unchanged' },
    );
  }
  await applyDependencies(ops, dependencies, plan);
}

/** Sets the file's depends_on (slugs) of each check whose list differs from what it has; the plan shows the change. */
async function applyDependencies(
  ops: CheckOps,
  dependencies: Array<{ want: WantedCheck; row: CheckRow; before: unknown }>,
  plan: PlanEntry[],
): Promise<void> {
  for (const { want, row, before } of dependencies) {
    const after = [...new Set(want.input.depends_on!)].sort();
    if (same(after, before)) continue;
    await at(`${want.path}.depends_on`, () => applyDependsOn(ops.db, row, after));
    const entry = plan.find((p) => p.section === 'checks' && p.name === want.slug);
    if (!entry || entry.action === 'create') continue;
    const change = { field: 'depends_on', old: before ?? null, new: after };
    if (entry.action === 'change') entry.changes = [...(entry.changes ?? []), change];
    else Object.assign(entry, { action: 'change', changes: [change] });
  }
}

export interface ApplyRequest {
  workspaceId: string;
  /** The file: YAML (or JSON) text, or a parsed object. */
  document: unknown;
  /** Delete the checks and channels the file's sections do not name. */
  prune: boolean;
  dryRun: boolean;
}

/** Validates the whole file, then makes it true in one transaction (rolled back on a dry run) and announces the change. */
export async function applyDocument(runtime: CheckChangeRuntime, compile: SchemaCompiler, request: ApplyRequest): Promise<ApplyOutcome> {
  const { workspaceId, prune } = request;
  const parseProblems: Problem[] = [];
  const doc = readDocument(request.document, parseProblems);
  if (!doc) throw new DocumentError(parseProblems);
  const outcome = await changeChecks(
    runtime,
    async (ops: CheckOps, now: number) => {
      const trx = ops.db;
      const problems: Problem[] = [...parseProblems];
      const prepared = await prepare(trx, workspaceId, doc, prune, compile, problems);
      if (problems.length) throw new DocumentError(problems);
      const outcome: ApplyOutcome = { plan: [], applied: !request.dryRun, changed: [], deleted: [] };
      const channelIds = new Map(prepared.existingChannels.map((c) => [c.name, c.id]));
      if (prepared.channels) {
        await applyChannels(trx, workspaceId, prepared.channels, now, outcome.plan, runtime.config.allowPrivateTargets);
        for (const c of await trx.selectFrom('channels').select(['id', 'name']).where('workspace_id', '=', workspaceId).execute()) {
          if (prepared.channels.some((w) => w.name === c.name)) channelIds.set(c.name, c.id);
        }
      }
      if (prepared.checks) {
        await applyChecks(ops, workspaceId, prepared.checks, channelIds, now, outcome.plan, outcome.changed);
        if (prune) {
          const named = new Set(prepared.checks.map((c) => c.slug));
          for (const row of prepared.existingChecks.filter((c) => !named.has(c.slug))) {
            await removeCheck(ops, row, now);
            outcome.deleted.push(row);
            outcome.plan.push({ section: 'checks', name: row.slug, action: 'delete' });
          }
        }
      }
      if (prepared.channels && prune) {
        const named = new Set(prepared.channels.map((c) => c.name));
        for (const row of prepared.existingChannels.filter((c) => !named.has(c.name))) {
          await deleteChannel(trx, workspaceId, row.id);
          outcome.plan.push({ section: 'channels', name: row.name, action: 'delete' });
        }
      }
      // Windows last: they may name checks the file creates, and a pruned check takes its windows with it.
      if (prepared.windows) {
        for (const w of await applyWindows(trx, workspaceId, prepared.windows, prune, now, at))
          outcome.plan.push({ section: 'windows', ...w });
      }
      return outcome;
    },
    ({ changed, deleted }) => ({ changed, deleted }),
    { dryRun: request.dryRun },
  );
  return request.dryRun ? { ...outcome, changed: [], deleted: [] } : outcome;
}
