// One group-commit transaction: every signal of an event-loop turn, applied in arrival order.
import { applySignal, needsDurationHistory, type SignalEvent } from '../core/index.js';
import { findCheckForSignal, lockChecksForSignals, refKey } from '../store/checks.js';
import type { Db } from '../store/db.js';
import type { CheckRow } from '../store/schema.js';
import { stateOf, timingOf, withState } from '../store/check-rows.js';
import { findOpenRun, recentSuccessDurations, runStateOf, saveRun } from '../store/runs.js';
import { batchWrites } from '../store/batch-writes.js';
import { newTimeOrderedId } from '../store/ids.js';
import { flipContext, recordFlip } from '../alerts/record-flip.js';
import { createCheck } from '../checks/operations.js';
import type { IncomingSignal } from './incoming-signal.js';
import { adoptAttribution } from './attribution.js';
import { recordHost } from '../store/hosts.js';
import { OverdueError, unavailable } from '../errors.js';
import { isConnectionError, isRetryableConflict } from '../store/transaction.js';
import { sql } from 'kysely';
import type { RateDecision } from '../rate-limiter.js';

export type IngestOutcome =
  | { kind: 'ok'; created: boolean; check: CheckRow; at: number; runId: string | null }
  | { kind: 'not_found' }
  | { kind: 'method_not_allowed'; allowed: string[] }
  | { kind: 'rejected'; error: OverdueError }
  | { kind: 'rate_limited'; retryAfterS: number };

export interface Arrival {
  signal: IncomingSignal;
  at: number;
}

export interface BatchContext {
  db: Db;
  publicUrl: string;
  now: number;
  /** Per-check rate limit: whether one more signal for this check is allowed now. */
  admit?: (checkId: string) => RateDecision;
  /** Checks a workspace may hold (OVERDUE_MAX_CHECKS_PER_WORKSPACE). */
  maxChecks?: number;
  /** Whether a workspace's signals may create one more check now (OVERDUE_AUTO_CREATE_PER_MINUTE). */
  admitCreation?: (workspaceId: string) => RateDecision;
  /** A signal that failed alone (rolled back to its savepoint and answered 503), for the log. */
  onSignalError?: (error: unknown) => void;
  /** SQLite: check rows found by earlier batches, by refKey (store/check-row-cache.ts). */
  cachedCheck?: (ref: string) => CheckRow | undefined;
}

export interface BatchResult {
  outcomes: IngestOutcome[];
  notifications: number;
  /** Earliest next_deadline among the checks touched, to wake the scheduler if it sleeps past it. */
  earliestDeadline: number | null;
  /** The checks the batch created or applied a signal to, as they are now. */
  touched: CheckRow[];
  /** Every check the batch found, as it is now, by the refKey that found it. */
  found: Map<string, CheckRow>;
}

export async function applyBatch(ctx: BatchContext, arrivals: Arrival[]): Promise<BatchResult> {
  const idByRef = new Map<string, string>();
  /** The latest version of every check the batch looked at. */
  const rows = new Map<string, CheckRow>();
  /** The checks it changed (created, or applied a signal to): what live views and the scheduler hear about. */
  const changed = new Set<string>();
  const outcomes: IngestOutcome[] = [];
  let notifications = 0;

  // PostgreSQL: every check of the batch locked up front, in id order (null on SQLite, which looks up as it goes).
  const locked = await lockChecksForSignals(
    ctx.db,
    arrivals.map((a) => a.signal.ref),
  );
  const lookUp = async (ref: string, sig: IncomingSignal) => {
    const found = locked ? locked.get(ref) : (ctx.cachedCheck?.(ref) ?? (await findCheckForSignal(ctx.db, sig.ref)));
    // Another ref to the same check may have changed it earlier in this batch: the latest version wins.
    return found && (rows.get(found.id) ?? found);
  };
  const writes = batchWrites(ctx.db, arrivals.length);

  /**
   * Everything one signal does before its chain writes: find (or create) its check, refuse it, or apply it and make
   * its other writes (runs, hosts, attribution, flips) under a savepoint opened just before the first of them.
   */
  const prepareSignal = async (sig: IncomingSignal, at: number, guard: SignalSavepoint): Promise<Applied> => {
    const ref = refKey(sig.ref);
    const knownId = idByRef.get(ref);
    let row = knownId ? rows.get(knownId) : await lookUp(ref, sig);
    let created = false;
    if (!row && sig.createWith) {
      await guard.open();
      row = await createForSignal(ctx, sig, at);
      created = row != null;
      guard.createdId = row?.id;
    }
    if (!row || row.enabled !== 1 || (sig.workspaceId != null && row.workspace_id !== sig.workspaceId)) {
      return { kind: 'refused', outcome: { kind: 'not_found' } };
    }
    idByRef.set(ref, row.id);
    rows.set(row.id, row);
    if (created) changed.add(row.id);
    const admitted = sig.perCheckLimit ? ctx.admit?.(row.id) : undefined;
    if (admitted && !admitted.allowed) return { kind: 'refused', outcome: { kind: 'rate_limited', retryAfterS: admitted.retryAfterS } };
    if (row.methods && sig.method && !row.methods.split(',').includes(sig.method)) {
      return { kind: 'refused', outcome: { kind: 'method_not_allowed', allowed: row.methods.split(',') } };
    }

    const timing = timingOf(row);
    const state = stateOf(row);
    // Plain pings on checks without open runs (the common case) need no run lookup at all.
    const matched = state.open_runs > 0 ? await findOpenRun(ctx.db, row.id, sig.rid) : undefined;
    const event: SignalEvent = {
      kind: sig.kind,
      at,
      exit_code: sig.exitCode,
      progress: sig.progress,
      message: sig.message,
      degraded: sig.degraded,
      rid: sig.rid,
      host: sig.host,
    };
    const newRunId = newTimeOrderedId(at);
    // Only the duration anomaly rule needs the check's run history, and only when a success closes a run.
    const history = matched && sig.kind === 'success' && needsDurationHistory(timing) ? await recentSuccessDurations(ctx.db, row.id) : null;
    const outcome = applySignal(timing, state, event, matched ? runStateOf(matched) : null, newRunId, history);
    // A plain ping writes nothing but its chain: no savepoint, no extra round trip on PostgreSQL.
    if ((sig.attribution && !created) || sig.host || outcome.runs.length > 0 || outcome.flip) await guard.open();
    if (sig.attribution && !created) row = await adoptAttribution(ctx.db, row, sig.attribution, at);
    if (sig.host) await recordHost(ctx.db, row, sig.host, at);
    for (const run of outcome.runs) await saveRun(ctx.db, row.id, run, run.id === newRunId, sig.host);
    row = withState(row, timing, outcome.state, ctx.now);
    if (outcome.flip) {
      const recorded = await recordFlip(ctx.db, row, outcome.flip, { ...flipContext(ctx), output: sig.kind === 'fail' ? sig.body : null });
      notifications += recorded.notifications;
      row = { ...row, incident_hold_until: recorded.incidentHoldUntil, hold_cause: recorded.holdCause };
    }
    return { kind: 'apply', row, created, runId: outcome.runId };
  };

  for (const { signal: sig, at } of arrivals) {
    // A signal whose own writes fail is answered alone (rolled back to its savepoint); the batch goes on. Only
    // what fails for the store's reasons (the chain writes, a broken connection, a conflict) fails the batch.
    const guard = new SignalSavepoint(ctx.db);
    let applied: Applied;
    try {
      applied = await prepareSignal(sig, at, guard);
    } catch (error) {
      await guard.rollback();
      // A check this signal created is gone with its savepoint: later signals of the batch must not find it.
      if (guard.createdId) {
        idByRef.delete(refKey(sig.ref));
        rows.delete(guard.createdId);
        changed.delete(guard.createdId);
      }
      if (isRetryableConflict(error) || isConnectionError(error)) throw error;
      if (error instanceof OverdueError) {
        outcomes.push({ kind: 'rejected', error });
        continue;
      }
      ctx.onSignalError?.(error);
      outcomes.push({
        kind: 'rejected',
        error: unavailable('This signal could not be stored; nothing was recorded for it. Retry shortly.'),
      });
      continue;
    }
    await guard.release();
    if (applied.kind !== 'apply') {
      outcomes.push(applied.outcome);
      continue;
    }
    const { row } = applied;
    const signalId = await writes.signal({
      check_id: row.id,
      prev_id: row.last_signal_id,
      run_id: applied.runId,
      at,
      kind: sig.kind,
      method: sig.method,
      source_ip: sig.sourceIp,
      user_agent: sig.userAgent,
      body: sig.body,
      message: sig.message,
      progress: sig.progress,
      exit_code: sig.exitCode,
      metadata: sig.metadata,
      dialect: sig.dialect,
    });
    // The row is this signal's own copy (withState made it): set in place, not copied again (some sixty fields).
    row.last_signal_id = signalId;
    await writes.state(row);
    rows.set(row.id, row);
    changed.add(row.id);
    outcomes.push({ kind: 'ok', created: applied.created, check: row, at, runId: applied.runId });
  }

  await writes.flush();

  // Checks that only refused signals (rate limit, method) are unchanged: nobody needs to hear about them again.
  const touched = [...changed].map((id) => rows.get(id)!);
  let earliestDeadline: number | null = null;
  for (const row of touched) {
    if (row.next_deadline != null && (earliestDeadline == null || row.next_deadline < earliestDeadline))
      earliestDeadline = row.next_deadline;
  }
  const found = new Map<string, CheckRow>();
  for (const [ref, id] of idByRef) found.set(ref, rows.get(id)!);
  return { outcomes, notifications, earliestDeadline, touched, found };
}

type Applied = { kind: 'refused'; outcome: IngestOutcome } | { kind: 'apply'; row: CheckRow; created: boolean; runId: string | null };

/**
 * A savepoint around one signal's writes, opened only when it is about to write something besides its chain (so
 * plain pings cost nothing extra), and rolled back when that signal fails.
 */
class SignalSavepoint {
  private isOpen = false;
  /** The check this signal created, if it did: forgotten by the batch when the savepoint is rolled back. */
  createdId: string | undefined;
  constructor(private readonly db: Db) {}

  async open(): Promise<void> {
    if (this.isOpen) return;
    await sql`savepoint signal_writes`.execute(this.db);
    this.isOpen = true;
  }

  async release(): Promise<void> {
    if (!this.isOpen) return;
    this.isOpen = false;
    await sql`release savepoint signal_writes`.execute(this.db);
  }

  async rollback(): Promise<void> {
    if (!this.isOpen) return;
    this.isOpen = false;
    await sql`rollback to savepoint signal_writes`.execute(this.db);
    await sql`release savepoint signal_writes`.execute(this.db);
  }
}

async function createForSignal(ctx: BatchContext, sig: IncomingSignal, at: number): Promise<CheckRow | undefined> {
  let workspaceId: string;
  const input = { ...sig.createWith! };
  if (sig.ref.by === 'slug') {
    const ws = await ctx.db.selectFrom('workspaces').select('id').where('ping_key', '=', sig.ref.pingKey).executeTakeFirst();
    if (!ws) return undefined;
    workspaceId = ws.id;
    input.slug = sig.ref.slug;
    input.name ??= sig.ref.slug;
  } else if (sig.ref.by === 'name') {
    workspaceId = sig.ref.workspaceId;
    input.name = sig.ref.name;
  } else {
    return undefined;
  }
  const admitted = ctx.admitCreation?.(workspaceId);
  if (admitted && !admitted.allowed) {
    throw new OverdueError(
      429,
      'auto_create_limited',
      `This workspace's pings have created as many checks this minute as the server allows (OVERDUE_AUTO_CREATE_PER_MINUTE); retry in ${admitted.retryAfterS}s, or create the check with the API first.`,
      { 'retry-after': String(admitted.retryAfterS) },
    );
  }
  return createCheck(ctx, workspaceId, input, at);
}
