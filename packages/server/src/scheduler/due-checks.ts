// One scheduler step: the due checks, in deadline order, each moved on by the core in one transaction.
import { applyDeadline, endSnooze, graceMs, lateWarningOf, snoozeOver } from '../core/index.js';
import type { Db } from '../store/db.js';
import type { CheckRow } from '../store/schema.js';
import { stateOf, timingOf, withState } from '../store/check-rows.js';
import { batchWrites } from '../store/batch-writes.js';
import { claimRows } from '../store/dialect.js';
import { prepared } from '../store/prepared.js';
import { abandonOpenRuns, listOpenRuns, runStateOf, saveRun } from '../store/runs.js';
import { recordFlip } from '../alerts/record-flip.js';
import { batchFlipContext } from '../alerts/batch-context.js';
import { hostNamesOf } from '../store/hosts.js';
import { queueLateWarning } from '../alerts/late-warning.js';

export interface DueResult {
  processed: number;
  notifications: number;
  /** now − deadline for each processed check: how late the scheduler noticed. */
  lagsMs: number[];
  touched: CheckRow[];
}

// Prepared: read once per batch, but 500 rows of some 60 columns are worth reading without building the query each time.
const dueRows = prepared<'now' | 'limit', CheckRow>((db, p) =>
  db
    .selectFrom('checks')
    .selectAll()
    .where('next_deadline', '<=', p('now'))
    .orderBy('next_deadline')
    .limit(p('limit'))
    .$call((q) => claimRows(db, q)),
);

/** Applies the deadlines of up to `limit` checks due at `now`, claimed so that other instances skip them. */
export async function processDueChecks(db: Db, publicUrl: string, now: number, limit: number): Promise<DueResult> {
  const rows = await dueRows(db, { now, limit });
  const result: DueResult = { processed: 0, notifications: 0, lagsMs: [], touched: [] };
  // As in ingest: on PostgreSQL every check's new state goes out in one UPDATE, not one round trip per check.
  const writes = batchWrites(db, 0);
  const planned = [];
  for (const row of rows) {
    const timing = timingOf(row);
    // A snooze that ended resumes the check (snooze.ts) before time is applied to it.
    const woke = snoozeOver(row.status, row.snoozed_until, now) ? endSnooze(timing, stateOf(row), now) : null;
    if (woke) await wake(db, row, now);
    const state = woke?.state ?? stateOf(row);
    const needRuns = state.open_runs > 0 && state.run_deadline != null && state.run_deadline <= now;
    const openRuns = needRuns ? (await listOpenRuns(db, row.id)).map(runStateOf) : [];
    // A quorum check whose period ends now names the hosts that did not report: read them only then.
    const periodEnds =
      timing.quorum_hosts != null && state.expected_at != null && state.expected_at + graceMs(timing, state.expected_at) <= now;
    const outcome = applyDeadline(timing, state, openRuns, now, periodEnds ? await hostNamesOf(db, row.id) : []);
    planned.push({ row, timing, state, woke, outcome });
  }
  // A cron minute can flip every check of a batch: what their flips read is read for the batch at once, not per check.
  const flipping = planned.filter((p) => p.outcome.flip).map((p) => p.row.id);
  const ctx = await batchFlipContext(db, publicUrl, flipping);
  for (const { row, timing, state, woke, outcome } of planned) {
    for (const run of outcome.timedOut) await saveRun(db, row.id, run, false);
    let next = withState(row, timing, outcome.state, now);
    // The core always moves a deadline past `now`; this guard keeps a malformed row from spinning the loop.
    if (next.next_deadline != null && next.next_deadline <= now) next.next_deadline = now + 1000;
    await writes.state(next);
    if (woke?.flip) {
      // The same context as the deadline's flip below, so that flip sees an incident this one opened or resolved.
      const recorded = await recordFlip(db, next, woke.flip, ctx);
      next = { ...next, incident_hold_until: recorded.incidentHoldUntil, hold_cause: recorded.holdCause };
    }
    if (outcome.flip) {
      const recorded = await recordFlip(db, next, outcome.flip, ctx);
      result.notifications += recorded.notifications;
      next = { ...next, incident_hold_until: recorded.incidentHoldUntil, hold_cause: recorded.holdCause };
    }
    const late = lateWarningOf(timing, state, outcome.state);
    if (late) result.notifications += await queueLateWarning(db, next, late, ctx, now);
    result.processed += 1;
    result.lagsMs.push(now - row.next_deadline!);
    result.touched.push(next);
  }
  await writes.flush();
  return result;
}

/** The end of a snooze: the row forgets it, and runs started while snoozed are abandoned (as on resume). */
async function wake(db: Db, row: CheckRow, now: number): Promise<void> {
  row.snoozed_until = null;
  await db.updateTable('checks').set({ snoozed_until: null }).where('id', '=', row.id).execute();
  if (row.open_runs > 0) await abandonOpenRuns(db, row.id, now);
}

export async function earliestDeadline(db: Db): Promise<number | null> {
  const row = await db
    .selectFrom('checks')
    .select('next_deadline')
    .where('next_deadline', 'is not', null)
    .orderBy('next_deadline')
    .limit(1)
    .executeTakeFirst();
  return row?.next_deadline ?? null;
}
