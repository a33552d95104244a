// Maintenance windows: which windows cover a check at a moment, and when the quiet ends. Pure: times are parameters.
import { nextTick, previousTick, validateSchedule } from './schedule.js';

/** When a window is open: every occurrence of a cron expression for a duration, or once between two times. */
export type WindowTiming =
  { kind: 'recurring'; cron: string; tz: string; duration_ms: number } | { kind: 'once'; start: number; end: number };

/** What a window applies to: one check, every check with a tag, or (both null) every check of the workspace. */
export interface WindowScope {
  check_id: string | null;
  tag: string | null;
}

export interface MaintenanceWindow extends WindowScope {
  timing: WindowTiming;
}

/** The few facts about a check a window's scope looks at. */
export interface ScopedCheck {
  id: string;
  tags: readonly string[];
}

/** Longest recurring window: a week (a longer quiet is a pause, and the search for its start stays bounded). */
export const MAX_RECURRING_DURATION_MS = 7 * 86400_000;
/** Chained windows (one ending as the next begins) are followed at most this many times. */
const MAX_CHAIN = 100;

/** Whether `window` applies to `check`. */
export function windowApplies(window: WindowScope, check: ScopedCheck): boolean {
  if (window.check_id != null) return window.check_id === check.id;
  if (window.tag != null) return check.tags.includes(window.tag);
  return true;
}

const cronOf = (t: Extract<WindowTiming, { kind: 'recurring' }>) => ({ kind: 'cron' as const, expr: t.cron, tz: t.tz });

/** The end of the window's occurrence that covers `t` (start ≤ t < end), or null when the window is closed at `t`. */
export function coveringEnd(timing: WindowTiming, t: number): number | null {
  if (timing.kind === 'once') return timing.start <= t && t < timing.end ? timing.end : null;
  // All occurrences last as long: the latest start at or before t ends last, so it alone decides.
  const start = previousTick(cronOf(timing), t + 1);
  return start <= t && t < start + timing.duration_ms ? start + timing.duration_ms : null;
}

/** The next moment after `after` the window opens, or null when it never opens again. */
export function nextWindowStart(timing: WindowTiming, after: number): number | null {
  if (timing.kind === 'once') return timing.start > after ? timing.start : null;
  return nextTick(cronOf(timing), after);
}

/**
 * When maintenance of `check` ends if it is in maintenance at `now`, else null. Windows that overlap or follow each
 * other without a gap count as one quiet stretch: the answer is the end of the last of them.
 */
export function maintenanceUntil(windows: readonly MaintenanceWindow[], check: ScopedCheck, now: number): number | null {
  const mine = windows.filter((w) => windowApplies(w, check));
  let until: number | null = null;
  let at = now;
  for (let i = 0; i < MAX_CHAIN; i += 1) {
    const ends = mine.map((w) => coveringEnd(w.timing, at)).filter((e): e is number => e != null);
    if (ends.length === 0) break;
    until = Math.max(...ends);
    at = until;
  }
  return until;
}

/** Null when a window's timing is usable, else a sentence saying what to change. */
export function validateWindowTiming(timing: WindowTiming): string | null {
  if (timing.kind === 'once') {
    if (!Number.isFinite(timing.start) || !Number.isFinite(timing.end))
      return 'starts_at and ends_at must be ISO 8601 times such as 2026-03-01T02:00:00Z';
    if (timing.end <= timing.start) return 'ends_at must be after starts_at';
    return null;
  }
  if (!Number.isInteger(timing.duration_ms) || timing.duration_ms < 60_000)
    return 'duration_s must be a whole number of at least 60 seconds';
  if (timing.duration_ms > MAX_RECURRING_DURATION_MS)
    return 'duration_s must be at most a week (604800); for a longer quiet, pause the check';
  const schedule = validateSchedule({ kind: 'cron', expr: timing.cron, tz: timing.tz });
  return schedule ? schedule.replace(/^cron expression/, 'cron') : null;
}

/** "2026-03-01 02:10 UTC": a moment in an alert's sentence. */
function moment(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The reason of the alert sent when a maintenance window ends and the check is still down. `during` is false when it
 * went down before the window (its cooldown ended inside the window, which then held the alert).
 */
export function maintenanceEndReason(downReason: string, downAt: number, during = true): string {
  return during
    ? `went down during a maintenance window at ${moment(downAt)} (${downReason}) and is still down after the window ended`
    : `went down at ${moment(downAt)} (${downReason}); a maintenance window held the alert, and it is still down after the window ended`;
}
