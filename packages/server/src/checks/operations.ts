// What people do to checks (create, change, pause, resume, delete), shared by the API and every dialect.
import { initialState, pause, resume, retime, snooze, type CheckState, type Flip, type Timing } from '../core/index.js';
import { conflict, badRequest, OverdueError } from '../errors.js';
import type { Db } from '../store/db.js';
import { countChecks, deleteCheck, insertCheck, nextSlugSuffix, slugTaken, updateCheck } from '../store/checks.js';
import type { CheckRow } from '../store/schema.js';
import { newCheckKey, newId, readIdOf } from '../store/ids.js';
import { resolveService } from '../store/services.js';
import { defaultChannelIds, listChannels, setCheckChannels } from '../store/channels.js';
import { abandonOpenRuns } from '../store/runs.js';
import { keepSnooze, stateColumns, stateOf, timingColumns, timingOf } from '../store/check-rows.js';
import { flipContext, recordFlip, replanReminders } from '../alerts/record-flip.js';
import { mergeTiming, slugify, validateInput, type CheckInput } from './settings.js';
import { requireFreeIdentifiers, retireIdentifiers } from './identifiers.js';
import { applyDependsOn, validateDependsOn } from './dependencies.js';
import { removeEdgesOf } from '../store/dependencies.js';
import { openIncidentOf } from '../store/incidents.js';
import { unfoldChildren } from '../alerts/dependency-folding.js';

export interface CheckOps {
  db: Db;
  publicUrl: string;
  /** Checks a workspace may hold (OVERDUE_MAX_CHECKS_PER_WORKSPACE); DEFAULT_MAX_CHECKS when not given. */
  maxChecks?: number;
}

/** The default of OVERDUE_MAX_CHECKS_PER_WORKSPACE. */
export const DEFAULT_MAX_CHECKS = 10_000;

/**
 * `wanted` if it is free, else wanted-N with N from the workspace's counter for it: a constant number of queries
 * however many checks share the name (a slug someone chose by hand that is taken costs one more turn).
 */
async function freeSlug(db: Db, workspaceId: string, wanted: string): Promise<string> {
  if (!(await slugTaken(db, workspaceId, wanted))) return wanted;
  const base = wanted.slice(0, 90);
  for (;;) {
    const slug = `${base}-${await nextSlugSuffix(db, workspaceId, base)}`;
    if (!(await slugTaken(db, workspaceId, slug))) return slug;
  }
}

/** 403 when the workspace already holds as many checks as OVERDUE_MAX_CHECKS_PER_WORKSPACE allows. */
async function checkQuota(ops: CheckOps, workspaceId: string): Promise<void> {
  const max = ops.maxChecks ?? DEFAULT_MAX_CHECKS;
  if ((await countChecks(ops.db, workspaceId)) < max) return;
  throw new OverdueError(
    403,
    'check_limit_reached',
    `This workspace has ${max} checks, the most this server allows (OVERDUE_MAX_CHECKS_PER_WORKSPACE); delete checks you no longer need, or ask the operator to raise the limit.`,
  );
}

async function checkChannelIds(db: Db, workspaceId: string, ids: string[]): Promise<string[]> {
  const known = new Set((await listChannels(db, workspaceId)).map((c) => c.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length)
    throw badRequest('unknown_channel', `No channel ${missing.join(', ')} in this workspace; list them with GET /api/v1/channels.`);
  return ids;
}

/** A 409 when another check already answers to this Uptime Kuma push token (tokens are unique server-wide). */
async function requireFreePushToken(db: Db, token: string): Promise<void> {
  if (await db.selectFrom('checks').select('id').where('push_token', '=', token).executeTakeFirst()) {
    throw conflict('push_token_taken', `The push token ${token} is already in use; leave push_token out or choose another.`);
  }
}

/** Creates a check; it subscribes to the given channels, else to the workspace's default channels. */
export async function createCheck(ops: CheckOps, workspaceId: string, input: CheckInput, now: number): Promise<CheckRow> {
  validateInput(input, true);
  validateDependsOn(input.depends_on);
  const timing = mergeTiming(input, null);
  await checkQuota(ops, workspaceId);
  let slug: string;
  if (input.slug) {
    if (await slugTaken(ops.db, workspaceId, input.slug))
      throw conflict('slug_taken', `A check with slug "${input.slug}" already exists in this workspace; choose another slug.`);
    slug = input.slug;
  } else {
    slug = await freeSlug(ops.db, workspaceId, slugify(input.name!));
  }
  await requireFreeIdentifiers(ops.db, workspaceId, input);
  if (input.push_token) await requireFreePushToken(ops.db, input.push_token);
  const service = input.service ? await resolveService(ops.db, workspaceId, input.service, now) : null;
  const channels = input.channels
    ? await checkChannelIds(ops.db, workspaceId, input.channels)
    : await defaultChannelIds(ops.db, workspaceId);
  const state = initialState(timing, now);
  const enabled = input.enabled ?? true;
  const id = input.id ?? newId();
  const row: CheckRow = {
    id,
    read_id: readIdOf(id),
    workspace_id: workspaceId,
    key: input.key ?? newCheckKey(),
    slug,
    name: input.name!.trim(),
    description: input.description ?? '',
    project: input.project ?? null,
    service_id: service?.id ?? null,
    tags: JSON.stringify(input.tags ?? []),
    ...timingColumns(timing),
    enabled: enabled ? 1 : 0,
    methods: input.methods ? input.methods.join(',') : null,
    ...stateColumns(timing, state, now, enabled),
    last_signal_id: null,
    extra: input.extra ? JSON.stringify(input.extra) : null,
    created_at: now,
    severity: input.severity ?? null,
    cooldown_s: input.cooldown_s ?? null,
    realert_s: input.realert_s ?? null,
    incident_hold_until: null,
    push_token: input.push_token ?? null,
    ...(input.learn_schedule ? { schedule_proposal: 'pending' } : {}),
  };
  await insertCheck(ops.db, row);
  await setCheckChannels(ops.db, row.id, channels);
  if (input.depends_on?.length) await applyDependsOn(ops.db, row, input.depends_on);
  return row;
}

/**
 * Whether a change leaves what retime() depends on alone: the schedule (compared by value, not by how the request
 * spelled it) and alert_before_first_ping. Grace, thresholds and the like need no re-timing; re-timing anyway would
 * move expected_at back to the tick after the last beat and count missed beats again.
 */
function sameExpectation(a: Timing, b: Timing): boolean {
  const ca = timingColumns(a);
  const cb = timingColumns(b);
  return (
    ca.schedule_kind === cb.schedule_kind &&
    ca.period_s === cb.period_s &&
    ca.cron_expr === cb.cron_expr &&
    ca.tz === cb.tz &&
    a.alert_before_first_ping === b.alert_before_first_ping
  );
}

/** Applies a partial change; a new schedule re-times the check from its last beat. */
export async function changeCheck(ops: CheckOps, row: CheckRow, input: CheckInput, now: number): Promise<CheckRow> {
  validateInput(input, false);
  validateDependsOn(input.depends_on);
  const before = timingOf(row);
  const timing = mergeTiming(input, before);
  const next: CheckRow = { ...row, ...timingColumns(timing), updated_at: now };
  if (input.name != null) next.name = input.name.trim();
  if (input.slug != null && input.slug !== row.slug) {
    if (await slugTaken(ops.db, row.workspace_id, input.slug, row.id))
      throw conflict('slug_taken', `A check with slug "${input.slug}" already exists in this workspace; choose another slug.`);
    next.slug = input.slug;
  }
  if (input.description !== undefined) next.description = input.description ?? '';
  if (input.project !== undefined) next.project = input.project;
  if (input.tags !== undefined) next.tags = JSON.stringify(input.tags);
  if (input.methods !== undefined) next.methods = input.methods ? input.methods.join(',') : null;
  if (input.enabled !== undefined) next.enabled = input.enabled ? 1 : 0;
  if (input.severity !== undefined) next.severity = input.severity;
  if (input.cooldown_s !== undefined) next.cooldown_s = input.cooldown_s;
  if (input.realert_s !== undefined) next.realert_s = input.realert_s;
  if (input.extra !== undefined) next.extra = input.extra ? JSON.stringify(input.extra) : null;
  if (input.push_token !== undefined && input.push_token !== (row.push_token ?? null)) {
    if (input.push_token) await requireFreePushToken(ops.db, input.push_token);
    next.push_token = input.push_token;
  }
  if (input.service !== undefined)
    next.service_id = input.service ? (await resolveService(ops.db, row.workspace_id, input.service, now)).id : null;
  if (input.channels !== undefined) await setCheckChannels(ops.db, row.id, await checkChannelIds(ops.db, row.workspace_id, input.channels));
  if (input.depends_on !== undefined) await applyDependsOn(ops.db, next, input.depends_on);

  let state: CheckState = stateOf(row);
  let flip: Flip | null = null;
  if (!sameExpectation(before, timing)) {
    ({ state, flip } = retime(timing, state, now));
    // A schedule set by hand ends a learned-schedule proposal.
    if (row.schedule_proposal === 'pending') next.schedule_proposal = 'dismissed';
  }
  keepSnooze(Object.assign(next, stateColumns(timing, state, now, next.enabled === 1)));
  await updateCheck(ops.db, row.id, next);
  if (next.realert_s !== row.realert_s) await replanReminders(ops.db, next, now);
  if (!flip) return next;
  const recorded = await recordFlip(ops.db, next, flip, flipContext(ops));
  return { ...next, incident_hold_until: recorded.incidentHoldUntil, hold_cause: recorded.holdCause };
}

type LifecycleStep = (timing: Timing, state: CheckState) => { state: CheckState; flip: Flip | null };

/** `snoozedUntil`: the snooze this step leaves (null clears one; undefined leaves it as it is). */
async function applyLifecycle(
  ops: CheckOps,
  row: CheckRow,
  now: number,
  step: LifecycleStep,
  snoozedUntil?: number | null,
): Promise<CheckRow> {
  const timing = timingOf(row);
  const { state, flip } = step(timing, stateOf(row));
  const snoozeChanged = snoozedUntil !== undefined && snoozedUntil !== (row.snoozed_until ?? null);
  if (!flip && !snoozeChanged) return row;
  const { enabled: _enabled, ...columns } = keepSnooze({
    ...stateColumns(timing, state, now, row.enabled === 1),
    enabled: row.enabled,
    snoozed_until: snoozedUntil === undefined ? row.snoozed_until : snoozedUntil,
  });
  if (row.open_runs > 0 && state.open_runs === 0) await abandonOpenRuns(ops.db, row.id, now);
  await updateCheck(ops.db, row.id, columns);
  const next: CheckRow = { ...row, ...columns };
  if (!flip) return next;
  const recorded = await recordFlip(ops.db, next, flip, flipContext(ops));
  return { ...next, incident_hold_until: recorded.incidentHoldUntil, hold_cause: recorded.holdCause };
}

/** Pauses a check: no deadlines, no alerts; an open incident is resolved as paused. A snooze becomes a pause with no end. */
export const pauseCheck = (ops: CheckOps, row: CheckRow, now: number) => applyLifecycle(ops, row, now, (_t, s) => pause(s, now), null);

/** Resumes a paused (or snoozed) check with its clock starting from now. */
export const resumeCheck = (ops: CheckOps, row: CheckRow, now: number) => applyLifecycle(ops, row, now, (t, s) => resume(t, s, now), null);

/** Snoozes a check until `until`: paused, and resumed by the scheduler then (its next_deadline). */
export const snoozeCheck = (ops: CheckOps, row: CheckRow, until: number, now: number) =>
  applyLifecycle(ops, row, now, (_t, s) => snooze(s, until, now), until);

/** Deletes a check; its dependency edges go, and children folded into its open incident page on their own from `now`. */
export async function removeCheck(ops: CheckOps, row: CheckRow, now: number): Promise<void> {
  const open = await openIncidentOf(ops.db, row.id);
  if (open) await unfoldChildren(ops.db, open, row.name, flipContext(ops), now);
  await removeEdgesOf(ops.db, row.id);
  await retireIdentifiers(ops.db, row);
  await deleteCheck(ops.db, row);
}
