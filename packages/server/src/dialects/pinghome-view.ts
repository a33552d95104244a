// Pinghome's shapes: a heartbeat as its API shows one, the body of a create/update as check settings, and
// a check's signals and missed beats as Pinghome events. Formatting and parsing only.
import type { Selectable } from 'kysely';
import { iso, MISS_PHRASE, DAY_S, MINUTE_S } from '../core/index.js';
import { scheduleOf } from '../store/check-rows.js';
import type { CheckRow, FlipRow, ServiceRow, SignalRow } from '../store/schema.js';
import type { CheckInput } from '../checks/settings.js';
import { PING_METHODS } from '../checks/settings.js';
import { badRequest } from '../errors.js';
import type { Fields } from './common.js';

/** A heartbeat as Pinghome shows it; `interval` is in seconds. */
export function presentHeartbeat(check: CheckRow, service: ServiceRow | undefined, publicUrl: string) {
  const schedule = scheduleOf(check);
  return {
    id: check.id,
    service_id: service?.id ?? check.service_id,
    service_name: service?.name ?? null,
    name: check.name,
    interval: schedule.kind === 'interval' ? schedule.period_s : null,
    cron: schedule.kind === 'cron' ? schedule.expr : null,
    enabled: check.enabled === 1,
    methods: check.methods ? check.methods.split(',') : [...PING_METHODS],
    status: check.status,
    last_received_at: iso(check.last_signal_at),
    next_expected_at: iso(check.expected_at),
    url: `${publicUrl}/v1/heartbeat/${check.id}`,
    created_at: iso(check.created_at),
    updated_at: iso(check.updated_at),
  };
}

/** The settings a create (`creating`) or an update asks for; 400 naming the field that is wrong. */
export function heartbeatInput(fields: Fields, creating: boolean): CheckInput {
  const input: CheckInput = {};
  const { id, service_id: serviceId, name, interval, enabled, methods } = fields;
  if (creating && (typeof serviceId !== 'string' || serviceId.trim() === ''))
    throw badRequest('invalid_field', 'service_id is required: the service this heartbeat belongs to.');
  if (creating && (typeof name !== 'string' || name.trim() === '')) throw badRequest('invalid_field', 'name is required.');
  if (serviceId != null) {
    if (typeof serviceId !== 'string' || serviceId.trim() === '' || serviceId.length > 200)
      throw badRequest('invalid_field', 'service_id must be a non-empty string (a service UUID).');
    input.service = serviceId.trim();
  }
  if (name != null) {
    if (typeof name !== 'string') throw badRequest('invalid_field', 'name must be a string.');
    input.name = name;
  }
  if (interval != null) {
    if (!Number.isInteger(interval) || (interval as number) < 1 || (interval as number) > 365 * DAY_S) {
      throw badRequest('invalid_field', `interval must be a whole number of seconds from 1 to 31536000; got ${JSON.stringify(interval)}.`);
    }
    input.schedule = { kind: 'interval', period_s: interval as number };
  } else if (creating) {
    input.schedule = { kind: 'interval', period_s: MINUTE_S };
  }
  if (enabled != null) {
    if (typeof enabled !== 'boolean') throw badRequest('invalid_field', 'enabled must be true or false.');
    input.enabled = enabled;
  }
  if (methods != null) {
    if (!Array.isArray(methods) || methods.some((m) => typeof m !== 'string'))
      throw badRequest('invalid_field', 'methods must be a list such as ["GET", "POST"].');
    input.methods = methods as string[];
  }
  if (id != null) {
    if (!creating) throw badRequest('invalid_field', 'id cannot change.');
    if (typeof id !== 'string') throw badRequest('invalid_field', 'id must be a UUID.');
    input.id = id;
  }
  return input;
}

/** What a signal was, in Pinghome's words: the result the gateway was given, else what the signal did. */
function resultOf(row: Selectable<SignalRow>): string {
  if (row.metadata) {
    try {
      const result = (JSON.parse(row.metadata) as { result?: unknown }).result;
      if (typeof result === 'string') return result;
    } catch {
      // not ours: fall through
    }
  }
  switch (row.kind) {
    case 'start':
      return 'run';
    case 'success':
      return row.run_id ? 'complete' : 'tick';
    case 'fail':
      return 'fail';
    default:
      return row.kind;
  }
}

export interface HeartbeatEvent {
  id: string;
  result: string;
  message: string | null;
  method: string | null;
  received_at: string;
  at: number;
}

/** Signals and going down (a missed beat, a run that hung) as events, oldest first. */
export function eventsOf(signals: Array<Selectable<SignalRow>>, flips: Array<Selectable<FlipRow>>): HeartbeatEvent[] {
  const events: HeartbeatEvent[] = [
    ...signals.map((s) => ({
      id: `signal-${s.id}`,
      result: resultOf(s),
      message: s.message,
      method: s.method,
      received_at: iso(s.at)!,
      at: s.at,
    })),
    ...flips
      .filter((f) => f.to_status === 'down')
      .map((f) => ({
        id: `flip-${f.id}`,
        result: f.reason.includes(MISS_PHRASE) ? 'missed' : 'down',
        message: f.reason,
        method: null,
        received_at: iso(f.at)!,
        at: f.at,
      })),
  ];
  return events.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}
