// Too-frequent runs (healthchecks.io #17 "ran too often"): a success that comes before the schedule allows another
// one — a duplicated crontab line, two hosts running the same job, a retry loop. Pure.
//
// Interval schedules: a success less than `period − tolerance` after the last counted success is too early.
// Cron and OnCalendar schedules: the ticks cut time into slots (a tick until the next one); with the tolerance every
// slot starts `tolerance` early, so a job whose clock runs a little ahead still lands in its own slot. A success is too
// early when it falls in the same slot as the last counted success: no tick lies in (last + tolerance, now + tolerance].
import type { Schedule, Timing } from './types.js';
import { describeExpectation, nextTick } from './schedule.js';
import { formatDuration, iso } from './durations.js';

/** Whether a success at `at` comes too soon after the last counted success at `last`. */
export function tooOften(schedule: Schedule, toleranceMs: number, last: number, at: number): boolean {
  if (at < last) return false;
  if (schedule.kind === 'interval') return at - last < schedule.period_s * 1000 - toleranceMs;
  return nextTick(schedule, last + toleranceMs) > at + toleranceMs;
}

/** The reason a success broke the too-frequent rule, or null (rule off, first success, on time). */
export function tooOftenViolation(timing: Timing, lastSuccessAt: number | null, at: number): string | null {
  if (timing.early_tolerance_s == null || lastSuccessAt == null) return null;
  const tolerance = timing.early_tolerance_s * 1000;
  if (!tooOften(timing.schedule, tolerance, lastSuccessAt, at)) return null;
  const gap = formatDuration(at - lastSuccessAt);
  const expected =
    timing.schedule.kind === 'interval'
      ? `expected every ${describeExpectation(timing.schedule)}`
      : `expected once per tick of ${describeExpectation(timing.schedule)}`;
  return `ran too often: success ${gap} after the previous one at ${iso(lastSuccessAt)}, ${expected} (tolerance ${formatDuration(tolerance)})`;
}
