// What people do to incidents: acknowledge (stops reminders) and publish (sends a draft's notifications).
import { firstRealertAt } from '../core/index.js';
import type { Db } from '../store/db.js';
import type { IncidentRow } from '../store/schema.js';
import { draftIncidentIds, updateIncident } from '../store/incidents.js';
import { releaseDrafts } from '../store/outbox.js';
import { conflict } from '../errors.js';
import { policyOf } from './record-flip.js';
import { foldedSilently } from './dependency-folding.js';

/** Acknowledges an open incident: someone is on it, so reminders stop. Acknowledging twice keeps the first. */
export async function acknowledgeIncident(db: Db, incident: IncidentRow, by: string, now: number): Promise<IncidentRow> {
  if (incident.acknowledged_at != null) return incident;
  if (incident.resolved_at != null)
    throw conflict('incident_resolved', 'This incident is already resolved; there is nothing to acknowledge.');
  const change = { acknowledged_at: now, acknowledged_by: by, next_alert_at: null };
  await updateIncident(db, incident.id, change);
  return { ...incident, ...change };
}

/** Publishes draft incidents: their held notifications are queued now and reminders start. Returns notifications released. */
export async function publishIncidents(db: Db, incidents: IncidentRow[], now: number): Promise<number> {
  const drafts = incidents.filter((i) => i.draft === 1);
  for (const incident of drafts) {
    const check = await db.selectFrom('checks').select(['cooldown_s', 'realert_s']).where('id', '=', incident.check_id).executeTakeFirst();
    // A folded incident (dependencies) stays quiet until its parent ends, published or not.
    const reminds = incident.resolved_at == null && incident.acknowledged_at == null && !foldedSilently(incident) && check;
    await updateIncident(db, incident.id, {
      draft: 0,
      published_at: now,
      next_alert_at: reminds ? firstRealertAt(policyOf(check), now) : null,
    });
  }
  return releaseDrafts(
    db,
    drafts.map((i) => i.id),
    now,
  );
}

/** Draft mode switched off: every draft incident of the workspace is published. */
export async function publishAllDrafts(db: Db, workspaceId: string, now: number): Promise<number> {
  const ids = await draftIncidentIds(db, workspaceId);
  if (ids.length === 0) return 0;
  const rows = await db.selectFrom('incidents').selectAll().where('id', 'in', ids).execute();
  return publishIncidents(db, rows, now);
}
