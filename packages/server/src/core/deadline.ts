// What the passing of time does to a check: late, missed beats, runs that never ended. Pure.
import type { CheckState, Flip, RunState, Timing } from './types.js';
import { graceMs, nextTick, runLimitMs } from './schedule.js';
import { missReason, timeoutReason } from './reasons.js';
import { flipBetween, flipOrigin, isFlip } from './flip.js';
import { extendedTimeoutReason, runDueAt } from './progress-deadline.js';
import { failureRateBreached, failureRateReason, recordOutcome } from './failure-rate.js';
import { quorumMissReason, quorumOn } from './quorum.js';

/** Bound on misses counted one by one; beyond it the schedule jumps ahead (a clock leap, a long outage). */
const MAX_MISSES_WALKED = 1000;

/** The next moment the scheduler must look at this check, or null when nothing can happen by itself. */
export function nextDeadline(timing: Timing, state: CheckState): number | null {
  if (state.status === 'paused') return null;
  // A run in progress suspends the schedule: only its own timeout can end it.
  if (state.open_runs > 0) return state.run_deadline;
  if (state.expected_at == null) return null;
  // Up or new: look again when the beat is due (to go late); late or down: when its grace ends (to count a miss).
  return state.status === 'up' || state.status === 'new' ? state.expected_at : state.expected_at + graceMs(timing, state.expected_at);
}

export interface DeadlineOutcome {
  state: CheckState;
  /** Runs closed as timed out. */
  timedOut: RunState[];
  flip: Flip | null;
}

/**
 * Applies the passing of time up to `now`. `openRuns` are the check's open runs (needed only when
 * state.run_deadline has passed). Several events at once (a clock jump) yield one flip, not a flood. `knownHosts`
 * (hosts the check has heard from) name who is missing when a quorum check's period ends short.
 */
export function applyDeadline(
  timing: Timing,
  prev: CheckState,
  openRuns: RunState[],
  now: number,
  knownHosts: string[] = [],
): DeadlineOutcome {
  const state: CheckState = { ...prev };
  const timedOut: RunState[] = [];
  if (state.status === 'paused') return { state, timedOut, flip: null };
  let failureReason: string | null = null;
  let overdue = false;

  if (state.run_deadline != null && state.run_deadline <= now) {
    let remaining: number | null = null;
    for (const run of openRuns) {
      if (run.ended_at != null || run.started_at == null) continue;
      const limit = runLimitMs(timing, run.started_at);
      // Progress may have pushed the run's timeout (progress-deadline.ts); else it is the start + the limit.
      const due = runDueAt(timing, run);
      if (due <= now) {
        timedOut.push({ ...run, ended_at: due, duration_ms: due - run.started_at, result: 'timeout' });
        state.consecutive_failures += 1;
        state.consecutive_successes = 0;
        failureReason =
          due > run.started_at + limit
            ? extendedTimeoutReason(timing, run, due, state.consecutive_failures)
            : timeoutReason(timing, run.started_at, limit, state.consecutive_failures);
      } else {
        remaining = remaining == null ? due : Math.min(remaining, due);
      }
    }
    state.open_runs = Math.max(0, state.open_runs - timedOut.length);
    state.recent_outcomes = recordOutcome(timing, state.recent_outcomes, true, timedOut.length);
    state.run_deadline = state.open_runs > 0 ? remaining : null;
  }

  let missed = false;
  let lastMissed: number | null = null;
  // While a run is open the job is evidently running: no late, no miss; the run's timeout is what counts.
  if (state.expected_at != null && state.open_runs === 0) {
    let expected = state.expected_at;
    let grace = graceMs(timing, expected);
    let misses = 0;
    while (expected + grace <= now && misses < MAX_MISSES_WALKED) {
      misses += 1;
      lastMissed = expected;
      expected = nextTick(timing.schedule, expected);
      grace = graceMs(timing, expected);
    }
    if (expected + grace <= now) expected = nextTick(timing.schedule, now - grace);
    if (misses > 0) {
      missed = true;
      state.expected_at = expected;
      state.consecutive_failures += misses;
      state.consecutive_successes = 0;
      state.recent_outcomes = recordOutcome(timing, state.recent_outcomes, true, misses);
      // A quorum period that ended short names who reported (core/quorum.ts); the missed-beat phrase when nobody did.
      const quorumReason = quorumOn(timing) ? quorumMissReason(timing, state.quorum_period, prev.expected_at!, knownHosts) : null;
      if (quorumReason) failureReason ??= `${quorumReason}${misses > 1 ? `; ${misses} beats missed` : ''}`;
      // A run that just timed out is the better explanation than the beats it made us miss.
      failureReason ??= missReason(timing, graceMs(timing, prev.expected_at!), state.last_beat_at, misses, state.consecutive_failures);
    } else if (expected <= now) {
      overdue = true;
    }
  }

  const byRate =
    failureReason != null && state.consecutive_failures < timing.failure_threshold && failureRateBreached(timing, state.recent_outcomes);
  if (byRate) failureReason = `${failureRateReason(timing, state.recent_outcomes)}; the latest: ${failureReason}`;
  if (failureReason && (state.consecutive_failures >= timing.failure_threshold || byRate)) state.status = 'down';
  else if ((missed || overdue) && state.status !== 'down') state.status = 'late';
  // Going late is not a flip (see isFlip); the only flip time can cause is going down, with its reason.
  const flip = isFlip(prev.status, state.status) ? flipBetween(flipOrigin(prev), state.status, now, failureReason!) : null;
  // An alert names the beat that did not come, not the next one (which is still in the future when it is sent).
  if (flip && missed && timedOut.length === 0 && lastMissed != null) flip.missed_at = lastMissed;
  return { state, timedOut, flip };
}
