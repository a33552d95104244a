// Minimum run time (healthchecks.io #236 "finished too fast"): a run that ends in success sooner than the check's
// min_runtime_s most likely did nothing (an empty backup, a job that bailed out early). Pure.
import type { RunState, Timing } from './types.js';
import { formatDuration } from './durations.js';

/** The reason a successful run broke the minimum run time, or null (rule off, no run, long enough). */
export function minRuntimeViolation(timing: Timing, run: RunState | null): string | null {
  if (timing.min_runtime_s == null || run == null || run.duration_ms == null) return null;
  const minimum = timing.min_runtime_s * 1000;
  if (run.duration_ms >= minimum) return null;
  return `run finished in ${formatDuration(run.duration_ms)}, under the minimum run time of ${formatDuration(minimum)} (finished too fast)`;
}
