// Snooze: a pause that ends by itself ("snooze 2 h"). Pure: the caller passes the times.
import type { CheckState, Flip, Timing } from './types.js';
import { pause, resume } from './lifecycle.js';

/** Longest snooze: 30 days (a longer quiet is a pause, which a person ends). */
export const MAX_SNOOZE_MS = 30 * 86400_000;

/** When a snooze asked for at `now` ends, or a sentence saying what to change. Exactly one of duration_s and until. */
export function snoozeEnd(ask: { duration_s?: number; until?: string }, now: number): number | string {
  if ((ask.duration_s == null) === (ask.until == null))
    return 'give either duration_s (seconds, e.g. 7200 for 2 hours) or until (an ISO 8601 time), not both';
  const end = ask.duration_s != null ? now + ask.duration_s * 1000 : Date.parse(ask.until!);
  if (ask.duration_s != null && (!Number.isInteger(ask.duration_s) || ask.duration_s < 60))
    return 'duration_s must be a whole number of at least 60 seconds';
  if (!Number.isFinite(end)) return 'until must be an ISO 8601 time such as 2026-03-01T08:00:00Z';
  if (end <= now) return 'until must be in the future';
  if (end - now > MAX_SNOOZE_MS) return 'a snooze lasts at most 30 days; pause the check for longer';
  return end;
}

function moment(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Snoozing pauses the check (a paused check is snoozed as it is) with a reason naming when it resumes. */
export function snooze(prev: CheckState, until: number, now: number): { state: CheckState; flip: Flip | null } {
  const paused = pause(prev, now);
  return { state: paused.state, flip: paused.flip && { ...paused.flip, reason: `snoozed until ${moment(until)}` } };
}

/** Whether a check snoozed until `snoozedUntil` resumes at `now`. */
export function snoozeOver(status: string, snoozedUntil: number | null | undefined, now: number): boolean {
  return status === 'paused' && snoozedUntil != null && snoozedUntil <= now;
}

/** The end of a snooze: the check resumes as a person resuming it would, its clock starting from now. */
export function endSnooze(timing: Timing, prev: CheckState, now: number): { state: CheckState; flip: Flip | null } {
  const resumed = resume(timing, prev, now);
  return { state: resumed.state, flip: resumed.flip && { ...resumed.flip, reason: 'snooze ended' } };
}
