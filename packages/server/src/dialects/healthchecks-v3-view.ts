// healthchecks.io Management API v3 shapes: a check as its to_dict shows one, the create/update spec with its
// validation messages, pings, flips and badge URLs. Formatting and parsing only; the routes are in healthchecks-v3.ts.
import type { Selectable } from 'kysely';
import { validateSchedule, DAY_S, MINUTE_S } from '../core/index.js';
import { effectiveGraceMs, scheduleOf, timingOf } from '../store/check-rows.js';
import type { CheckRow, FlipRow, RunRow, SignalRow } from '../store/schema.js';
import type { CheckInput } from '../checks/settings.js';
import { TEXT_LIMITS } from '../checks/limits.js';
import { badRequest } from '../errors.js';
import type { Fields } from './common.js';
import { badgeUrl, BADGE_FORMATS, type BadgeTarget } from '../publish/badge-urls.js';

/** "2020-03-24T14:02:03+00:00": whole seconds with an explicit offset, as healthchecks.io writes check times. */
function hcTime(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
}

/** "2020-06-09T14:51:06.113000+00:00": ping dates keep microseconds. */
function hcPingTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** Statuses as healthchecks.io names them: late is "grace". */
const STATUS: Record<string, string> = { new: 'new', up: 'up', late: 'grace', down: 'down', paused: 'paused' };

/**
 * Keyword settings healthchecks.io keeps on a check, stored in checks.extra: with filter_http_body the keywords
 * classify HTTP ping bodies (core/keyword-filter.ts); the e-mail ones (subject, filter_subject, …) are kept only.
 */
const KEYWORD_TEXT = [
  'subject',
  'subject_fail',
  'start_kw',
  'success_kw',
  'failure_kw',
  'req_start_kw',
  'req_success_kw',
  'req_failure_kw',
] as const;
const KEYWORD_FLAGS = ['filter_subject', 'filter_body', 'filter_http_body', 'filter_default_fail'] as const;

export interface HcContext {
  publicUrl: string;
  /** The channel ids of the check (read-write keys only). */
  channels: string[];
  readonly: boolean;
}

/** A check as GET /api/v3/checks/{uuid} shows it. */
export function presentHcCheck(check: CheckRow, ctx: HcContext) {
  const schedule = scheduleOf(check);
  const extra = (check.extra ? JSON.parse(check.extra) : {}) as Record<string, unknown>;
  const methods = check.methods ? check.methods.split(',') : [];
  const result: Record<string, unknown> = {
    name: check.name,
    slug: check.slug,
    tags: (JSON.parse(check.tags) as string[]).join(' '),
    desc: check.description,
    grace: Math.round(effectiveGraceMs(check) / 1000),
    n_pings: Number(check.signal_count),
    status: STATUS[check.status] ?? check.status,
    started: check.open_runs > 0,
    last_ping: hcTime(check.last_beat_at),
    next_ping: check.status === 'up' || check.status === 'late' ? hcTime(check.expected_at) : null,
    manual_resume: check.manual_resume === 1,
    methods: methods.length === 1 && methods[0] === 'POST' ? 'POST' : '',
  };
  for (const field of KEYWORD_TEXT) result[field] = typeof extra[field] === 'string' ? extra[field] : '';
  for (const field of KEYWORD_FLAGS) result[field] = extra[field] === true;
  if (check.last_duration_ms != null) result.last_duration = Math.round(check.last_duration_ms / 1000);
  if (ctx.readonly) {
    result.unique_key = check.read_id;
  } else {
    const update = `${ctx.publicUrl}/api/v3/checks/${check.id}`;
    Object.assign(result, {
      uuid: check.id,
      ping_url: `${ctx.publicUrl}/ping/${check.id}`,
      update_url: update,
      pause_url: `${update}/pause`,
      resume_url: `${update}/resume`,
      channels: [...ctx.channels].sort().join(','),
    });
  }
  if (schedule.kind === 'interval') result.timeout = schedule.period_s;
  else Object.assign(result, { schedule: schedule.expr, tz: schedule.tz });
  return result;
}

const UNIQUE_FIELDS = ['name', 'slug', 'tags', 'timeout', 'grace'] as const;

/** A validated create/update body (the fields given, nothing else). */
export interface HcSpec {
  name?: string;
  slug?: string;
  tags?: string;
  desc?: string;
  timeout?: number;
  grace?: number;
  schedule?: string;
  tz?: string;
  manual_resume?: boolean;
  methods?: '' | 'POST';
  channels?: string;
  unique?: Array<(typeof UNIQUE_FIELDS)[number]>;
  keywords: Record<string, string | boolean>;
}

const fail = (message: string) => badRequest('invalid_field', `json validation error: ${message}`);

function str(fields: Fields, name: string, max: number): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw fail(`${name} is not a string`);
  if (value.length > max) throw fail(`${name} is too long`);
  return value;
}

function seconds(fields: Fields, name: string): number | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw fail(`${name} is not a number`);
  if (value < MINUTE_S) throw fail(`${name} is too small`);
  if (value > 365 * DAY_S) throw fail(`${name} is too large`);
  return value;
}

function bool(fields: Fields, name: string): boolean | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw fail(`${name} is not a boolean`);
  return value;
}

/** healthchecks.io's guess: one line of five fields is cron, anything else OnCalendar. */
export function scheduleKindOf(schedule: string): 'cron' | 'oncalendar' {
  return !schedule.trim().includes('\n') && schedule.trim().split(/\s+/).length === 5 ? 'cron' : 'oncalendar';
}

/** Validates a body the way healthchecks.io does: strict types, nulls refused, unknown fields ignored. */
export function parseSpec(fields: Fields): HcSpec {
  const spec: HcSpec = { keywords: {} };
  spec.name = str(fields, 'name', 100);
  spec.slug = str(fields, 'slug', 100);
  if (spec.slug != null && !/^[a-z0-9_-]*$/.test(spec.slug)) throw fail('slug does not match pattern');
  spec.tags = str(fields, 'tags', 500);
  spec.desc = str(fields, 'desc', TEXT_LIMITS.description);
  spec.timeout = seconds(fields, 'timeout');
  spec.grace = seconds(fields, 'grace');
  spec.schedule = str(fields, 'schedule', 100);
  spec.tz = str(fields, 'tz', 64);
  spec.manual_resume = bool(fields, 'manual_resume');
  const methods = str(fields, 'methods', 30);
  if (methods != null && methods !== '' && methods !== 'POST') throw fail('methods has unexpected value');
  spec.methods = methods as HcSpec['methods'];
  spec.channels = str(fields, 'channels', 10_000);
  if (fields.unique !== undefined) {
    if (!Array.isArray(fields.unique)) throw fail('unique is not an array');
    if (fields.unique.some((f) => !(UNIQUE_FIELDS as readonly unknown[]).includes(f)))
      throw fail("an item in 'unique' has unexpected value");
    spec.unique = fields.unique as HcSpec['unique'];
  }
  for (const field of KEYWORD_TEXT) {
    const value = str(fields, field, 200);
    if (value !== undefined) spec.keywords[field] = value;
  }
  for (const field of KEYWORD_FLAGS) {
    const value = bool(fields, field);
    if (value !== undefined) spec.keywords[field] = value;
  }
  if (spec.schedule != null) {
    const problem = validateSchedule({ kind: scheduleKindOf(spec.schedule), expr: spec.schedule, tz: 'UTC' });
    if (problem)
      throw fail(`schedule is not a valid ${scheduleKindOf(spec.schedule) === 'cron' ? 'cron' : 'OnCalendar'} expression (${problem})`);
  }
  if (spec.tz != null && validateSchedule({ kind: 'cron', expr: '* * * * *', tz: spec.tz })) throw fail('tz is not a valid timezone');
  return spec;
}

/** The check settings a spec asks for, laid over `current` (null when creating). Channels are resolved by the caller. */
export function specToInput(spec: HcSpec, current: CheckRow | null): CheckInput {
  const input: CheckInput = {};
  // Overdue needs a name: an empty one leaves it as it is (the create route names an unnamed check).
  if (spec.name?.trim()) input.name = spec.name;
  if (spec.slug) input.slug = spec.slug;
  if (spec.tags !== undefined) input.tags = spec.tags.split(' ').filter(Boolean);
  if (spec.desc !== undefined) input.description = spec.desc;
  const timed = current != null && current.schedule_kind !== 'interval';
  const tz = spec.tz ?? (timed ? (current.tz ?? 'UTC') : 'UTC');
  if (spec.schedule != null) input.schedule = { kind: scheduleKindOf(spec.schedule), expr: spec.schedule, tz };
  else if (spec.timeout != null) input.schedule = { kind: 'interval', period_s: spec.timeout };
  else if (spec.tz != null && timed)
    input.schedule = { kind: current.schedule_kind as 'cron' | 'oncalendar', expr: current.cron_expr!, tz };
  if (spec.grace !== undefined) input.grace_s = spec.grace;
  if (spec.manual_resume !== undefined) input.manual_resume = spec.manual_resume;
  if (spec.methods !== undefined) input.methods = spec.methods === 'POST' ? ['POST'] : null;
  if (Object.keys(spec.keywords).length) {
    input.extra = { ...(current?.extra ? JSON.parse(current.extra) : {}), ...spec.keywords };
  }
  return input;
}

/** Whether `check` matches the spec on every field `unique` names (healthchecks.io's upsert). */
export function matchesUnique(check: CheckRow, spec: HcSpec): boolean {
  const timing = timingOf(check);
  return (spec.unique ?? []).every((field) => {
    switch (field) {
      case 'name':
        return check.name === spec.name;
      case 'slug':
        return check.slug === spec.slug;
      case 'tags':
        return (JSON.parse(check.tags) as string[]).join(' ') === (spec.tags ?? '').split(' ').filter(Boolean).join(' ');
      case 'timeout':
        return timing.schedule.kind === 'interval' && timing.schedule.period_s === spec.timeout;
      case 'grace':
        return timing.grace_s === spec.grace;
    }
  });
}

const PING_TYPE: Record<string, string> = { start: 'start', success: 'success', fail: 'fail', log: 'log', progress: 'log', ignored: 'ign' };

/** Logged pings, newest first; `n` is the signal's id, so it grows with every ping but is not consecutive. */
export function presentPings(
  signals: Array<Selectable<SignalRow> & { body_size: number }>,
  runs: Map<string, RunRow>,
  publicUrl: string,
  checkId: string,
) {
  const scheme = publicUrl.startsWith('https:') ? 'https' : 'http';
  return signals.map((s) => {
    const run = s.run_id ? runs.get(s.run_id) : undefined;
    const ping: Record<string, unknown> = {
      type: PING_TYPE[s.kind] ?? s.kind,
      date: hcPingTime(s.at),
      n: Number(s.id),
      scheme,
      remote_addr: s.source_ip,
      method: s.method ?? '',
      ua: s.user_agent ?? '',
      rid: run?.rid ?? null,
      body_url: Number(s.body_size) > 0 ? `${publicUrl}/api/v3/checks/${checkId}/pings/${s.id}/body` : null,
    };
    if (run && run.ended_at === s.at && run.started_at != null && (s.kind === 'success' || s.kind === 'fail')) {
      ping.duration = (run.ended_at - run.started_at) / 1000;
    }
    return ping;
  });
}

/** Flips between up and down (late counts as up, as healthchecks.io's status stays up through the grace). */
export function presentFlips(flips: Array<Selectable<FlipRow>>) {
  const hc = (status: string) => (status === 'late' ? 'up' : status);
  return flips
    .filter((f) => hc(f.from_status) !== hc(f.to_status))
    .map((f) => ({ timestamp: hcTime(f.at), up: hc(f.to_status) === 'up' ? 1 : 0 }));
}

/** A tag's entry in GET /api/v3/badges/: each format in 2-state form (svg, json, shields) and 3-state (svg3, …). */
export function hcBadgeUrls(publicUrl: string, token: string, target: BadgeTarget): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const format of BADGE_FORMATS) {
    urls[format] = badgeUrl(publicUrl, token, target, format, 2);
    urls[`${format}3`] = badgeUrl(publicUrl, token, target, format, 3);
  }
  return urls;
}
