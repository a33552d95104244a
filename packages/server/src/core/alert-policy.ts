// Alert timing: cooldown between incidents, re-alert reminders, and when a batched notification goes out.
// Pure: every function takes the time as a parameter; the scheduler and the outbox apply the answers.

/** How a check wants to be alerted; null fields are off. */
export interface AlertPolicy {
  cooldown_ms: number | null;
  realert_ms: number | null;
}

export type DownDecision = { kind: 'open' } | { kind: 'hold'; until: number };

/**
 * A check went down at `now`: open an incident, or hold it back because the last incident of the same check
 * resolved less than the cooldown ago. A hold only delays: if the check is still down when it ends, the
 * incident opens then, so a real outage is never swallowed.
 */
export function onCheckDown(policy: AlertPolicy, lastResolvedAt: number | null, now: number): DownDecision {
  if (!policy.cooldown_ms || lastResolvedAt == null) return { kind: 'open' };
  const until = lastResolvedAt + policy.cooldown_ms;
  return now >= until ? { kind: 'open' } : { kind: 'hold', until };
}

/** The first reminder of an incident whose alert went out (or was published) at `at`; null when re-alerts are off. */
export function firstRealertAt(policy: AlertPolicy, at: number): number | null {
  return policy.realert_ms ? at + policy.realert_ms : null;
}

/**
 * The reminder after the one due at `due`, handled at `now`. Reminders missed while the server was stopped
 * collapse into one: the next is a full interval after `now`, never a burst of catch-ups.
 */
export function nextRealertAt(policy: AlertPolicy, due: number, now: number): number | null {
  if (!policy.realert_ms) return null;
  const next = due + policy.realert_ms;
  return next > now ? next : now + policy.realert_ms;
}

export interface IncidentAlertState {
  resolved_at: number | null;
  acknowledged_at: number | null;
  draft: boolean;
  next_alert_at: number | null;
}

/** Whether a reminder is due now: open, not acknowledged, published, and its time has come. */
export function realertDue(incident: IncidentAlertState, now: number): boolean {
  return (
    incident.resolved_at == null &&
    incident.acknowledged_at == null &&
    !incident.draft &&
    incident.next_alert_at != null &&
    incident.next_alert_at <= now
  );
}

/** The longest a notification waits to be batched when nothing else is going to its channel. */
export const LONE_ALERT_MAX_HOLD_MS = 1000;

export interface ChannelBatchState {
  /** When the digest now gathering for this channel goes out, if one is. */
  gatheringUntil: number | null;
  /** The last batched message this channel got: when, and how many notifications it carried. */
  lastSent: { at: number; size: number } | null;
}

/**
 * When a batched notification created at `now` is sent. It joins a digest that is still gathering. While a storm
 * is on (the channel's last message was a digest of several, less than `windowMs` ago) it waits for the window's
 * end, so a storm costs one digest per window. Otherwise it is a lone alert: it waits at most
 * LONE_ALERT_MAX_HOLD_MS for company, then goes.
 */
export function batchedSendAt(windowMs: number, channel: ChannelBatchState, now: number): number {
  if (channel.gatheringUntil != null && channel.gatheringUntil >= now) return channel.gatheringUntil;
  const last = channel.lastSent;
  if (last && last.size > 1 && now < last.at + windowMs) return last.at + windowMs;
  return now + LONE_ALERT_MAX_HOLD_MS;
}
