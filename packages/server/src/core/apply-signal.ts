// applySignal: what one client signal does to a check and its runs. Pure: (timing, state, signal) → outcome.
import type { CheckState, Flip, RunState, SignalEvent, Status, Timing } from './types.js';
import { nextTick, runLimitMs } from './schedule.js';
import { failReason, recoveryReason, thresholdNote } from './reasons.js';
import { flipBetween, flipOrigin, isFlip } from './flip.js';
import { runShapeViolation } from './run-shape.js';
import { extendRunDeadline } from './progress-deadline.js';
import { failureRateBreached, failureRateReason, recordOutcome } from './failure-rate.js';
import { countQuorumSuccess, nextQuorumBeat, quorumOn } from './quorum.js';

export interface SignalOutcome {
  state: CheckState;
  /** Runs created or changed by this signal, in order. */
  runs: RunState[];
  /** The run this signal belongs to, if any. */
  runId: string | null;
  flip: Flip | null;
}

/**
 * Applies one signal. `matched` is the run the store found for it: the open run with the signal's rid,
 * else the latest open run. `newRunId` names a run this signal may open. `history`: durations of the check's recent
 * successful runs, newest first, which only the duration anomaly rule needs (core/run-shape.ts).
 */
export function applySignal(
  timing: Timing,
  prev: CheckState,
  sig: SignalEvent,
  matched: RunState | null,
  newRunId: string,
  history: readonly number[] | null = null,
): SignalOutcome {
  const state: CheckState = { ...prev, last_signal_at: sig.at, signal_count: prev.signal_count + 1 };
  // An ignored signal is kept for the record (healthchecks.io lists it as "ignored") and touches nothing else.
  if (sig.kind === 'ignored') return { state, runs: [], runId: null, flip: null };
  // A start, success or failure says what is true now: without a message of its own it clears the last one, so a
  // healthy check does not keep showing an old error. Logs and progress only add to what is known.
  if (sig.kind === 'start' || sig.kind === 'success' || sig.kind === 'fail') state.last_message = sig.message ?? null;
  else if (sig.message) state.last_message = sig.message;
  const open = matched && matched.ended_at == null ? matched : null;
  const { runs, runId } = trackRun(timing, state, sig, open, newRunId);

  const wakes = sig.kind === 'success' || sig.kind === 'fail' || sig.kind === 'start';
  if (state.status === 'paused') {
    if (timing.manual_resume || !wakes) return { state, runs, runId, flip: null };
    // Waking is a resume: the clock starts afresh from this signal, as resume() does (a start sets no beat).
    state.status = sig.kind === 'start' && state.last_beat_at != null ? 'up' : 'new';
    state.expected_at = state.last_beat_at != null || timing.alert_before_first_ping ? nextTick(timing.schedule, sig.at) : null;
    state.consecutive_failures = 0;
  }

  // A success that breaks a run-shape rule (too fast, too long, too soon) counts as a failed beat; its run says why.
  const closed = sig.kind === 'success' ? (runs.find((r) => r.id === runId && r.result === 'success') ?? null) : null;
  const broken = sig.kind === 'success' ? runShapeViolation(timing, prev, sig.at, closed, history) : null;
  if (broken && closed) closed.rule_violation = broken;

  let reason: string | null = null;
  // A late job that starts is under way: it is no longer overdue (its failure count, if any, stays).
  if (sig.kind === 'start' && state.status === 'late') state.status = 'up';
  // A quorum check's success counts toward its period; only the one completing the quorum is a beat (core/quorum.ts).
  const quorum = sig.kind === 'success' && !broken && quorumOn(timing) ? countQuorumSuccess(timing, state, sig.host, sig.at) : null;
  if (quorum) {
    state.quorum_period = quorum.period;
    // The first success of a check that expects nothing yet opens the first period: it closes at that beat + grace.
    state.expected_at ??= quorum.period.at;
  }
  if (sig.kind === 'success' && !broken && (!quorum || quorum.complete)) {
    state.consecutive_failures = 0;
    state.consecutive_successes += 1;
    state.last_beat_at = sig.at;
    state.last_success_at = sig.at;
    state.expected_at = quorum ? nextQuorumBeat(timing, quorum.period) : nextTick(timing.schedule, sig.at);
    state.degraded = sig.degraded;
    state.recent_outcomes = recordOutcome(timing, state.recent_outcomes, false);
    // Down by its failure rate, a check stays down until the rate falls below the limit (core/failure-rate.ts).
    const recovered =
      state.status !== 'down' ||
      (state.consecutive_successes >= timing.recovery_threshold && !failureRateBreached(timing, state.recent_outcomes));
    if (recovered && state.status !== 'up') {
      reason = recoveryReason(prev.status, state.consecutive_successes, timing);
      state.status = 'up';
    }
  } else if (sig.kind === 'fail' || broken) {
    state.consecutive_successes = 0;
    state.consecutive_failures += 1;
    state.last_beat_at = sig.at;
    // A quorum check keeps its grid of periods: a failure is counted, the beat still expected where it was.
    state.expected_at = quorumOn(timing) ? (state.expected_at ?? nextTick(timing.schedule, sig.at)) : nextTick(timing.schedule, sig.at);
    state.degraded = false;
    state.recent_outcomes = recordOutcome(timing, state.recent_outcomes, true);
    const why = broken ? broken + thresholdNote(timing, state.consecutive_failures) : failReason(timing, sig, state.consecutive_failures);
    const inARow = state.consecutive_failures >= timing.failure_threshold;
    if (inARow || failureRateBreached(timing, state.recent_outcomes)) {
      if (state.status !== 'down') reason = inARow ? why : `${failureRateReason(timing, state.recent_outcomes)}; the latest: ${why}`;
      state.status = 'down';
    } else if (state.status === 'late' || state.status === 'new') {
      // Alive but failing below the threshold: no longer overdue; the failure count carries the news.
      state.status = 'up';
      reason = why;
    }
  }
  const flip = !isFlip(prev.status, state.status)
    ? null
    : flipBetween(flipOrigin(prev), state.status, sig.at, reason ?? describeWake(prev.status));
  return { state, runs, runId, flip };
}

function describeWake(from: Status): string {
  return from === 'paused' ? 'signal received; check resumed' : 'signal received';
}

/** Opens, updates or closes the signal's run, keeping the check's run counters in step. */
function trackRun(
  timing: Timing,
  state: CheckState,
  sig: SignalEvent,
  open: RunState | null,
  newRunId: string,
): { runs: RunState[]; runId: string | null } {
  const runs: RunState[] = [];
  const opensRun = sig.kind === 'start' || (sig.kind === 'progress' && open == null);
  if (opensRun) {
    // A repeated start with the same rid is a client retry, not a second run.
    if (sig.kind === 'start' && open && sig.rid != null && open.rid === sig.rid) return { runs, runId: open.id };
    if (sig.kind === 'start' && open && open.rid == null && sig.rid == null) {
      // Without run ids a new start supersedes the previous one, as healthchecks.io measures from the latest start.
      runs.push(closeRun(open, sig.at, 'abandoned', null, null));
      state.open_runs -= 1;
    }
    const run: RunState = {
      id: newRunId,
      rid: sig.rid,
      started_at: sig.at,
      ended_at: null,
      duration_ms: null,
      result: null,
      exit_code: null,
      progress: sig.progress,
      last_message: sig.message,
    };
    runs.push(run);
    state.open_runs += 1;
    state.run_count += 1;
    const timeout = sig.at + runLimitMs(timing, sig.at);
    state.run_deadline = state.run_deadline == null ? timeout : Math.min(state.run_deadline, timeout);
    return { runs, runId: run.id };
  }
  if (!open) return { runs, runId: null };
  if (sig.kind === 'log' || sig.kind === 'progress') {
    const run: RunState = { ...open, progress: sig.progress ?? open.progress, last_message: sig.message ?? open.last_message };
    extendRunDeadline(timing, state, run, sig.at);
    runs.push(run);
    return { runs, runId: open.id };
  }
  const closed = closeRun(open, sig.at, sig.kind === 'success' ? 'success' : 'fail', sig.exit_code, sig.message);
  if (sig.kind === 'success' && closed.progress != null) closed.progress = 100;
  runs.push(closed);
  state.open_runs = Math.max(0, state.open_runs - 1);
  if (state.open_runs === 0) state.run_deadline = null;
  state.last_duration_ms = closed.duration_ms;
  return { runs, runId: open.id };
}

export function closeRun(run: RunState, at: number, result: RunState['result'], exitCode: number | null, message: string | null): RunState {
  return {
    ...run,
    ended_at: at,
    duration_ms: run.started_at == null ? null : Math.max(0, at - run.started_at),
    result,
    exit_code: exitCode ?? run.exit_code,
    last_message: message ?? run.last_message,
  };
}
