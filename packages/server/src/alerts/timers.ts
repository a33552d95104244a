// The alert timers the scheduler drives: cooldown holds that ended, and reminders of incidents still down.
// The decisions are the pure policy's (core/alert-policy.ts); this file only reads rows and writes the answers.
import { flipBetween, nextRealertAt, realertDue } from '../core/index.js';
import type { Db } from '../store/db.js';
import type { CheckRow } from '../store/schema.js';
import { claimRows } from '../store/dialect.js';
import { incidentsDueForRealert, openIncidentOf, updateIncident } from '../store/incidents.js';
import { openIncident, policyOf } from './record-flip.js';
import { queueIncidentEvent, type FlipContext } from './queue.js';
import { formatDuration, maintenanceEndReason } from '../core/index.js';
import { maintenanceUntilOf } from '../store/maintenance-windows.js';

export interface TimerResult {
  processed: number;
  notifications: number;
}

async function lastDown(db: Db, checkId: string, now: number): Promise<{ reason: string; at: number }> {
  const flip = await db
    .selectFrom('flips')
    .select(['reason', 'at'])
    .where('check_id', '=', checkId)
    .where('to_status', '=', 'down')
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { reason: flip?.reason ?? 'the check is down', at: flip ? Number(flip.at) : now };
}

/** Opens the incidents whose cooldown hold has ended while their check is still down. */
async function endHolds(db: Db, now: number, limit: number, ctx: FlipContext, result: TimerResult): Promise<void> {
  const held = await db
    .selectFrom('checks')
    .selectAll()
    .where('incident_hold_until', '<=', now)
    .orderBy('incident_hold_until')
    .limit(limit)
    .$call((q) => claimRows(db, q))
    .execute();
  for (const check of held) {
    result.processed += 1;
    const stillDown = check.status === 'down' && !(await openIncidentOf(db, check.id));
    if (!stillDown) {
      await db.updateTable('checks').set({ incident_hold_until: null, hold_cause: null }).where('id', '=', check.id).execute();
      continue;
    }
    // A window still open (one that follows, or was lengthened) holds the alert until it ends too.
    const quietUntil = await maintenanceUntilOf(db, check, now);
    if (quietUntil != null) {
      await db
        .updateTable('checks')
        .set({ incident_hold_until: quietUntil, hold_cause: 'maintenance' })
        .where('id', '=', check.id)
        .execute();
      continue;
    }
    const down = await lastDown(db, check.id, now);
    const reason =
      check.hold_cause === 'maintenance'
        ? maintenanceEndReason(down.reason, down.at, (await maintenanceUntilOf(db, check, down.at)) != null)
        : `${down.reason}; still down after the ${formatDuration((check.cooldown_s ?? 0) * 1000)} cooldown`;
    result.notifications += await openIncident(db, check, flipBetween('down', 'down', now, reason), ctx, now);
  }
}

/** Sends the reminders that are due and plans the next ones; acknowledged, resolved or draft incidents stop reminding. */
async function sendReminders(db: Db, now: number, limit: number, ctx: FlipContext, result: TimerResult): Promise<void> {
  for (const incident of await incidentsDueForRealert(db, now, limit)) {
    result.processed += 1;
    const check = (await db.selectFrom('checks').selectAll().where('id', '=', incident.check_id).executeTakeFirst()) as
      CheckRow | undefined;
    const due = realertDue({ ...incident, draft: incident.draft === 1 }, now) && check?.status === 'down';
    if (!check || !due) {
      await updateIncident(db, incident.id, { next_alert_at: null });
      continue;
    }
    // A reminder due inside a maintenance window waits for its end.
    const quietUntil = await maintenanceUntilOf(db, check, now);
    if (quietUntil != null) {
      await updateIncident(db, incident.id, { next_alert_at: quietUntil });
      continue;
    }
    const realerts = incident.realerts + 1;
    const next = nextRealertAt(policyOf(check), incident.next_alert_at!, now);
    await updateIncident(db, incident.id, { realerts, next_alert_at: next });
    const flip = { ...flipBetween('down', 'down', now, incident.reason), alert: 'down' as const };
    result.notifications += await queueIncidentEvent(db, check, flip, { ...incident, realerts }, `realert-${realerts}`, ctx, now);
  }
}

/** One pass over the alert timers due at `now`, inside the caller's transaction (rows claimed from other instances). */
export async function processAlertTimers(db: Db, now: number, limit: number, ctx: FlipContext): Promise<TimerResult> {
  const result: TimerResult = { processed: 0, notifications: 0 };
  await endHolds(db, now, limit, ctx, result);
  await sendReminders(db, now, limit, ctx, result);
  return result;
}

/** The earliest alert timer, so the scheduler wakes for it. */
export async function earliestAlertTimer(db: Db): Promise<number | null> {
  const hold = await db
    .selectFrom('checks')
    .select('incident_hold_until as at')
    .where('incident_hold_until', 'is not', null)
    .orderBy('incident_hold_until')
    .limit(1)
    .executeTakeFirst();
  const reminder = await db
    .selectFrom('incidents')
    .select('next_alert_at as at')
    .where('next_alert_at', 'is not', null)
    .orderBy('next_alert_at')
    .limit(1)
    .executeTakeFirst();
  const times = [hold?.at, reminder?.at].filter((t): t is number => t != null).map(Number);
  return times.length ? Math.min(...times) : null;
}
