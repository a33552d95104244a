// Dependencies in alerting (docs/alerts.md "Dependencies"): a child that goes down while a parent is down gets an
// incident folded into the parent's (recorded, no notifications); when the parent's incident ends while the child
// is still down, the child's incident starts paging on its own, once. The decision is core/dependencies.ts's.
import { firstRealertAt, flipBetween, type Flip } from '../core/index.js';
import { foldTarget, stillDownSentence } from '../core/dependencies.js';
import type { Db } from '../store/db.js';
import type { CheckRow, IncidentRow } from '../store/schema.js';
import { insertIncident, newIncidentId, updateIncident } from '../store/incidents.js';
import { foldedStillOpen, parentStatesOf } from '../store/dependencies.js';
import { queueIncidentEvent, type FlipContext } from './queue.js';
import type { AlertSettings } from './settings.js';
import { policyOf } from './check-policy.js';

/**
 * When a parent of `check` is down: records `check`'s incident folded into the parent's and returns true (nothing is
 * queued). False when no parent is down: the caller opens an incident that pages as usual.
 */
export async function foldIntoParent(db: Db, check: CheckRow, flip: Flip, settings: AlertSettings, ctx: FlipContext): Promise<boolean> {
  // Most checks depend on nothing: a batch read says so for all of them at once.
  if (ctx.hasParents?.get(check.id) === false) return false;
  const target = foldTarget(await parentStatesOf(db, check.id));
  if (!target) return false;
  const incident: IncidentRow = {
    id: newIncidentId(flip.at),
    workspace_id: check.workspace_id,
    check_id: check.id,
    opened_at: flip.at,
    resolved_at: null,
    reason: `${flip.reason} (folded into the incident of "${target.parent.name}", which is down)`,
    resolve_reason: null,
    severity: check.severity ?? 'minor',
    acknowledged_at: null,
    acknowledged_by: null,
    draft: settings.draft_mode ? 1 : 0,
    published_at: null,
    next_alert_at: null,
    realerts: 0,
    folded_into: target.incident_id,
    unfolded_at: null,
  };
  await insertIncident(db, incident);
  ctx.openIncidents?.set(check.id, incident);
  return true;
}

/** Whether an incident was folded and never paged (its recovery is not announced either). */
export function foldedSilently(incident: IncidentRow): boolean {
  return incident.folded_into != null && incident.unfolded_at == null;
}

/**
 * The parent's incident `parent` has ended (recovered or paused): each child still down in it now pages on its own.
 * Returns the children's names (for the parent's resolution text) and how many notifications were queued to send now.
 */
export async function unfoldChildren(
  db: Db,
  parent: IncidentRow,
  parentName: string,
  ctx: FlipContext,
  now: number,
): Promise<{ names: string[]; queued: number }> {
  const names: string[] = [];
  let queued = 0;
  for (const incident of await foldedStillOpen(db, parent.id)) {
    const child = (await db.selectFrom('checks').selectAll().where('id', '=', incident.check_id).executeTakeFirst()) as
      CheckRow | undefined;
    if (!child) continue;
    names.push(child.name);
    const published = incident.draft === 1 ? null : now;
    const change = {
      unfolded_at: now,
      published_at: published,
      next_alert_at: published == null ? null : firstRealertAt(policyOf(child), now),
    };
    await updateIncident(db, incident.id, change);
    // The child may be due in the same scheduler batch: its flip must see the incident paging now, not folded.
    ctx.openIncidents?.set(child.id, { ...incident, ...change });
    const reason = `${incident.reason.replace(/ \(folded into the incident of .*\)$/, '')}; "${parentName}" has recovered but this check is still down`;
    const flip = { ...flipBetween('down', 'down', now, reason), alert: 'down' as const };
    queued += await queueIncidentEvent(db, child, flip, { ...incident, ...change }, 'down', ctx, now);
  }
  return { names, queued };
}

/** The parent's resolution flip with the folded children still down named in its reason (alerts' text). */
export function withStillDown(flip: Flip, children: string[]): Flip {
  return children.length ? { ...flip, reason: `${flip.reason.replace(/\.?$/, '.')}${stillDownSentence(children)}` } : flip;
}
