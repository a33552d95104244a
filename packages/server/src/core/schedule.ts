// Schedule math: when the next beat is expected and how much grace it gets. Pure: the caller passes times.
import { Cron } from 'croner';
import type { Schedule, Timing } from './types.js';
import { formatDuration, DAY_MS, DAY_S } from './durations.js';
import { parseOnCalendar, type CalendarPattern } from './oncalendar.js';

/** Grace of a check that names neither grace_s nor grace_multiplier: five minutes. */
export const DEFAULT_GRACE_S = 300;
const cronCache = new Map<string, Cron>();

function cronFor(expr: string, tz: string): Cron {
  const key = `${tz}\u0000${expr}`;
  let cron = cronCache.get(key);
  if (!cron) {
    cron = new Cron(expr, { timezone: tz, paused: true });
    if (cronCache.size > 10_000) cronCache.clear();
    cronCache.set(key, cron);
  }
  return cron;
}

const calendarCache = new Map<string, CalendarPattern[]>();

/** The cron patterns of an OnCalendar expression (validated before it is stored, so parsing cannot fail here). */
function calendarPatterns(expr: string): CalendarPattern[] {
  let patterns = calendarCache.get(expr);
  if (!patterns) {
    const parsed = parseOnCalendar(expr);
    patterns = typeof parsed === 'string' ? [] : parsed;
    if (calendarCache.size > 10_000) calendarCache.clear();
    calendarCache.set(expr, patterns);
  }
  return patterns;
}

/** The crons an OnCalendar schedule runs on, each in its line's zone or the schedule's. */
function calendarCrons(schedule: { expr: string; tz: string }): Cron[] {
  return calendarPatterns(schedule.expr).map((p) => cronFor(p.pattern, p.tz ?? schedule.tz));
}

function badZone(tz: string): string | null {
  try {
    Intl.DateTimeFormat('en-US', { timeZone: tz });
    return null;
  } catch {
    return `unknown time zone "${tz}"; use an IANA name such as Europe/Berlin or UTC`;
  }
}

/** Null when the expression and zone are usable, else a sentence saying what is wrong. */
export function validateSchedule(schedule: Schedule): string | null {
  if (schedule.kind === 'interval') {
    if (!Number.isFinite(schedule.period_s) || schedule.period_s < 1) return 'period_s must be at least 1 second';
    if (schedule.period_s > 366 * DAY_S) return 'period_s must be at most a year';
    return null;
  }
  const zone = badZone(schedule.tz);
  if (zone) return zone;
  if (schedule.kind === 'oncalendar') {
    const parsed = parseOnCalendar(schedule.expr);
    if (typeof parsed === 'string') return parsed;
    try {
      if (!parsed.some((p) => cronFor(p.pattern, p.tz ?? schedule.tz).nextRun(new Date(0)))) return 'OnCalendar expression never fires';
    } catch (e) {
      return `invalid OnCalendar expression: ${(e as Error).message}`;
    }
    return null;
  }
  if (schedule.expr.trim().split(/\s+/).length !== 5) return 'cron expression must have 5 fields (minute hour day month weekday)';
  try {
    const next = cronFor(schedule.expr, schedule.tz).nextRun(new Date(0));
    if (!next) return 'cron expression never fires';
  } catch (e) {
    return `invalid cron expression: ${(e as Error).message}`;
  }
  return null;
}

/** The first scheduled time strictly after `after`. */
export function nextTick(schedule: Schedule, after: number): number {
  if (schedule.kind === 'interval') return after + schedule.period_s * 1000;
  if (schedule.kind === 'oncalendar') {
    // Any line may fire: the earliest next time of them all (a year named in the past never fires again).
    const times = calendarCrons(schedule)
      .map((c) => c.nextRun(new Date(after))?.getTime())
      .filter((t): t is number => t != null);
    return times.length ? Math.min(...times) : after + 366 * DAY_MS;
  }
  const next = cronFor(schedule.expr, schedule.tz).nextRun(new Date(after));
  // A valid expression always fires again; guard anyway so a bad row cannot stall the scheduler.
  return next ? next.getTime() : after + 366 * DAY_MS;
}

/** The last scheduled time strictly before `before` (cron), or one period earlier (interval). */
export function previousTick(schedule: Schedule, before: number): number {
  if (schedule.kind === 'interval') return before - schedule.period_s * 1000;
  if (schedule.kind === 'oncalendar') {
    const times = calendarCrons(schedule)
      .map((c) => c.previousRuns(1, new Date(before))[0]?.getTime())
      .filter((t): t is number => t != null);
    return times.length ? Math.max(...times) : before - 366 * DAY_MS;
  }
  const [previous] = cronFor(schedule.expr, schedule.tz).previousRuns(1, new Date(before));
  return previous ? previous.getTime() : before - 366 * DAY_MS;
}

/**
 * The "period" leading up to the beat expected at `tick`: the gap since the tick before it. For a weekday
 * job, Monday's beat follows a three-day gap and Friday's a one-day gap, as "interval × multiplier" implies.
 */
export function periodAt(schedule: Schedule, tick: number): number {
  if (schedule.kind === 'interval') return schedule.period_s * 1000;
  return tick - previousTick(schedule, tick);
}

/** Grace in ms for the beat expected at `expected`: grace_s, else period × (multiplier − 1), else the default. */
export function graceMs(timing: Timing, expected: number): number {
  if (timing.grace_s != null) return timing.grace_s * 1000;
  if (timing.grace_multiplier != null) {
    return Math.max(0, Math.round(periodAt(timing.schedule, expected) * (timing.grace_multiplier - 1)));
  }
  return DEFAULT_GRACE_S * 1000;
}

/** How long a started run may stay open: max_runtime_s, else the grace. */
export function runLimitMs(timing: Timing, startedAt: number): number {
  if (timing.max_runtime_s != null) return timing.max_runtime_s * 1000;
  // A start is rarely on a tick: take the grace of the next tick, so a cron period is a whole gap between
  // ticks, not the rest of it (a run starting a second before a tick would otherwise get a second).
  return graceMs(timing, nextTick(timing.schedule, startedAt));
}

/** "5m" for an interval, "0 2 * * * Europe/Berlin" for cron: the expectation in a reason sentence. */
export function describeExpectation(schedule: Schedule): string {
  if (schedule.kind === 'interval') return formatDuration(schedule.period_s * 1000);
  if (schedule.kind === 'oncalendar') return `OnCalendar "${schedule.expr.replace(/\s*\n\s*/g, '; ')}" ${schedule.tz}`;
  return `cron "${schedule.expr}" ${schedule.tz}`;
}
