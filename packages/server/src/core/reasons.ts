// The sentences people read in flips and alerts. Each says what happened with concrete values.
import type { SignalEvent, Timing } from './types.js';
import { describeExpectation } from './schedule.js';
import { formatDuration, iso } from './durations.js';

/** " (2 consecutive failures, threshold 3)" when the threshold is above one: why a failure did or did not bring the check down. */
export function thresholdNote(timing: Timing, failures: number): string {
  return timing.failure_threshold > 1 ? ` (${failures} consecutive failures, threshold ${timing.failure_threshold})` : '';
}

/** protocol.md §2: a missed beat's reason always starts with this; clients (and the Pinghome dialect) look for it. */
export const MISS_PHRASE = 'no heartbeat received within';

/** Why a missed beat counted: the phrase clients grep for, then the values behind it. */
export function missReason(timing: Timing, grace: number, lastBeatAt: number | null, misses: number, failures: number): string {
  const last = lastBeatAt == null ? 'no heartbeat ever received' : `last heartbeat at ${iso(lastBeatAt)}`;
  const repeated = misses > 1 ? `; ${misses} beats missed` : '';
  return `${MISS_PHRASE} expected interval + grace period (${describeExpectation(timing.schedule)} + ${formatDuration(grace)}); ${last}${repeated}${thresholdNote(timing, failures)}`;
}

export function failReason(timing: Timing, signal: SignalEvent, failures: number): string {
  const code = signal.exit_code != null && signal.exit_code !== 0 ? ` with exit code ${signal.exit_code}` : '';
  const message = signal.message ? `: ${truncate(signal.message, 200)}` : '';
  return `received a failure signal${code}${message}${thresholdNote(timing, failures)}`;
}

export function timeoutReason(timing: Timing, startedAt: number, limit: number, failures: number): string {
  const which = timing.max_runtime_s != null ? 'max runtime' : 'grace period, no max runtime set';
  return `run started at ${iso(startedAt)} did not finish within ${formatDuration(limit)} (${which})${thresholdNote(timing, failures)}`;
}

export function recoveryReason(from: string, successes: number, timing: Timing): string {
  if (from === 'new') return 'first heartbeat received';
  if (from === 'paused') return 'heartbeat received; check resumed';
  const streak = timing.recovery_threshold > 1 ? ` (${successes} consecutive successes)` : '';
  return `heartbeat received; check recovered${streak}`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
