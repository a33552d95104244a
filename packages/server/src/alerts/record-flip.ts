// Everything a flip writes, inside the transaction that caused it: the flip, its incident, its notifications.
import { firstRealertAt, onCheckDown, type Flip } from '../core/index.js';
import type { Db } from '../store/db.js';
import type { CheckRow, IncidentRow } from '../store/schema.js';
import { insertFlip } from '../store/flips.js';
import { insertIncident, newIncidentId, lastResolvedIncidentOf, openIncidentOf, resolveIncident } from '../store/incidents.js';
import { policyOf } from './check-policy.js';
import { alertSettingsOfWorkspace, queueIncidentEvent, type FlipContext } from './queue.js';
import { maintenanceUntilOf, windowsOfWorkspace } from '../store/maintenance-windows.js';
import { foldedSilently, foldIntoParent, unfoldChildren, withStillDown } from './dependency-folding.js';

export type { FlipContext } from './queue.js';

/**
 * What a flip's alerts need to know beyond the check: the public URL, and service names, alert settings and
 * maintenance windows, each read on demand (a scheduler batch remembers them: batch-context.ts).
 */
export function flipContext({ db, publicUrl }: { db: Db; publicUrl: string }): FlipContext {
  return {
    publicUrl,
    serviceName: async (id: string) => {
      const row = await db.selectFrom('services').select('name').where('id', '=', id).executeTakeFirst();
      return row?.name ?? null;
    },
    alertSettings: (workspaceId) => alertSettingsOfWorkspace(db, workspaceId),
    maintenanceWindows: (workspaceId) => windowsOfWorkspace(db, workspaceId),
  };
}

export { policyOf } from './check-policy.js';

/**
 * Writes the check's incident hold (`cause` 'maintenance' when it ends with a maintenance window, null for a
 * cooldown) when it differs from the row's; the row itself is left as it was.
 */
export async function setHold(db: Db, check: CheckRow, until: number | null, cause: 'maintenance' | null = null): Promise<void> {
  const holdCause = until == null ? null : cause;
  if (check.incident_hold_until === until && (check.hold_cause ?? null) === holdCause) return;
  await db.updateTable('checks').set({ incident_hold_until: until, hold_cause: holdCause }).where('id', '=', check.id).execute();
}

/** What recording a flip did: notifications queued to send now, and the check's incident hold after it. */
export interface RecordedFlip {
  notifications: number;
  /** The check's `incident_hold_until` now (a hold set, cleared, or as it was): callers carry it on their row. */
  incidentHoldUntil: number | null;
  /** The check's `hold_cause` now, carried likewise. */
  holdCause: string | null;
}

/**
 * Opens an incident for `check` (down at `flip.at`) and queues its alerts; the check's incident hold is cleared. In draft mode the incident is a draft:
 * recorded and visible, its notifications held until a person publishes it. Returns notifications queued.
 */
export async function openIncident(db: Db, check: CheckRow, flip: Flip, ctx: FlipContext, now: number): Promise<number> {
  const settings = await ctx.alertSettings(check.workspace_id);
  const draft = settings.draft_mode;
  if (await foldIntoParent(db, check, flip, settings, ctx)) return 0;
  const incident: IncidentRow = {
    id: newIncidentId(flip.at),
    workspace_id: check.workspace_id,
    check_id: check.id,
    opened_at: flip.at,
    resolved_at: null,
    reason: flip.reason,
    resolve_reason: null,
    severity: check.severity ?? 'minor',
    acknowledged_at: null,
    acknowledged_by: null,
    draft: draft ? 1 : 0,
    published_at: draft ? null : now,
    next_alert_at: draft ? null : firstRealertAt(policyOf(check), now),
    realerts: 0,
  };
  await insertIncident(db, incident);
  ctx.openIncidents?.set(check.id, incident);
  await setHold(db, check, null);
  return queueIncidentEvent(db, check, flip, incident, 'down', ctx, now, settings);
}

/** After a check's re-alert interval changed: its open, published, unacknowledged incident reminds on the new plan. */
export async function replanReminders(db: Db, check: CheckRow, now: number): Promise<void> {
  const open = await openIncidentOf(db, check.id);
  if (!open || open.draft === 1 || open.acknowledged_at != null) return;
  await db
    .updateTable('incidents')
    .set({ next_alert_at: firstRealertAt(policyOf(check), now) })
    .where('id', '=', open.id)
    .execute();
}

/**
 * Records a flip of `check` (the row after the change). Returns how many notifications were queued to send now and
 * the check's incident hold afterwards; `check` is not changed.
 */
export async function recordFlip(db: Db, check: CheckRow, flip: Flip, ctx: FlipContext): Promise<RecordedFlip> {
  const hold = check.incident_hold_until;
  const cause = check.hold_cause ?? null;
  const done = (
    notifications: number,
    incidentHoldUntil: number | null = hold,
    holdCause: string | null = incidentHoldUntil === hold ? cause : null,
  ): RecordedFlip => ({ notifications, incidentHoldUntil, holdCause: incidentHoldUntil == null ? null : holdCause });
  await insertFlip(db, {
    check_id: check.id,
    workspace_id: check.workspace_id,
    at: flip.at,
    from_status: flip.from,
    to_status: flip.to,
    reason: flip.reason,
  });

  const known = ctx.openIncidents?.get(check.id);
  const open = known !== undefined ? (known ?? undefined) : await openIncidentOf(db, check.id);
  if (flip.alert === 'down') {
    if (open) return done(0);
    // In a maintenance window nothing alerts: the incident waits for the window's end (the scheduler opens it then if still down).
    const quietUntil = await maintenanceUntilOf(db, check, flip.at, await ctx.maintenanceWindows(check.workspace_id));
    if (quietUntil != null) {
      await setHold(db, check, quietUntil, 'maintenance');
      return done(0, quietUntil, 'maintenance');
    }
    const policy = policyOf(check);
    // Only a cooldown looks back at the last incident: without one, no read.
    const last = policy.cooldown_ms ? await lastResolvedIncidentOf(db, check.id) : undefined;
    const decision = onCheckDown(policy, last?.resolved_at ?? null, flip.at);
    if (decision.kind === 'hold') {
      // The scheduler opens the incident when the hold ends, if the check is still down then.
      await setHold(db, check, decision.until);
      return done(0, decision.until);
    }
    return done(await openIncident(db, check, flip, ctx, flip.at), null);
  }
  const after = flip.from === 'down' ? null : hold;
  if (flip.from === 'down') await setHold(db, check, null);
  if (!open) return done(0, after);
  if (flip.alert === 'up') {
    await resolveIncident(db, open.id, flip.at, flip.reason);
    ctx.openIncidents?.set(check.id, null);
    // A folded incident never paged, so its end is not announced; a parent's end lets its children still down page.
    const children = await unfoldChildren(db, open, check.name, ctx, flip.at);
    if (foldedSilently(open)) return done(children.queued, after);
    const announced = await queueIncidentEvent(
      db,
      check,
      withStillDown(flip, children.names),
      { ...open, resolved_at: flip.at, resolve_reason: flip.reason },
      'up',
      ctx,
      flip.at,
    );
    return done(children.queued + announced, after);
  }
  if (flip.to === 'paused') {
    await resolveIncident(db, open.id, flip.at, 'check paused');
    ctx.openIncidents?.set(check.id, null);
    return done((await unfoldChildren(db, open, check.name, ctx, flip.at)).queued, after);
  }
  return done(0, after);
}
