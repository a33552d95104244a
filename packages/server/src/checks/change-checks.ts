// The one way a person's change to checks is made and announced, whichever API asked for it: the change (and any
// flip it records) commits in one transaction, then the scheduler wakes for new deadlines and alert timers, the
// delivery worker for queued notifications, and live views hear of the rows changed and deleted.
import type { Runtime } from '../runtime.js';
import type { CheckRow } from '../store/schema.js';
import { inTransaction } from '../store/transaction.js';
import type { CheckOps } from './operations.js';

/** The runtime parts a change of checks uses: the store it writes, the clock, the quotas, and whom it tells. */
export type CheckChangeRuntime = Pick<Runtime, 'store' | 'clock' | 'config' | 'scheduler' | 'delivery' | 'feed'>;

/** What a change did, for the announcement after commit. */
export interface ChangedChecks {
  changed?: CheckRow[];
  deleted?: CheckRow[];
}

export interface ChangeOptions {
  /** Do the whole change, then roll it back and announce nothing (a preview whose plan is the real work). */
  dryRun?: boolean;
}

/** Thrown inside the transaction to roll a dry run back; carries the work's result out. */
class RolledBack<T> {
  constructor(readonly result: T) {}
}

/**
 * Runs `work` in one transaction (run again on a conflict, so it must only change the database and its own locals),
 * then announces what `announce` says it changed. `now` is read once, before the first attempt.
 */
export async function changeChecks<T>(
  runtime: CheckChangeRuntime,
  work: (ops: CheckOps, now: number) => Promise<T>,
  announce: (result: T) => ChangedChecks,
  options: ChangeOptions = {},
): Promise<T> {
  const now = runtime.clock.now();
  const { publicUrl, quotas } = runtime.config;
  let result: T;
  try {
    result = await inTransaction(runtime.store.db, async (trx) => {
      const done = await work({ db: trx, publicUrl, maxChecks: quotas.checksPerWorkspace }, now);
      if (options.dryRun) throw new RolledBack(done);
      return done;
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.result as T;
    throw error;
  }
  announceChange(runtime, announce(result));
  return result;
}

/** Changes (or creates) one check; answers its row after the change. */
export function changeOneCheck(runtime: CheckChangeRuntime, work: (ops: CheckOps, now: number) => Promise<CheckRow>): Promise<CheckRow> {
  return changeChecks(runtime, work, (row) => ({ changed: [row] }));
}

/** Deletes checks; `work` answers the rows it deleted. */
export function deleteChecks(runtime: CheckChangeRuntime, work: (ops: CheckOps, now: number) => Promise<CheckRow[]>): Promise<CheckRow[]> {
  return changeChecks(runtime, work, (rows) => ({ deleted: rows }));
}

/** After a change committed: wake the scheduler and the delivery worker, tell live views. */
function announceChange(runtime: CheckChangeRuntime, { changed = [], deleted = [] }: ChangedChecks): void {
  for (const row of deleted) runtime.feed.checkDeleted(row);
  if (changed.length === 0 && deleted.length === 0) return;
  for (const row of changed) if (row.next_deadline != null) runtime.scheduler.wake(row.next_deadline);
  void runtime.scheduler.wakeForAlertTimers();
  runtime.delivery.wake();
  runtime.feed.checksChanged(changed);
}
