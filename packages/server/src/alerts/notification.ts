// The content of a notification: what is wrong, where, since when, what to do, and where to look.
// Snapshotted when it is queued, so a retry days later says what was true then.
import type { Flip } from '../core/index.js';
import { describeExpectation, formatDuration, graceMs, iso } from '../core/index.js';
import type { CheckRow } from '../store/schema.js';
import { timingOf } from '../store/check-rows.js';

/** `check.late`: the early warning a channel opts into (alerts/late-warning.ts), before any down alert. */
export type NotificationEvent = 'check.down' | 'check.up' | 'check.still_down' | 'check.late' | 'test';

export interface Notification {
  event: NotificationEvent;
  summary: string;
  /** What a person should do about it, in one sentence. */
  action: string;
  check: {
    id: string;
    key: string;
    name: string;
    slug: string;
    project: string | null;
    service: string | null;
    host: string | null;
    tags: string[];
    status: string;
    expected: string;
    last_signal_at: string | null;
    /** The beat that was missed, for a down alert caused by one; otherwise the next expected beat. */
    expected_at: string | null;
    /** The next beat the check expects. */
    next_expected_at: string | null;
    url: string;
    ping_url: string;
  };
  flip: { at: string; from: string; to: string; reason: string };
  /** The end of the job's output when a failure signal carried it (at most OUTPUT_TAIL_MAX characters), else null. */
  output: string | null;
  incident: { id: string; severity: string; opened_at: string; resolved_at: string | null; duration_ms: number | null; realert: number };
}

export interface IncidentFacts {
  id: string;
  severity: string;
  opened_at: number;
  resolved_at: number | null;
  /** 0 for the first alert, n for the n-th reminder. */
  realert: number;
}

export interface CheckFacts {
  serviceName: string | null;
  /** The host the latest run reported, when a client said. */
  host: string | null;
}

/** How much of a failed job's output a down alert quotes: its end, where the error usually is. */
export const OUTPUT_TAIL_MAX = 1000;

/** The last OUTPUT_TAIL_MAX characters of a job's output (from a line start when one is near), or null when empty. */
export function outputTail(output: string | null | undefined): string | null {
  const text = output?.replace(/\s+$/, '');
  if (!text) return null;
  if (text.length <= OUTPUT_TAIL_MAX) return text;
  const cut = text.slice(-OUTPUT_TAIL_MAX);
  const newline = cut.indexOf('\n');
  return `…${newline >= 0 && newline < 200 ? cut.slice(newline) : cut}`;
}

/** "a heartbeat every 5m, with 1m of grace": the expectation that was not met, in words. */
export function describeExpected(check: CheckRow): string {
  const timing = timingOf(check);
  const grace = formatDuration(graceMs(timing, check.expected_at ?? check.created_at));
  const every =
    timing.schedule.kind === 'interval'
      ? `a heartbeat every ${describeExpectation(timing.schedule)}`
      : `a heartbeat on ${describeExpectation(timing.schedule)}`;
  return `${every}, with ${grace} of grace`;
}

export function labelOf(check: CheckRow, facts: CheckFacts): string {
  const where = [check.project, facts.serviceName, facts.host].filter(Boolean).join(' / ');
  return where ? `${check.name} (${where})` : check.name;
}

function eventOf(flip: Flip, incident: IncidentFacts): NotificationEvent {
  if (flip.alert === 'up') return 'check.up';
  return incident.realert > 0 ? 'check.still_down' : 'check.down';
}

function actionFor(event: NotificationEvent, check: CheckRow, facts: CheckFacts, url: string, output: string | null): string {
  const where = facts.host ? ` on ${facts.host}` : '';
  switch (event) {
    case 'check.up':
      return `Nothing to do; the incident is resolved. Review what happened at ${url}`;
    case 'test':
      return 'Nothing to do: this is a test notification sent from Overdue.';
    default:
      if (output)
        return `Read the end of the job's output below and fix what failed${where}; acknowledge the incident at ${url} to stop reminders. It resolves by itself with the next successful ping.`;
      return `Check whether "${check.name}" ran${where} and look at its logs; acknowledge the incident at ${url} to stop reminders. It resolves by itself with the next successful ping.`;
  }
}

/** The notification for a flip of `check` (the row after the change) within `incident`; `output` is the failing job's log. */
export function buildNotification(
  check: CheckRow,
  facts: CheckFacts,
  flip: Flip,
  incident: IncidentFacts,
  publicUrl: string,
  now: number = flip.at,
  output?: string | null,
): Notification {
  const event = eventOf(flip, incident);
  const tail = event === 'check.down' ? outputTail(output) : null;
  const label = labelOf(check, facts);
  const url = `${publicUrl}/checks/${check.id}`;
  const since = formatDuration(now - incident.opened_at);
  const summary =
    event === 'check.up'
      ? `${label} is back UP after ${formatDuration((incident.resolved_at ?? now) - incident.opened_at)}: ${flip.reason}`
      : event === 'check.still_down'
        ? `${label} is still DOWN (for ${since}, reminder ${incident.realert}): ${flip.reason}`
        : `${label} is DOWN: ${flip.reason}`;
  return {
    event,
    summary,
    action: actionFor(event, check, facts, url, tail),
    check: {
      id: check.id,
      key: check.key,
      name: check.name,
      slug: check.slug,
      project: check.project,
      service: facts.serviceName,
      host: facts.host,
      tags: JSON.parse(check.tags) as string[],
      status: check.status,
      expected: describeExpected(check),
      last_signal_at: iso(check.last_signal_at),
      expected_at: iso(flip.missed_at ?? check.expected_at),
      next_expected_at: iso(check.expected_at),
      url,
      ping_url: `${publicUrl}/ping/${check.key}`,
    },
    flip: { at: iso(flip.at)!, from: flip.from, to: flip.to, reason: flip.reason },
    output: tail,
    incident: {
      id: incident.id,
      severity: incident.severity,
      opened_at: iso(incident.opened_at)!,
      resolved_at: iso(incident.resolved_at),
      duration_ms: incident.resolved_at == null ? null : incident.resolved_at - incident.opened_at,
      realert: incident.realert,
    },
  };
}

/** A made-up notification for "send a test notification": realistic in shape, clearly labelled as a test. */
export function testNotification(publicUrl: string, channelName: string, now: number): Notification {
  const at = iso(now)!;
  return {
    event: 'test',
    summary: `Test notification from Overdue to channel "${channelName}": if you can read this, alerts will reach you here.`,
    action: 'Nothing to do: this is a test notification sent from Overdue.',
    check: {
      id: '00000000-0000-0000-0000-000000000000',
      key: 'TESTTEST',
      name: 'Overdue test check',
      slug: 'overdue-test',
      project: null,
      service: null,
      host: null,
      tags: [],
      status: 'down',
      expected: 'a heartbeat every 5m, with 1m of grace',
      last_signal_at: at,
      expected_at: at,
      next_expected_at: at,
      url: `${publicUrl}/checks`,
      ping_url: `${publicUrl}/ping/TESTTEST`,
    },
    flip: { at, from: 'up', to: 'down', reason: 'this is a test; no check changed' },
    output: null,
    incident: { id: `test-${now}`, severity: 'minor', opened_at: at, resolved_at: null, duration_ms: null, realert: 0 },
  };
}
