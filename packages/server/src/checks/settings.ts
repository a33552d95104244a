// A check's user-set configuration: validation with messages a person can act on, and defaults.
import { DAY_S, DEFAULT_GRACE_S, validateSchedule, type Schedule, type Timing } from '../core/index.js';
import { mergeRateAndQuorum, validateRateAndQuorum } from './rate-quorum-settings.js';
import { badRequest } from '../errors.js';
import { CHECK_KEY_PATTERN, UUID_PATTERN } from '../store/ids.js';
import { checkNumberLimit, LIST_LIMITS, TEXT_LIMITS } from './limits.js';
import { checkRunShape, mergeRunShape, validateRunShapeInput, type RunShapeInput } from './run-shape-settings.js';

export const PING_METHODS = ['GET', 'HEAD', 'POST'] as const;

/** A schedule as a client gives it: a cron or OnCalendar schedule without a time zone runs in UTC. */
export type ScheduleInput = Schedule | { kind: 'cron' | 'oncalendar'; expr: string; tz?: string };

/** The schedule a check keeps for a given one: its expression trimmed, its zone UTC when none is named. */
export function scheduleOf(given: ScheduleInput): Schedule {
  return given.kind === 'interval' ? given : { kind: given.kind, expr: given.expr.trim(), tz: given.tz || 'UTC' };
}

/** What a client may set on a check (protocol.md §6); every field optional on update. */
export interface CheckInput extends RunShapeInput {
  /** On create only: keep the UUID the check had elsewhere (Pinghome, Kodo, healthchecks.io ids keep working). */
  id?: string;
  /** On create only: keep the 8-character job key the check had elsewhere (CronBeats keys keep working). */
  key?: string;
  name?: string;
  slug?: string;
  description?: string;
  schedule?: ScheduleInput;
  grace_s?: number | null;
  grace_multiplier?: number | null;
  max_runtime_s?: number | null;
  failure_threshold?: number;
  recovery_threshold?: number;
  manual_resume?: boolean;
  alert_before_first_ping?: boolean;
  /** Failure rate over a window: down when this many of the last `failure_rate_window` beats failed; both or neither. */
  failure_rate_count?: number | null;
  failure_rate_window?: number | null;
  /** This many distinct hosts must report success each period (null = off). */
  quorum_hosts?: number | null;
  enabled?: boolean;
  methods?: string[] | null;
  tags?: string[];
  project?: string | null;
  service?: string | null;
  channels?: string[];
  /** Alert policy: incident severity (default minor), cooldown between incidents, reminder interval. */
  severity?: string | null;
  cooldown_s?: number | null;
  realert_s?: number | null;
  /** Uptime Kuma push token the check answers to at /api/push/{token}, unique server-wide; null removes it. */
  push_token?: string | null;
  /** Settings of a replaced service kept verbatim and returned unchanged (not acted on); null clears them. */
  extra?: Record<string, unknown> | null;
  /** Dependencies: the checks (ids or slugs, same workspace) whose incidents this check's fold into while they are down. */
  depends_on?: string[];
  /** Set by the paths where a ping creates a check on a guessed schedule: propose the real one from its first beats. */
  learn_schedule?: boolean;
}

export const SEVERITIES = ['minor', 'major', 'critical'] as const;

/** The schedule of a check that names none: daily, as healthchecks.io's default (its grace is DEFAULT_GRACE_S). */
export const DEFAULT_SCHEDULE: Schedule = { kind: 'interval', period_s: DAY_S };

const SLUG = /^[a-z0-9][a-z0-9_-]{0,99}$/;
/** Uptime Kuma generates 32 letters and digits and lets people edit them: up to 32 URL-safe characters. */
export const PUSH_TOKEN_PATTERN = /^[A-Za-z0-9._~-]{1,32}$/;

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 90);
  return slug || 'check';
}

function text(field: string, value: string | null | undefined, max: number, required = false): void {
  if (value == null) {
    if (required) throw badRequest('invalid_field', `${field} is required.`);
    return;
  }
  if (typeof value !== 'string' || (required && value.trim() === '') || value.length > max) {
    throw badRequest('invalid_field', `${field} must be ${required ? 'a non-empty' : 'a'} string of at most ${max} characters.`);
  }
}

/** Throws a 400 naming the first field that is wrong; normalises methods and tags in place. */
export function validateInput(input: CheckInput, creating: boolean): CheckInput {
  if (!creating && (input.id !== undefined || input.key !== undefined))
    throw badRequest('invalid_field', 'id and key are set when a check is created and cannot change.');
  if (input.id != null) {
    if (typeof input.id !== 'string' || !UUID_PATTERN.test(input.id))
      throw badRequest('invalid_field', 'id must be a UUID such as 6766163a-568d-47b4-a1fa-91a0957e06d4.');
    input.id = input.id.toLowerCase();
  }
  if (input.key != null && (typeof input.key !== 'string' || !CHECK_KEY_PATTERN.test(input.key))) {
    throw badRequest('invalid_field', 'key must be 8 letters or digits, such as abc123de.');
  }
  text('name', input.name, TEXT_LIMITS.name, creating);
  if (input.name != null && input.name.trim() === '') throw badRequest('invalid_field', 'name must not be empty.');
  if (input.slug != null && !SLUG.test(input.slug)) {
    throw badRequest('invalid_field', 'slug must be 1–100 characters of a–z, 0–9, "-" or "_", starting with a letter or digit.');
  }
  if (input.push_token != null && (typeof input.push_token !== 'string' || !PUSH_TOKEN_PATTERN.test(input.push_token))) {
    throw badRequest('invalid_field', 'push_token must be 1–32 letters, digits or any of . _ ~ - (an Uptime Kuma push token).');
  }
  text('description', input.description, TEXT_LIMITS.description);
  text('project', input.project, TEXT_LIMITS.project);
  text('service', input.service, TEXT_LIMITS.service);
  if (input.schedule) {
    const schedule = scheduleOf(input.schedule);
    input.schedule = schedule;
    const problem = validateSchedule(schedule);
    if (problem) throw badRequest('invalid_schedule', problem);
  }
  checkNumberLimit('grace_s', input.grace_s);
  checkNumberLimit('grace_multiplier', input.grace_multiplier);
  if (input.grace_s != null && input.grace_multiplier != null) {
    throw badRequest('invalid_field', 'Give grace_s or grace_multiplier, not both.');
  }
  checkNumberLimit('max_runtime_s', input.max_runtime_s);
  validateRunShapeInput(input);
  checkNumberLimit('failure_threshold', input.failure_threshold);
  checkNumberLimit('recovery_threshold', input.recovery_threshold);
  validateRateAndQuorum(input);
  if (input.severity != null && !(SEVERITIES as readonly string[]).includes(input.severity)) {
    throw badRequest(
      'invalid_field',
      `severity must be one of ${SEVERITIES.join(', ')} (or null for the default, minor); got ${input.severity}.`,
    );
  }
  checkNumberLimit('cooldown_s', input.cooldown_s);
  checkNumberLimit('realert_s', input.realert_s);
  if (input.methods != null) {
    const methods = [...new Set(input.methods.map((m) => String(m).toUpperCase()))];
    const unknown = methods.filter((m) => !(PING_METHODS as readonly string[]).includes(m));
    if (unknown.length || methods.length === 0)
      throw badRequest(
        'invalid_field',
        `methods must be a non-empty list of ${PING_METHODS.join(', ')}; got ${unknown.join(', ') || 'an empty list'}.`,
      );
    input.methods = methods;
  }
  if (
    input.extra != null &&
    (typeof input.extra !== 'object' || Array.isArray(input.extra) || JSON.stringify(input.extra).length > TEXT_LIMITS.extra_json)
  ) {
    throw badRequest('invalid_field', 'extra must be a JSON object of at most 16,000 characters.');
  }
  if (input.tags != null) {
    const tags = [...new Set(input.tags.map((t) => String(t).trim()).filter(Boolean))];
    if (tags.length > LIST_LIMITS.tags || tags.some((t) => t.length > TEXT_LIMITS.tag)) {
      throw badRequest('invalid_field', `tags: at most ${LIST_LIMITS.tags} tags of at most ${TEXT_LIMITS.tag} characters each.`);
    }
    input.tags = tags;
  }
  return input;
}

/** The Timing of an input laid over an existing one (or defaults). */
export function mergeTiming(input: CheckInput, base: Timing | null): Timing {
  const graceGiven = input.grace_s !== undefined || input.grace_multiplier !== undefined;
  const timing: Timing = {
    schedule: input.schedule ? scheduleOf(input.schedule) : (base?.schedule ?? DEFAULT_SCHEDULE),
    grace_s: graceGiven ? (input.grace_s ?? null) : base ? base.grace_s : DEFAULT_GRACE_S,
    grace_multiplier: graceGiven ? (input.grace_multiplier ?? null) : (base?.grace_multiplier ?? null),
    max_runtime_s: input.max_runtime_s !== undefined ? input.max_runtime_s : (base?.max_runtime_s ?? null),
    failure_threshold: input.failure_threshold ?? base?.failure_threshold ?? 1,
    recovery_threshold: input.recovery_threshold ?? base?.recovery_threshold ?? 1,
    manual_resume: input.manual_resume ?? base?.manual_resume ?? false,
    alert_before_first_ping: input.alert_before_first_ping ?? base?.alert_before_first_ping ?? false,
    ...mergeRunShape(input, base),
    ...mergeRateAndQuorum(input, base),
  };
  checkRunShape(timing);
  return timing;
}
