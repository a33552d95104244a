// Everything a flip writes, inside the transaction that caused it: the flip, its incident, its notifications.
import { firstRealertAt, onCheckDown, type AlertPolicy, type Flip } from '../core/index.js';
import type { Db } from '../store/checks.js';
import type { CheckRow, IncidentRow } from '../store/schema.js';
import { newId } from '../store/ids.js';
import { insertFlip } from '../store/flips.js';
import { insertIncident, lastResolvedIncidentOf, openIncidentOf, resolveIncident } from '../store/incidents.js';
import { alertSettingsOfWorkspace, queueIncidentEvent, type FlipContext } from './queue.js';

export type { FlipContext } from './queue.js';

export function policyOf(check: Pick<CheckRow, 'cooldown_s' | 'realert_s'>): AlertPolicy {
  return { cooldown_ms: check.cooldown_s ? check.cooldown_s * 1000 : null, realert_ms: check.realert_s ? check.realert_s * 1000 : null };
}

async function setHold(db: Db, check: CheckRow, until: number | null): Promise<void> {
  if (check.incident_hold_until === until) return;
  await db.updateTable('checks').set({ incident_hold_until: until }).where('id', '=', check.id).execute();
  check.incident_hold_until = until;
}

/**
 * Opens an incident for `check` (down at `flip.at`) and queues its alerts. In draft mode the incident is a draft:
 * recorded and visible, its notifications held until a person publishes it. Returns notifications queued.
 */
export async function openIncident(db: Db, check: CheckRow, flip: Flip, ctx: FlipContext, now: number): Promise<number> {
  const settings = await alertSettingsOfWorkspace(db, check.workspace_id);
  const draft = settings.draft_mode;
  const incident: IncidentRow = {
    id: newId(), workspace_id: check.workspace_id, check_id: check.id, opened_at: flip.at, resolved_at: null,
    reason: flip.reason, resolve_reason: null, severity: check.severity ?? 'minor',
    acknowledged_at: null, acknowledged_by: null, draft: draft ? 1 : 0, published_at: draft ? null : now,
    next_alert_at: draft ? null : firstRealertAt(policyOf(check), now), realerts: 0,
  };
  await insertIncident(db, incident);
  await setHold(db, check, null);
  return queueIncidentEvent(db, check, flip, incident, 'down', ctx, now, settings);
}

/** After a check's re-alert interval changed: its open, published, unacknowledged incident reminds on the new plan. */
export async function replanReminders(db: Db, check: CheckRow, now: number): Promise<void> {
  const open = await openIncidentOf(db, check.id);
  if (!open || open.draft === 1 || open.acknowledged_at != null) return;
  await db.updateTable('incidents').set({ next_alert_at: firstRealertAt(policyOf(check), now) }).where('id', '=', open.id).execute();
}

/** Records a flip of `check` (the row after the change). Returns how many notifications were queued to send now. */
export async function recordFlip(db: Db, check: CheckRow, flip: Flip, ctx: FlipContext): Promise<number> {
  await insertFlip(db, { check_id: check.id, workspace_id: check.workspace_id, at: flip.at, from_status: flip.from, to_status: flip.to, reason: flip.reason });

  const known = ctx.openIncidents?.get(check.id);
  const open = known !== undefined ? known ?? undefined : await openIncidentOf(db, check.id);
  if (flip.alert === 'down') {
    if (open) return 0;
    const policy = policyOf(check);
    // Only a cooldown looks back at the last incident: without one, no read.
    const last = policy.cooldown_ms ? await lastResolvedIncidentOf(db, check.id) : undefined;
    const decision = onCheckDown(policy, last?.resolved_at ?? null, flip.at);
    if (decision.kind === 'hold') {
      // The scheduler opens the incident when the hold ends, if the check is still down then.
      await setHold(db, check, decision.until);
      return 0;
    }
    return openIncident(db, check, flip, ctx, flip.at);
  }
  if (flip.from === 'down') await setHold(db, check, null);
  if (!open) return 0;
  if (flip.alert === 'up') {
    await resolveIncident(db, open.id, flip.at, flip.reason);
    return queueIncidentEvent(db, check, flip, { ...open, resolved_at: flip.at, resolve_reason: flip.reason }, 'up', ctx, flip.at);
  }
  if (flip.to === 'paused') await resolveIncident(db, open.id, flip.at, 'check paused');
  return 0;
}
