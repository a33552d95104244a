// Outbox rows and their delivery attempts → API JSON. Payloads were built from our own data and hold no secrets;
// recorded errors were scrubbed of channel secrets before they were stored.
import { iso } from '../core/index.js';
import type { AttemptEntry, OutboxEntry } from '../store/outbox.js';

export function presentAttempt(a: AttemptEntry) {
  return {
    at: iso(a.at)!,
    finished_at: iso(a.finished_at),
    ok: a.ok === 1,
    status_code: a.status_code,
    error: a.error,
    latency_ms: a.latency_ms,
    digest_size: a.digest_size,
  };
}

/** A notification with its attempts (`attempts` may hold other rows' attempts too; only this row's are shown). */
export function presentNotification(row: OutboxEntry, attempts: AttemptEntry[]) {
  const payload = JSON.parse(row.payload) as { summary?: string };
  return {
    id: row.id,
    channel_id: row.channel_id,
    check_id: row.check_id,
    incident_id: row.incident_id,
    event: row.event,
    status: row.status,
    idempotency_key: row.idempotency_key,
    summary: payload.summary ?? null,
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    created_at: iso(row.created_at)!,
    sent_at: iso(row.sent_at),
    last_error: row.last_error,
    batched: row.digest === 1,
    sent_in: row.sent_in,
    attempt_log: attempts.filter((a) => a.outbox_id === row.id).map(presentAttempt),
  };
}
