// The delivery worker: claims due outbox rows, sends them (batched rows of one channel as one digest), records
// every attempt, retries timeouts and 5xx with exponential backoff and jitter, gives up at once on a final 4xx.
import { createHash } from 'node:crypto';
import type { Store } from '../store/database.js';
import type { Clock } from '../clock.js';
import {
  claimDue,
  finishAttempts,
  markMessageSizes,
  nextAttemptAt,
  releaseClaims,
  settle,
  startAttempts,
  type OutboxEntry,
} from '../store/outbox.js';
import { channelKind, scrubSecrets, secretValues } from './channels/index.js';
import type { ChannelKind, DeliveryResult } from './channels/channel.js';
import { sendHttp, type OutboundOptions } from './outbound.js';
import type { Notification } from './notification.js';
import type { Message } from './render.js';
import type { ChannelRow } from '../store/schema.js';
import { channelsById } from '../store/channels.js';
import { BackgroundLoop, type LoopTimers } from '../background-loop.js';
import { inTransaction } from '../store/transaction.js';
import { HOUR_MS, MINUTE_MS } from '../core/index.js';

export interface DeliveryOptions {
  store: Store;
  clock: Clock;
  outbound: OutboundOptions;
  maxAttempts?: number;
  leaseMs?: number;
  batchSize?: number;
  /** Random source for jitter; tests may pin it. */
  random?: () => number;
  onError?: (error: unknown) => void;
  /** After each attempt (a digest counts once), with the secrets already scrubbed from the error and how it settled. */
  onAttempt?: (rows: OutboxEntry[], result: DeliveryResult, latencyMs: number, settledAs: 'sent' | 'retry' | 'failed') => void;
  /** When notifications are given up on: a person has to look (logged as a warning). */
  onGiveUp?: (rows: OutboxEntry[], channel: Pick<ChannelRow, 'id' | 'kind' | 'name'> | null, error: string | null) => void;
  /** The timers it sleeps with (tests). */
  timers?: LoopTimers;
}

/** Exponential backoff from 2 s, doubling to at most an hour, with ±20 % jitter so retries do not stampede. */
export function backoffMs(attempt: number, random: () => number): number {
  const base = Math.min(HOUR_MS, 2000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The idempotency key of a digest: the same rows make the same key, so a retried digest is recognisable. */
export function digestKey(rows: OutboxEntry[]): string {
  const hash = createHash('sha256')
    .update(
      rows
        .map((r) => r.idempotency_key)
        .sort()
        .join('\n'),
    )
    .digest('hex');
  return `digest:${hash.slice(0, 32)}`;
}

/** Claimed rows → messages: batched rows of one channel travel together, every other row alone. */
export function groupForSending(rows: OutboxEntry[]): OutboxEntry[][] {
  const digests = new Map<string, OutboxEntry[]>();
  const groups: OutboxEntry[][] = [];
  for (const row of rows) {
    if (row.digest !== 1) {
      groups.push([row]);
      continue;
    }
    let group = digests.get(row.channel_id);
    if (!group) digests.set(row.channel_id, (group = []));
    group.push(row);
  }
  for (const group of digests.values()) groups.push(group.sort((a, b) => a.id - b.id));
  return groups;
}

/** What one send came to, with how long it took. */
export type TimedResult = DeliveryResult & { latencyMs: number };

export class DeliveryWorker {
  private readonly loop: BackgroundLoop;
  /** Rows this worker has claimed and not yet settled: released on stop so another instance sends them now. */
  private readonly claimed = new Set<number>();
  private readonly released = new Set<number>();
  /** Set by stop() so a pass claims no further batch; tests driving runOnce() on a never-started worker are unaffected. */
  private halting = false;

  constructor(private readonly options: DeliveryOptions) {
    this.loop = new BackgroundLoop({
      clock: options.clock,
      // Rows become due by their retry time only: nobody wakes the worker for those, so it looks at least this often.
      maxSleepMs: 30_000,
      pass: () => this.runOnce(),
      planNext: (sent, now) => this.nextPassAt(sent, now),
      onError: (error) => this.options.onError?.(error),
      timers: options.timers,
    });
  }

  start(): void {
    this.halting = false;
    this.loop.start();
  }

  /**
   * Stops claiming; waits up to `graceMs` for sends in flight, then hands back the claims of any still unsettled
   * (they become due at once instead of when their lease lapses, and their open attempts are closed as interrupted).
   */
  async stop(graceMs = Infinity): Promise<void> {
    this.halting = true;
    this.loop.halt();
    const running = this.loop.current;
    if (running) {
      let timer: NodeJS.Timeout | undefined;
      const patience = Number.isFinite(graceMs)
        ? new Promise<void>((resolve) => {
            timer = setTimeout(resolve, graceMs);
          })
        : new Promise<void>(() => {});
      await Promise.race([running, patience]);
      clearTimeout(timer);
    }
    await this.handBack();
  }

  private async handBack(): Promise<void> {
    if (this.claimed.size === 0) return;
    const ids = [...this.claimed];
    for (const id of ids) this.released.add(id);
    this.claimed.clear();
    await releaseClaims(this.options.store.db, ids, this.options.clock.now());
  }

  /** Sends everything due now. Tests with a manual clock call this directly. Returns notifications settled. */
  async runOnce(): Promise<number> {
    const { store, clock } = this.options;
    let sent = 0;
    for (;;) {
      const now = clock.now();
      const claimed = await inTransaction(store.db, async (trx) => {
        const rows = await claimDue(trx, now, this.options.batchSize ?? 100, this.options.leaseMs ?? MINUTE_MS);
        const groups = groupForSending(rows);
        const sized = groups.flatMap((g) => g.map((r) => ({ id: r.id, digestSize: g.length })));
        await markMessageSizes(trx, sized);
        return { groups, attempts: await startAttempts(trx, sized, now) };
      });
      if (claimed.groups.length === 0) return sent;
      for (const group of claimed.groups) for (const row of group) this.claimed.add(row.id);
      // Stopped while this batch was being claimed: hand it back unsent rather than send after the store closes.
      if (this.halting) {
        await this.handBack();
        return sent;
      }
      const channels = await channelsById(
        store.db,
        claimed.groups.map((g) => g[0].channel_id),
      );
      // Messages about one check to one channel go out one after the other, in queue order (its "down" before its
      // "up"); everything else in parallel.
      const lanes = new Map<string, OutboxEntry[][]>();
      for (const group of claimed.groups) {
        const lane = `${group[0].channel_id}:${group.length === 1 ? group[0].check_id : 'digest'}`;
        const groups = lanes.get(lane) ?? [];
        groups.push(group);
        lanes.set(lane, groups);
      }
      await Promise.all(
        [...lanes.values()].map(async (groups) => {
          for (const group of groups) {
            // Stopping: what this lane has not started stays claimed and is handed back by stop().
            if (this.halting) break;
            await this.deliver(group, claimed.attempts, channels.get(group[0].channel_id));
          }
        }),
      );
      sent += claimed.groups.reduce((n, g) => n + g.length, 0);
      if (this.halting) return sent;
    }
  }

  /** Asks for a pass now (notifications were queued). */
  wake(): void {
    this.loop.wake();
  }

  /** After a round that settled `sent` notifications: when the next row falls due. */
  private async nextPassAt(sent: number, now: number): Promise<number | null> {
    const next = await nextAttemptAt(this.options.store.db);
    // Due but not claimable (another instance is claiming it, or the pass failed): look again shortly, do not spin.
    if (next != null && next <= now && sent === 0) return now + 200;
    return next;
  }

  private async deliver(group: OutboxEntry[], attemptIds: Map<number, number>, channel: ChannelRow | undefined): Promise<void> {
    const { store, clock } = this.options;
    const kind = channel ? channelKind(channel.kind) : undefined;
    const config = channel ? (JSON.parse(channel.config) as Record<string, unknown>) : {};
    const { latencyMs, ...result } = await this.send(group, channel, kind, config);
    // Stopped and handed back while this send was in flight: the rows belong to whoever claims them next.
    const handedBack = group.filter((r) => this.released.delete(r.id)).length > 0;
    if (handedBack) return;
    const now = clock.now();
    const maxAttempts = this.options.maxAttempts ?? 12;
    const attempts = Math.max(...group.map((r) => r.attempts)) + 1;
    const retry = !result.ok && result.retryable && attempts < maxAttempts;
    const settledAs = result.ok ? 'sent' : retry ? 'retry' : 'failed';
    await inTransaction(store.db, async (trx) => {
      await finishAttempts(
        trx,
        group.map((r) => attemptIds.get(r.id)).filter((id): id is number => id != null),
        { ...result, latencyMs },
        now,
      );
      const ids = group.map((r) => r.id);
      if (result.ok) {
        await settle(trx, ids, { status: 'sent', attempts, sent_at: now, last_error: null });
      } else if (retry) {
        // One retry time for the whole group keeps a digest together.
        await settle(trx, ids, {
          attempts,
          next_attempt_at: now + backoffMs(attempts, this.options.random ?? Math.random),
          last_error: result.error,
        });
      } else {
        await settle(trx, ids, { status: 'failed', attempts, last_error: result.error });
      }
    });
    for (const row of group) this.claimed.delete(row.id);
    this.options.onAttempt?.(group, result, latencyMs, settledAs);
    if (!result.ok && !retry)
      this.options.onGiveUp?.(group, channel ? { id: channel.id, kind: channel.kind, name: channel.name } : null, result.error);
  }

  private async send(
    group: OutboxEntry[],
    channel: ChannelRow | undefined,
    kind: ChannelKind | undefined,
    config: Record<string, unknown>,
  ): Promise<TimedResult> {
    if (!channel) return { ok: false, statusCode: null, error: 'the channel was deleted', retryable: false, latencyMs: 0 };
    if (!kind) return { ok: false, statusCode: null, error: `unknown channel kind ${channel.kind}`, retryable: false, latencyMs: 0 };
    const message: Message = {
      notifications: group.map((r) => JSON.parse(r.payload) as Notification),
      idempotencyKey: group.length === 1 ? group[0].idempotency_key : digestKey(group),
    };
    return this.sendNow(kind, message, config);
  }

  /**
   * Sends one message through a channel kind with the guarded HTTP client (also outside the outbox: a channel's
   * test); never throws. The error it returns never holds the channel's secrets; latency is the send's own.
   */
  async sendNow(kind: ChannelKind, message: Message, config: Record<string, unknown>): Promise<TimedResult> {
    const { outbound } = this.options;
    const t0 = performance.now();
    let result: DeliveryResult;
    try {
      result = await kind.send(message, config, { outbound, http: (url, init) => sendHttp(url, init, outbound) });
    } catch (error) {
      result = { ok: false, statusCode: null, error: (error as Error).message, retryable: true };
    }
    return { ...result, error: scrubSecrets(result.error, secretValues(kind, config)), latencyMs: Math.round(performance.now() - t0) };
  }
}
