// Transactions that several Overdue instances can run at once on PostgreSQL: a transaction the database refused only
// because another one got in its way (a deadlock, a serialization failure, a unique key taken a moment earlier) is
// run again from the start, so callers see a conflict-free result instead of an error.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** SQLSTATEs after which the whole transaction was rolled back and running it again can succeed. */
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '23505', // unique_violation: e.g. two instances creating the same slug; the retry sees the other's row
  '55P03', // lock_not_available (lock_timeout)
]);

/** Whether an error is PostgreSQL refusing a transaction because of a concurrent one. */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/** Whether an error means the database could not be reached or the connection broke (not a refusal). */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  // 57P01-03: the server is shutting down or restarting; 08xxx: connection exceptions; plus Node's socket errors.
  if (/^(57P0[123]|08...)$/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND'].includes(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection/i.test(
    message,
  );
}

/** Whether an error is SQLite finding the file locked by another process (after its short busy timeout). */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/**
 * Whether an error means the store cannot serve requests right now (unreachable, locked, full, failing I/O,
 * read-only, out of resources), as opposed to a bug or bad input: the client should retry later (503).
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (isConnectionError(error) || isSqliteBusy(error)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  if (/^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|PROTOCOL|NOMEM)/.test(code)) return true;
  // PostgreSQL: 53xxx insufficient resources (disk full, out of memory, too many connections), 57014 statement
  // timeout, 55P03 lock timeout, 40001/40P01 conflicts that outlasted their retries.
  return /^(53...|57014|55P03|40001|40P01)$/.test(code);
}

/** Async pauses between attempts while another process holds the SQLite file locked: about 1.3 s in all. */
const BUSY_PAUSES_MS = [5, 10, 20, 40, 80, 160, 320, 640];

/** How a transaction is run again after a conflict. */
export interface TransactionOptions {
  /** Attempts in all when PostgreSQL refuses the transaction because of a concurrent one (default 4). */
  attempts?: number;
  /**
   * Why this transaction must not be run again after a conflict (the caller answers the conflict itself, say). The
   * error then reaches the caller at once. Pauses while another process holds the SQLite file still apply: nothing
   * was written then.
   */
  noRetry?: string;
}

/**
 * The one way to open a transaction that writes. Runs `work` in one transaction, again (up to `attempts` times in
 * all) when PostgreSQL refused it because of a concurrent transaction, and again after a pause (never a synchronous
 * wait) while another process holds the SQLite file locked. `work` must be safe to run again: it may only change the
 * database and its own locals.
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const attempts = options.noRetry != null ? 1 : (options.attempts ?? 4);
  for (let attempt = 1, busy = 0; ; attempt += 1) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (isSqliteBusy(error) && busy < BUSY_PAUSES_MS.length) {
        await new Promise((resolve) => setTimeout(resolve, BUSY_PAUSES_MS[busy]));
        busy += 1;
        attempt -= 1;
        continue;
      }
      if (attempt >= attempts || !isRetryableConflict(error)) throw error;
      // A short random pause so two instances that collided do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}
