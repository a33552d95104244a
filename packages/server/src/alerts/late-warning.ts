// Queues the early "late" warning (core/late-warning.ts) to the channels of a check that opted in (notify_late), in
// the scheduler's transaction, through the outbox like every notification. No incident: the down alert, if it
// comes, opens one as usual. One per late episode: the idempotency key names the beat that is late.
import { iso, type Flip, type LateWarning } from '../core/index.js';
import type { Db } from '../store/db.js';
import type { CheckRow } from '../store/schema.js';
import { lateChannelsOfCheck } from '../store/channels.js';
import { lastHostsOf } from '../store/runs.js';
import { enqueue } from '../store/outbox.js';
import type { FlipContext } from './queue.js';
import { buildNotification, labelOf, type Notification } from './notification.js';

/**
 * Kinds that turn every message into an incident of their own (PagerDuty, Opsgenie): a late warning there would open
 * one that nothing resolves, since the check's own incident does not exist yet.
 */
const PAGING_KINDS = new Set(['pagerduty', 'opsgenie']);

/** Why a channel of `kind` cannot take late warnings (the 400's sentence), or null when it can. */
export function lateWarningRefusal(kind: string, notifyLate: boolean | undefined): string | null {
  if (!notifyLate || !PAGING_KINDS.has(kind)) return null;
  return `A ${kind} channel opens an incident for every message, and a late warning's would never be resolved; send late warnings to a chat, e-mail or webhook channel and leave notify_late off here.`;
}

/** The warning as channels receive it: "<check> is late: expected at T, down at T+grace unless it reports". */
export function lateNotification(
  check: CheckRow,
  facts: { serviceName: string | null; host: string | null },
  late: LateWarning,
  publicUrl: string,
  now: number,
): Notification {
  const expected = iso(late.expected_at)!;
  const down = iso(late.down_at)!;
  const flip: Flip = {
    at: now,
    from: check.last_beat_at != null ? 'up' : 'new',
    to: 'late',
    reason: `the beat expected at ${expected} has not come; grace runs until ${down}`,
    alert: null,
  };
  const base = buildNotification(
    check,
    facts,
    flip,
    { id: `late-${check.id}-${late.expected_at}`, severity: check.severity ?? 'minor', opened_at: now, resolved_at: null, realert: 0 },
    publicUrl,
    now,
  );
  const where = facts.host ? ` on ${facts.host}` : '';
  return {
    ...base,
    event: 'check.late',
    summary: `${labelOf(check, facts)} is late: expected at ${expected}, down at ${down} unless it reports`,
    action: `Nothing is down yet: check whether "${check.name}" is running${where}. If it does not report by ${down}, the down alert follows.`,
    check: { ...base.check, expected_at: expected },
  };
}

/** Queues the warning for each channel of `check` with notify_late. Returns how many were queued. */
export async function queueLateWarning(db: Db, check: CheckRow, late: LateWarning, ctx: FlipContext, now: number): Promise<number> {
  const channels = (await lateChannelsOfCheck(db, check.id)).filter((c) => !PAGING_KINDS.has(c.kind));
  if (channels.length === 0) return 0;
  // In draft mode people publish incidents before anything is sent; a warning has no incident to publish.
  if ((await ctx.alertSettings(check.workspace_id)).draft_mode) return 0;
  const facts = {
    serviceName: check.service_id ? await ctx.serviceName(check.service_id) : null,
    host: (await lastHostsOf(db, [check.id])).get(check.id) ?? null,
  };
  const payload = JSON.stringify(lateNotification(check, facts, late, ctx.publicUrl, now));
  await enqueue(
    db,
    channels.map((channel) => ({
      workspace_id: check.workspace_id,
      channel_id: channel.id,
      check_id: check.id,
      incident_id: null,
      event: 'late',
      payload,
      idempotency_key: `late:${check.id}:${late.expected_at}:${channel.id}`,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      claimed_until: null,
      created_at: now,
      sent_at: null,
      last_error: null,
      digest: 0,
      sent_in: null,
    })),
  );
  return channels.length;
}
