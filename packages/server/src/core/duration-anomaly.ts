// Duration anomaly: a run that takes far longer than this job usually does (k × the p95 of its own recent successful
// runs). The edge loads the history only for checks with the rule on, when a success closes a run. Pure.
import type { RunState, Timing } from './types.js';
import { formatDuration } from './durations.js';

/** How many recent successful runs the p95 is learned from. */
export const ANOMALY_HISTORY_RUNS = 20;
/** Below this many, nothing is learned yet and the rule stays quiet. */
export const ANOMALY_MIN_HISTORY = 10;

/** The 95th percentile by nearest rank: the smallest duration that at least 95% of them do not exceed. */
export function p95(durations: readonly number[]): number {
  if (durations.length === 0) throw new Error('p95 of no durations');
  const sorted = [...durations].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1];
}

/**
 * The reason a successful run was anomalously long, or null. `history` holds the durations (ms) of the check's
 * most recent successful runs before this one, newest first (at most ANOMALY_HISTORY_RUNS are used).
 */
export function durationAnomalyViolation(timing: Timing, run: RunState | null, history: readonly number[] | null): string | null {
  const k = timing.duration_anomaly_factor;
  if (k == null || run == null || run.duration_ms == null || history == null) return null;
  const learned = history.slice(0, ANOMALY_HISTORY_RUNS);
  if (learned.length < ANOMALY_MIN_HISTORY) return null;
  const usual = p95(learned);
  if (run.duration_ms <= usual * k) return null;
  return (
    `run took ${formatDuration(run.duration_ms)}, more than ${k} × its usual p95 of ${formatDuration(usual)} ` +
    `(learned from its last ${learned.length} successful runs; duration anomaly)`
  );
}
