// The scheduler loop: sleeps until the earliest deadline (or an ingest wake-up), then processes what is due.
import type { Store } from '../store/database.js';
import type { Clock } from '../clock.js';
import { earliestDeadline, processDueChecks, type DueResult } from './due-checks.js';
import { earliestAlertTimer, processAlertTimers } from '../alerts/timers.js';
import { flipContext } from '../alerts/record-flip.js';
import { BackgroundLoop, type LoopTimers } from '../background-loop.js';
import { inTransaction } from '../store/transaction.js';
import { isShared } from '../store/dialect.js';
import { nextTurn } from '../next-turn.js';
import { DEFAULT_BATCH_SIZES, nextBatchSize, type BatchSizes } from './batch-size.js';

export interface SchedulerOptions {
  store: Store;
  clock: Clock;
  publicUrl: string;
  /** Checks per transaction: a pass's first, and how it grows and shrinks (batch-size.ts). */
  batchSizes?: Partial<BatchSizes>;
  /** Longest sleep; bounds how long a change made by another instance can go unseen (PostgreSQL). */
  maxSleepMs?: number;
  onCommit?: (result: DueResult) => void;
  /**
   * What goes before each transaction of a pass (the runtime: storing the signals already received, so that a ping
   * that came in before its deadline is applied before the deadline is, and is answered during a long pass).
   */
  beforeBatch?: () => Promise<void>;
  onError?: (error: unknown) => void;
  /** The timers it sleeps with (tests). */
  timers?: LoopTimers;
}

export class Scheduler {
  private readonly loop: BackgroundLoop;

  constructor(private readonly options: SchedulerOptions) {
    this.loop = new BackgroundLoop({
      clock: options.clock,
      maxSleepMs: options.maxSleepMs ?? 30_000,
      pass: () => this.tick(),
      planNext: (processed, now) => this.nextPassAt(processed, now),
      onError: (error) => this.options.onError?.(error),
      timers: options.timers,
    });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Processes everything due now, batch by batch. Tests with a manual clock call this directly. */
  async tick(): Promise<number> {
    const { store, clock, publicUrl } = this.options;
    const sizes = { ...DEFAULT_BATCH_SIZES, ...this.options.batchSizes };
    let total = 0;
    let limit = sizes.first;
    for (;;) {
      await this.options.beforeBatch?.();
      const now = clock.now();
      const started = performance.now();
      const result = await inTransaction(store.db, (trx) => processDueChecks(trx, publicUrl, now, limit));
      total += result.processed;
      if (result.processed > 0) this.options.onCommit?.(result);
      if (result.processed < limit) break;
      // On SQLite a transaction runs start to end without giving the event loop back: pings that arrived meanwhile
      // are read now, and stored and answered before the next transaction (beforeBatch), not after the whole pass.
      limit = nextBatchSize(limit, performance.now() - started, sizes);
      await nextTurn();
    }
    // Alert timers (cooldown holds ending, reminders) after the checks, so a check that just recovered stays quiet.
    for (;;) {
      const now = clock.now();
      const timers = await inTransaction(store.db, (trx) => processAlertTimers(trx, now, sizes.first, flipContext({ db: trx, publicUrl })));
      if (timers.notifications > 0) this.options.onCommit?.({ processed: 0, notifications: timers.notifications, lagsMs: [], touched: [] });
      if (timers.processed < sizes.first) return total;
      await nextTurn();
    }
  }

  /**
   * Plans a pass for the earliest alert timer (a cooldown hold ending, a reminder). Called after timers were set
   * outside a scheduler pass (an ingested failure, a published incident), so they fire on time, not at the next poll.
   */
  async wakeForAlertTimers(): Promise<void> {
    if (this.loop.isStopped) return;
    try {
      const at = await earliestAlertTimer(this.options.store.db);
      if (at != null) this.wake(at);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /** Asks for a pass at `at` (or now); a wake-up later than the planned one changes nothing. */
  wake(at?: number): void {
    this.loop.wake(at);
  }

  /** After a round that processed `processed` checks: the earliest deadline or alert timer. */
  private async nextPassAt(processed: number, now: number): Promise<number | null> {
    const db = this.options.store.db;
    const times = [await earliestDeadline(db), await earliestAlertTimer(db)].filter((t): t is number => t != null);
    const next = times.length ? Math.min(...times) : null;
    // A deadline already due after a pass usually fell due while the pass ran: go again at once. Only when a pass
    // on PostgreSQL made no progress does it belong to a row another instance holds locked: look again shortly
    // rather than spin.
    if (next != null && next <= now) return isShared(db) && processed === 0 ? now + 200 : now;
    return next;
  }
}
