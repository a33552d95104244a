// Run-shape rules a success can break: too fast, anomalously long, too soon after the last one. A success that breaks
// one counts as a failed beat, with the rule's reason (docs/alerts.md "Run-shape rules"). Pure.
import type { CheckState, RunState, Timing } from './types.js';
import { minRuntimeViolation } from './min-runtime.js';
import { durationAnomalyViolation } from './duration-anomaly.js';
import { tooOftenViolation } from './too-often.js';

/**
 * The reason a success at `at` counts as a failure, or null. `closed` is the run it closed (null for a tick);
 * `history` the durations of recent successful runs, loaded only when the duration anomaly rule is on.
 */
export function runShapeViolation(
  timing: Timing,
  prev: CheckState,
  at: number,
  closed: RunState | null,
  history: readonly number[] | null,
): string | null {
  return (
    minRuntimeViolation(timing, closed) ??
    durationAnomalyViolation(timing, closed, history) ??
    tooOftenViolation(timing, prev.last_success_at, at)
  );
}

/** Whether closing a run with a success needs the check's run history (only the duration anomaly rule does). */
export function needsDurationHistory(timing: Timing): boolean {
  return timing.duration_anomaly_factor != null;
}
