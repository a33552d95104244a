// Progress extends a running run's deadline (healthchecks.io #1232): with extend_on_progress, a `progress` or `log`
// signal on an open run moves its timeout to signal time + the run limit (max_runtime_s, else grace), so a long job
// that keeps reporting is not timed out, and one that goes quiet is, one limit after it last spoke. Pure.
import type { CheckState, RunState, Timing } from './types.js';
import { runLimitMs } from './schedule.js';
import { formatDuration, iso } from './durations.js';
import { thresholdNote } from './reasons.js';

/** When an open run times out: where progress pushed it, else its start + the run limit. */
export function runDueAt(timing: Timing, run: RunState): number {
  const base = run.started_at! + runLimitMs(timing, run.started_at!);
  return run.deadline_at != null ? Math.max(base, run.deadline_at) : base;
}

/** Pushes `run`'s timeout for a progress or log signal at `at`, when the check says so; keeps the check's run_deadline in step. */
export function extendRunDeadline(timing: Timing, state: CheckState, run: RunState, at: number): void {
  if (!timing.extend_on_progress || run.started_at == null) return;
  const pushed = Math.max(runDueAt(timing, run), at + runLimitMs(timing, run.started_at));
  run.deadline_at = pushed;
  // With one open run the check's deadline is that run's; with several it stays a lower bound, re-evaluated when it fires.
  if (state.open_runs === 1) state.run_deadline = pushed;
}

/** Why a run whose deadline progress had pushed timed out: its last word and the window it had. */
export function extendedTimeoutReason(timing: Timing, run: RunState, due: number, failures: number): string {
  const window = runLimitMs(timing, run.started_at!);
  const which = timing.max_runtime_s != null ? 'max runtime' : 'grace period, no max runtime set';
  return (
    `run started at ${iso(run.started_at)} went quiet: no progress, log or end within ${formatDuration(window)} (${which}) ` +
    `after its last progress at ${iso(due - window)}${thresholdNote(timing, failures)}`
  );
}
