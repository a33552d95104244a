// One scheduler step: the due checks, in deadline order, each moved on by the core in one transaction.
import { applyDeadline } from '../core/index.js';
import type { Db } from '../store/checks.js';
import type { CheckRow } from '../store/schema.js';
import { stateOf, timingOf, withState } from '../store/check-rows.js';
import { batchWrites } from '../store/batch-writes.js';
import { listOpenRuns, runStateOf, saveRun } from '../store/runs.js';
import { recordFlip } from '../alerts/record-flip.js';
import { flipContext } from '../checks/operations.js';
import { openIncidentsOf } from '../store/incidents.js';

export interface DueResult {
  processed: number;
  notifications: number;
  /** now − deadline for each processed check: how late the scheduler noticed. */
  lagsMs: number[];
  touched: CheckRow[];
}

/** Applies the deadlines of up to `limit` checks due at `now`. `lock` claims rows with SKIP LOCKED (PostgreSQL). */
export async function processDueChecks(db: Db, lock: boolean, publicUrl: string, now: number, limit: number): Promise<DueResult> {
  const rows = await db.selectFrom('checks').selectAll()
    .where('next_deadline', '<=', now).orderBy('next_deadline').limit(limit)
    .$if(lock, (q) => q.forUpdate().skipLocked())
    .execute();
  const result: DueResult = { processed: 0, notifications: 0, lagsMs: [], touched: [] };
  // As in ingest: on PostgreSQL every check's new state goes out in one UPDATE, not one round trip per check.
  const writes = batchWrites(db, 0);
  const planned = [];
  for (const row of rows) {
    const timing = timingOf(row);
    const state = stateOf(row);
    const needRuns = state.open_runs > 0 && state.run_deadline != null && state.run_deadline <= now;
    const openRuns = needRuns ? (await listOpenRuns(db, row.id)).map(runStateOf) : [];
    planned.push({ row, timing, outcome: applyDeadline(timing, state, openRuns, now) });
  }
  // A cron minute can flip every check of a batch: their open incidents are read in one query, not one each.
  const flipping = planned.filter((p) => p.outcome.flip).map((p) => p.row.id);
  const ctx = { ...flipContext({ db, publicUrl }), openIncidents: await openIncidentsOf(db, flipping) };
  for (const { row, timing, outcome } of planned) {
    for (const run of outcome.timedOut) await saveRun(db, row.id, run, false);
    const next = withState(row, timing, outcome.state, now);
    // The core always moves a deadline past `now`; this guard keeps a malformed row from spinning the loop.
    if (next.next_deadline != null && next.next_deadline <= now) next.next_deadline = now + 1000;
    await writes.state(next);
    if (outcome.flip) result.notifications += await recordFlip(db, next, outcome.flip, ctx);
    result.processed += 1;
    result.lagsMs.push(now - row.next_deadline!);
    result.touched.push(next);
  }
  await writes.flush();
  return result;
}

export async function earliestDeadline(db: Db): Promise<number | null> {
  const row = await db.selectFrom('checks').select('next_deadline').where('next_deadline', 'is not', null)
    .orderBy('next_deadline').limit(1).executeTakeFirst();
  return row?.next_deadline ?? null;
}
