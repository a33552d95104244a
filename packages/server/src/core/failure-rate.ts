// Failure rate over a window (healthchecks #858): a check goes down when `failure_rate_count` of its last
// `failure_rate_window` beats failed, even if never `failure_threshold` in a row, and comes back only when the rate
// falls below. The outcomes are a short string on the check row ('s'/'f', oldest first), written with the state
// columns every beat already writes: no extra read or write on the hot path.
import type { Timing } from './types.js';

/** The longest window a check may ask for (the string on the row stays short). */
export const MAX_FAILURE_RATE_WINDOW = 100;

export const failureRateOn = (timing: Timing): boolean => timing.failure_rate_count != null && timing.failure_rate_window != null;

/** The outcomes after one more beat (or `times` more, e.g. several missed beats at once); null while the rule is off. */
export function recordOutcome(timing: Timing, recent: string | null | undefined, failed: boolean, times = 1): string | null {
  if (!failureRateOn(timing)) return null;
  const window = timing.failure_rate_window!;
  const added = (failed ? 'f' : 's').repeat(Math.min(Math.max(times, 0), window));
  return ((recent ?? '') + added).slice(-window);
}

/** How many of the last `failure_rate_window` outcomes failed, and how many outcomes that is. */
export function recentFailures(timing: Timing, recent: string | null | undefined): { failed: number; of: number } {
  if (!failureRateOn(timing)) return { failed: 0, of: 0 };
  const window = (recent ?? '').slice(-timing.failure_rate_window!);
  let failed = 0;
  for (const c of window) if (c === 'f') failed += 1;
  return { failed, of: window.length };
}

/** Whether the failure rate is at or over the check's limit. */
export function failureRateBreached(timing: Timing, recent: string | null | undefined): boolean {
  return failureRateOn(timing) && recentFailures(timing, recent).failed >= timing.failure_rate_count!;
}

/** "3 of the last 10 runs failed (threshold 3 of 10)". */
export function failureRateReason(timing: Timing, recent: string | null | undefined): string {
  const { failed, of } = recentFailures(timing, recent);
  return `${failed} of the last ${of} runs failed (threshold ${timing.failure_rate_count} of ${timing.failure_rate_window})`;
}
