// The outbox: notifications written with the flip that caused them, claimed and sent by the delivery worker.
import { sql, type ExpressionBuilder, type Insertable, type Selectable } from 'kysely';
import type { Db } from './db.js';
import type { Database, DeliveryAttemptRow, OutboxRow } from './schema.js';
import { claimRows } from './dialect.js';
import type { ChannelBatchState } from '../core/index.js';

export type OutboxEntry = Selectable<OutboxRow>;
export type AttemptEntry = Selectable<DeliveryAttemptRow>;

export const INTERRUPTED = 'interrupted: the server stopped before the receiver answered; sent again with the same idempotency key';

/** Closes the attempts still in flight (of these rows, or of every row) as interrupted. */
async function closeInterrupted(db: Db, now: number, outboxIds?: number[]): Promise<void> {
  await db
    .updateTable('delivery_attempts')
    .set({ finished_at: now, error: INTERRUPTED })
    .where('finished_at', 'is', null)
    .$if(outboxIds != null, (q) => q.where('outbox_id', 'in', outboxIds!))
    .execute();
}

export async function enqueue(db: Db, rows: Insertable<OutboxRow>[]): Promise<void> {
  if (rows.length === 0) return;
  // The idempotency key is unique: a notification is queued once, whichever instance wrote it first.
  await db
    .insertInto('outbox')
    .values(rows)
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

/** What batching needs to know about a channel: a digest still gathering, and the last batched message. */
export async function channelBatchState(db: Db, channelId: string, now: number): Promise<ChannelBatchState> {
  const gathering = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('channel_id', '=', channelId)
    .where('status', '=', 'pending')
    .where('digest', '=', 1)
    .where('attempts', '=', 0)
    .where('next_attempt_at', '>=', now)
    .executeTakeFirst();
  // The newest batched row already handed to the channel (claimed, so a digest being sent right now counts too).
  const last = await db
    .selectFrom('outbox')
    .select(['next_attempt_at', 'sent_in'])
    .where('channel_id', '=', channelId)
    .where('digest', '=', 1)
    .where('sent_in', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    gatheringUntil: gathering?.at == null ? null : Number(gathering.at),
    lastSent: last?.sent_in == null ? null : { at: Number(last.next_attempt_at), size: last.sent_in },
  };
}

const claimable = (now: number) => (eb: ExpressionBuilder<Database, 'outbox'>) =>
  eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]);

/**
 * Claims up to `limit` due rows for `leaseMs`, plus every other due batched row of the same channels (so a digest
 * is never split by the limit). A claim not settled in time (a crash mid-send) lapses and the row is sent
 * again: at-least-once, recognisable by its idempotency key.
 */
export async function claimDue(db: Db, now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
  const due = db
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where(claimable(now))
    .orderBy('next_attempt_at')
    .limit(limit)
    .$call((q) => claimRows(db, q));
  const claimed = inQueueOrder(
    await db
      .updateTable('outbox')
      .set({ claimed_until: now + leaseMs })
      .where('id', 'in', due)
      .returningAll()
      .execute(),
  );
  const digestChannels = [...new Set(claimed.filter((r) => r.digest === 1).map((r) => r.channel_id))];
  if (digestChannels.length === 0) return claimed;
  const companions = db
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('digest', '=', 1)
    .where('channel_id', 'in', digestChannels)
    .where('next_attempt_at', '<=', now)
    .where(claimable(now))
    .$call((q) => claimRows(db, q));
  const more = await db
    .updateTable('outbox')
    .set({ claimed_until: now + leaseMs })
    .where('id', 'in', companions)
    .returningAll()
    .execute();
  return inQueueOrder([...claimed, ...more]);
}

/**
 * UPDATE … RETURNING gives rows in whatever order the engine found them (SQLite: by id; PostgreSQL: any): sends
 * start in queue order — a check's "down" before its "up" — on both.
 */
function inQueueOrder(rows: OutboxEntry[]): OutboxEntry[] {
  return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id);
}

/** Marks claimed rows with the size of the message they go out in (what batching reads as "last sent"): one update per size. */
export async function markMessageSizes(db: Db, rows: Array<{ id: number; digestSize: number }>): Promise<void> {
  const bySize = new Map<number, number[]>();
  for (const row of rows) {
    const ids = bySize.get(row.digestSize) ?? [];
    ids.push(row.id);
    bySize.set(row.digestSize, ids);
  }
  for (const [size, ids] of bySize) await db.updateTable('outbox').set({ sent_in: size }).where('id', 'in', ids).execute();
}

/**
 * Writes an attempt row for each claimed row before anything is sent, so an attempt cut short by a crash is on
 * record; earlier attempts of the same rows that never finished are closed as interrupted. Returns attempt ids.
 */
export async function startAttempts(db: Db, rows: Array<{ id: number; digestSize: number }>, now: number): Promise<Map<number, number>> {
  const ids = new Map<number, number>();
  if (rows.length === 0) return ids;
  await closeInterrupted(
    db,
    now,
    rows.map((r) => r.id),
  );
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await db
      .insertInto('delivery_attempts')
      .values(
        rows.slice(i, i + 500).map((r) => ({
          outbox_id: r.id,
          at: now,
          ok: 0,
          status_code: null,
          error: 'in flight',
          latency_ms: 0,
          finished_at: null,
          digest_size: r.digestSize,
        })),
      )
      .returning(['id', 'outbox_id'])
      .execute();
    for (const row of inserted) ids.set(Number(row.outbox_id), Number(row.id));
  }
  return ids;
}

export async function finishAttempts(
  db: Db,
  attemptIds: number[],
  result: { ok: boolean; statusCode: number | null; error: string | null; latencyMs: number },
  now: number,
): Promise<void> {
  if (attemptIds.length === 0) return;
  await db
    .updateTable('delivery_attempts')
    .set({
      ok: result.ok ? 1 : 0,
      status_code: result.statusCode,
      error: result.error,
      latency_ms: result.latencyMs,
      finished_at: now,
    })
    .where('id', 'in', attemptIds)
    .execute();
}

/**
 * After a restart of the embedded (single-process) store: claims held by the previous process will never be
 * settled, so they are released at once instead of waiting out their lease; its unfinished attempts are closed.
 */
export async function releaseStaleClaims(db: Db, now: number): Promise<number> {
  await closeInterrupted(db, now);
  const result = await db
    .updateTable('outbox')
    .set({ claimed_until: null })
    .where('status', '=', 'pending')
    .where('claimed_until', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** When the worker should look again: the earliest pending row, or the end of a claim another worker holds. */
export async function nextAttemptAt(db: Db): Promise<number | null> {
  const row = await db
    .selectFrom('outbox')
    .select(
      sql<number>`min(case when claimed_until is not null and claimed_until > next_attempt_at then claimed_until else next_attempt_at end)`.as(
        'at',
      ),
    )
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.at == null ? null : Number(row.at);
}

export async function settle(
  db: Db,
  ids: number[],
  change: Partial<Pick<OutboxRow, 'status' | 'attempts' | 'next_attempt_at' | 'sent_at' | 'last_error'>>,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('outbox')
    .set({ ...change, claimed_until: null })
    .where('id', 'in', ids)
    .execute();
}

/** Draft notifications of an incident become pending now (publishing a draft incident). */
export async function releaseDrafts(db: Db, incidentIds: string[], now: number): Promise<number> {
  if (incidentIds.length === 0) return 0;
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: now })
    .where('incident_id', 'in', incidentIds)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Gives claims back (a stopping instance): the rows are due again at once for any instance, and their attempts
 * still in flight are closed as interrupted.
 */
export async function releaseClaims(db: Db, ids: number[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await closeInterrupted(db, now, ids);
  await db.updateTable('outbox').set({ claimed_until: null }).where('id', 'in', ids).where('status', '=', 'pending').execute();
}

/** A failed notification queued again from scratch (a person fixed the channel and retries it). */
export async function requeue(db: Db, workspaceId: string, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, claimed_until: null, last_error: null })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface NotificationFilters {
  status?: string;
  incidentId?: string;
  checkId?: string;
  channelId?: string;
  before?: number;
}

export async function listNotifications(db: Db, workspaceId: string, filters: NotificationFilters, limit: number): Promise<OutboxEntry[]> {
  let q = db.selectFrom('outbox').selectAll().where('workspace_id', '=', workspaceId);
  if (filters.status) q = q.where('status', '=', filters.status);
  if (filters.incidentId) q = q.where('incident_id', '=', filters.incidentId);
  if (filters.checkId) q = q.where('check_id', '=', filters.checkId);
  if (filters.channelId) q = q.where('channel_id', '=', filters.channelId);
  if (filters.before != null) q = q.where('id', '<', filters.before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

export async function findNotification(db: Db, workspaceId: string, id: number): Promise<OutboxEntry | undefined> {
  return db.selectFrom('outbox').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function attemptsOf(db: Db, outboxIds: number[]): Promise<AttemptEntry[]> {
  if (outboxIds.length === 0) return [];
  return db.selectFrom('delivery_attempts').selectAll().where('outbox_id', 'in', outboxIds).orderBy('id').execute();
}
