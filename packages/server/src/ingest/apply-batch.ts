// One group-commit transaction: every signal of an event-loop turn, applied in arrival order.
import { applySignal, type SignalEvent } from '../core/index.js';
import { findCheckForSignal, lockChecksForSignals, refKey, type Db } from '../store/checks.js';
import type { CheckRow } from '../store/schema.js';
import { stateOf, timingOf, withState } from '../store/check-rows.js';
import { findOpenRun, runStateOf, saveRun } from '../store/runs.js';
import { batchWrites } from '../store/batch-writes.js';
import { newTimeOrderedId } from '../store/ids.js';
import { recordFlip } from '../alerts/record-flip.js';
import { createCheck, flipContext } from '../checks/operations.js';
import type { IncomingSignal } from './signal.js';
import { adoptAttribution } from './attribution.js';
import { recordHost } from '../store/hosts.js';
import { OverdueError } from '../errors.js';
import type { RateDecision } from './rate-limit.js';

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
}

export interface BatchResult {
  outcomes: IngestOutcome[];
  notifications: number;
  /** Earliest next_deadline among the checks touched, to wake the scheduler if it sleeps past it. */
  earliestDeadline: number | null;
  /** The checks the batch created or applied a signal to, as they are now. */
  touched: CheckRow[];
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
  const locked = await lockChecksForSignals(ctx.db, arrivals.map((a) => a.signal.ref));
  const lookUp = async (ref: string, sig: IncomingSignal) => {
    const found = locked ? locked.get(ref) : await findCheckForSignal(ctx.db, sig.ref);
    // Another ref to the same check may have changed it earlier in this batch: the latest version wins.
    return found && (rows.get(found.id) ?? found);
  };
  const writes = batchWrites(ctx.db, arrivals.length);

  for (const { signal: sig, at } of arrivals) {
    const ref = refKey(sig.ref);
    const knownId = idByRef.get(ref);
    let row = knownId ? rows.get(knownId) : await lookUp(ref, sig);
    let created = false;
    if (!row && sig.createWith) {
      try {
        row = await createForSignal(ctx, sig, at);
      } catch (error) {
        // Settings are validated before anything is written, so refusing here leaves the batch clean.
        if (!(error instanceof OverdueError)) throw error;
        outcomes.push({ kind: 'rejected', error });
        continue;
      }
      created = row != null;
    }
    if (!row || row.enabled !== 1 || (sig.workspaceId != null && row.workspace_id !== sig.workspaceId)) {
      outcomes.push({ kind: 'not_found' });
      continue;
    }
    idByRef.set(ref, row.id);
    rows.set(row.id, row);
    if (created) changed.add(row.id);
    const admitted = ctx.admit?.(row.id);
    if (admitted && !admitted.allowed) {
      outcomes.push({ kind: 'rate_limited', retryAfterS: admitted.retryAfterS });
      continue;
    }
    if (row.methods && sig.method && !row.methods.split(',').includes(sig.method)) {
      outcomes.push({ kind: 'method_not_allowed', allowed: row.methods.split(',') });
      continue;
    }

    if (sig.attribution && !created) row = await adoptAttribution(ctx.db, row, sig.attribution, at);
    if (sig.host) await recordHost(ctx.db, row, sig.host, at);

    const timing = timingOf(row);
    const state = stateOf(row);
    // Plain pings on checks without open runs (the common case) need no run lookup at all.
    const matched = state.open_runs > 0 ? await findOpenRun(ctx.db, row.id, sig.rid) : undefined;
    const event: SignalEvent = {
      kind: sig.kind, at, exit_code: sig.exitCode, progress: sig.progress, message: sig.message, degraded: sig.degraded, rid: sig.rid,
    };
    const newRunId = newTimeOrderedId(at);
    const outcome = applySignal(timing, state, event, matched ? runStateOf(matched) : null, newRunId);
    for (const run of outcome.runs) await saveRun(ctx.db, row.id, run, run.id === newRunId, sig.host);
    const signalId = await writes.signal({
      check_id: row.id, prev_id: row.last_signal_id, run_id: outcome.runId, at, kind: sig.kind, method: sig.method, source_ip: sig.sourceIp,
      user_agent: sig.userAgent, body: sig.body, message: sig.message, progress: sig.progress, exit_code: sig.exitCode,
      metadata: sig.metadata ? JSON.stringify(sig.metadata) : null, dialect: sig.dialect,
    });
    row = withState(row, timing, outcome.state, ctx.now);
    row.last_signal_id = signalId;
    await writes.state(row);
    if (outcome.flip) notifications += await recordFlip(ctx.db, row, outcome.flip, { ...flipContext(ctx), output: sig.kind === 'fail' ? sig.body : null });
    rows.set(row.id, row);
    changed.add(row.id);
    outcomes.push({ kind: 'ok', created, check: row, at, runId: outcome.runId });
  }

  await writes.flush();

  // Checks that only refused signals (rate limit, method) are unchanged: nobody needs to hear about them again.
  const touched = [...changed].map((id) => rows.get(id)!);
  let earliestDeadline: number | null = null;
  for (const row of touched) {
    if (row.next_deadline != null && (earliestDeadline == null || row.next_deadline < earliestDeadline)) earliestDeadline = row.next_deadline;
  }
  return { outcomes, notifications, earliestDeadline, touched };
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
  return createCheck(ctx, workspaceId, input, at);
}
