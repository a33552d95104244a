// Sentry's monitor_config (sent along a check-in to create or update its monitor) as Overdue check settings.
// Sentry counts margins and runtimes in minutes; Overdue in seconds.
import { validateSchedule, type Schedule, type Timing, DAY_S, HOUR_S, MINUTE_S } from '../core/index.js';
import type { CheckInput, ScheduleInput } from '../checks/settings.js';
import { NUMBER_LIMITS } from '../checks/limits.js';
import { badRequest } from '../errors.js';

/** Sentry's defaults for what a monitor_config leaves out: one minute of margin, 30 minutes of runtime. */
export const SENTRY_DEFAULTS = { grace_s: MINUTE_S, max_runtime_s: 30 * MINUTE_S } satisfies CheckInput;

/**
 * A monitor first seen without a monitor_config: its schedule is unknown, so it is expected daily with an hour's
 * grace (as a check created by a healthchecks.io slug URL) until someone sets it; runs time out as Sentry's do.
 */
export const SENTRY_UNCONFIGURED = {
  schedule: { kind: 'interval', period_s: DAY_S },
  grace_s: HOUR_S,
  max_runtime_s: 30 * MINUTE_S,
} satisfies CheckInput;

const UNIT_S: Record<string, number> = {
  minute: MINUTE_S,
  hour: HOUR_S,
  day: DAY_S,
  week: 7 * DAY_S,
  month: 30 * DAY_S,
  year: 365 * DAY_S,
};

/** The crontab nicknames Sentry accepts, as five fields. */
const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const invalid = (message: string) => badRequest('invalid_monitor_config', `monitor_config: ${message}`);

/** A number, or a string of one (HTTP check-ins may send "2"); undefined when absent. */
function numberOf(value: unknown, name: string): number | undefined {
  if (value == null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw invalid(`${name} must be a number; got ${JSON.stringify(value)}.`);
  return n;
}

function bounded(value: unknown, name: string, min: number, max: number, integer: boolean): number | undefined {
  const n = numberOf(value, name);
  if (n === undefined) return undefined;
  if (n < min || n > max || (integer && !Number.isInteger(n)))
    throw invalid(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}; got ${n}.`);
  return n;
}

/**
 * A crontab value as a five-field expression; null when it cannot be kept. Six fields (node-cron's seconds
 * first) keep their minute-and-coarser part when the seconds field is one number; `* * * * * *` and
 * `*\/N * * * * *` become intervals of 1 or N seconds; any other sub-minute schedule is not kept.
 */
function crontab(value: string): Schedule | { expr: string } | null {
  const text = value.trim().replace(/\s+/g, ' ');
  const nickname = NICKNAMES[text.toLowerCase()];
  if (nickname) return { expr: nickname };
  const fields = text.split(' ');
  if (fields.length !== 6) return { expr: text };
  const [seconds, ...rest] = fields;
  if (/^\d{1,2}$/.test(seconds)) return { expr: rest.join(' ') };
  const every = /^\*(?:\/(\d{1,2}))?$/.exec(seconds);
  if (every && rest.every((f) => f === '*')) return { kind: 'interval', period_s: Math.max(1, Number(every[1] ?? 1)) };
  return null;
}

function scheduleOf(raw: unknown, timezone: string | undefined): Schedule | null {
  if (raw == null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid(
      'schedule is required: {"type": "crontab", "value": "0 2 * * *"} or {"type": "interval", "value": 10, "unit": "minute"}.',
    );
  }
  const schedule = raw as Record<string, unknown>;
  if (schedule.type === 'crontab') {
    if (typeof schedule.value !== 'string' || schedule.value.trim() === '' || schedule.value.length > 200) {
      throw invalid('schedule.value must be a crontab expression such as "0 2 * * *".');
    }
    const parsed = crontab(schedule.value);
    if (parsed == null) return null;
    if ('kind' in parsed) return parsed;
    const cron: Schedule = { kind: 'cron', expr: parsed.expr, tz: timezone ?? 'UTC' };
    const problem = validateSchedule(cron);
    if (problem) throw invalid(`schedule: ${problem}.`);
    return cron;
  }
  if (schedule.type === 'interval') {
    const unit = typeof schedule.unit === 'string' ? UNIT_S[schedule.unit.toLowerCase()] : undefined;
    if (unit == null)
      throw invalid(`schedule.unit must be one of ${Object.keys(UNIT_S).join(', ')}; got ${JSON.stringify(schedule.unit)}.`);
    const count = numberOf(schedule.value, 'schedule.value');
    if (count == null || count <= 0)
      throw invalid('schedule.value must be a positive number of units, e.g. {"type": "interval", "value": 10, "unit": "minute"}.');
    const interval: Schedule = { kind: 'interval', period_s: Math.round(count * unit) };
    const problem = validateSchedule(interval);
    if (problem) throw invalid(`schedule: ${problem}.`);
    return interval;
  }
  throw invalid(`schedule.type must be "crontab" or "interval"; got ${JSON.stringify(schedule.type)}.`);
}

export interface MonitorSettings {
  /** The settings the config names (only those: what it leaves out stays as it is on an existing check). */
  input: CheckInput;
  /** The schedule could not be kept (a sub-minute crontab): the check keeps its own. */
  scheduleIgnored: boolean;
}

/** Reads a monitor_config into check settings; a 400 naming the Sentry field when one is wrong. */
export function monitorSettings(raw: unknown): MonitorSettings {
  if (raw == null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('it must be a JSON object.');
  const config = raw as Record<string, unknown>;
  let timezone: string | undefined;
  if (config.timezone != null && config.timezone !== '') {
    if (typeof config.timezone !== 'string' || config.timezone.length > 64)
      throw invalid('timezone must be an IANA time zone name such as Europe/Berlin.');
    timezone = config.timezone;
  }
  const schedule = scheduleOf(config.schedule, timezone);
  const input: CheckInput = {};
  if (schedule) input.schedule = schedule;
  const margin = bounded(config.checkin_margin, 'checkin_margin (minutes)', 0, (366 * DAY_S) / MINUTE_S, false);
  if (margin !== undefined) input.grace_s = Math.round(margin * MINUTE_S);
  const runtime = bounded(config.max_runtime, 'max_runtime (minutes)', 1 / MINUTE_S, (366 * DAY_S) / MINUTE_S, false);
  if (runtime !== undefined) input.max_runtime_s = Math.max(1, Math.round(runtime * MINUTE_S));
  const failures = bounded(
    config.failure_issue_threshold,
    'failure_issue_threshold',
    NUMBER_LIMITS.failure_threshold.minimum,
    NUMBER_LIMITS.failure_threshold.maximum,
    true,
  );
  if (failures !== undefined) input.failure_threshold = failures;
  const recoveries = bounded(
    config.recovery_threshold,
    'recovery_threshold',
    NUMBER_LIMITS.recovery_threshold.minimum,
    NUMBER_LIMITS.recovery_threshold.maximum,
    true,
  );
  if (recoveries !== undefined) input.recovery_threshold = recoveries;
  return { input, scheduleIgnored: schedule == null };
}

function sameSchedule(a: ScheduleInput, b: Schedule): boolean {
  if (a.kind === 'interval') return b.kind === 'interval' && a.period_s === b.period_s;
  return b.kind === 'cron' && a.expr === b.expr && a.tz === b.tz;
}

/** The part of `input` that differs from the check's timing: empty when the config changes nothing. */
export function changedSettings(input: CheckInput, timing: Timing): CheckInput {
  const change: CheckInput = {};
  if (input.schedule && !sameSchedule(input.schedule, timing.schedule)) change.schedule = input.schedule;
  if (input.grace_s !== undefined && (input.grace_s !== timing.grace_s || timing.grace_multiplier != null)) change.grace_s = input.grace_s;
  if (input.max_runtime_s !== undefined && input.max_runtime_s !== timing.max_runtime_s) change.max_runtime_s = input.max_runtime_s;
  if (input.failure_threshold !== undefined && input.failure_threshold !== timing.failure_threshold)
    change.failure_threshold = input.failure_threshold;
  if (input.recovery_threshold !== undefined && input.recovery_threshold !== timing.recovery_threshold)
    change.recovery_threshold = input.recovery_threshold;
  return change;
}
