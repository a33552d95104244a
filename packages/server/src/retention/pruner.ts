// The retention loop: keeps the newest N signals of every check and deletes runs, flips and settled notifications
// past their age. Work is cut into small transactions with a turn of the event loop between them, so ingest
// never waits behind pruning for more than one batch.
import type { Store } from '../store/database.js';
import type { Clock } from '../clock.js';
import {
  checksOverSignalLimit,
  heldSignals,
  type OverLimitCursor,
  type OverLimitPage,
  pruneFlips,
  pruneRuns,
  pruneSettledNotifications,
  pruneSignalsOfCheck,
  type SignalPruneStep,
} from '../store/retention.js';
import { deleteExpiredSessions } from '../store/users.js';
import { BackgroundLoop, type LoopTimers } from '../background-loop.js';
import { DAY_MS, MINUTE_MS } from '../core/index.js';
import { nextTurn } from '../next-turn.js';

export interface RetentionPolicy {
  signalsPerCheck: number;
  days: number;
  intervalMs: number;
}

export interface PrunerOptions {
  store: Store;
  clock: Clock;
  policy: RetentionPolicy;
  /** Rows per transaction. */
  batchSize?: number;
  onPruned?: (table: PrunedTable, rows: number) => void;
  onError?: (error: unknown) => void;
  /** The timers it sleeps with (tests). */
  timers?: LoopTimers;
}

export type PrunedTable = 'signals' | 'runs' | 'flips' | 'outbox';
export type PruneReport = Record<PrunedTable, number>;

/** Checks read per query when looking for those over their signal limit. */
const CHECKS_PER_PAGE = 200;
/** Trim marks remembered at most; beyond, they are forgotten (a forgotten check costs one count read when next seen). */
const MAX_MARKS = 200_000;

/** Signals a check may hold beyond its limit before a pass trims it: trimming 1 row per ping would be wasteful. */
export function signalSlack(keep: number): number {
  return Math.max(10, Math.ceil(keep / 10));
}

export class Pruner {
  private readonly loop: BackgroundLoop;
  private running: Promise<PruneReport> | null = null;
  /** Set by stop(): passes end after their current batch. */
  private halting = false;
  private readonly batch: number;
  /** Set by start(): checks are trimmed as signals arrive, not only by the periodic pass. */
  private continuous = false;
  /** Per check: the signal_count past which it holds more than keep + slack (and is trimmed). */
  private readonly trimAt = new Map<string, number>();
  /** Checks that passed their mark, waiting to be trimmed. */
  private readonly due = new Set<string>();
  private trimming: Promise<void> | null = null;
  /** Counters for tests and metrics: periodic passes run, checks trimmed as signals arrived. */
  readonly stats = { passes: 0, trims: 0 };

  constructor(private readonly options: PrunerOptions) {
    this.batch = options.batchSize ?? 200;
    const { intervalMs } = options.policy;
    this.loop = new BackgroundLoop({
      clock: options.clock,
      maxSleepMs: intervalMs,
      // With several instances on one PostgreSQL database, their passes take turns instead of deleting the same rows.
      pass: async () => {
        await this.options.store.exclusive('overdue:retention', async () => (this.halting ? null : this.runOnce()));
        return 0;
      },
      planNext: async (_done, now) => now + intervalMs,
      onError: (error) => this.options.onError?.(error),
      timers: options.timers,
    });
  }

  start(): void {
    this.halting = false;
    this.continuous = true;
    // The first pass soon after startup (a server restarted daily would otherwise never prune with a long interval).
    this.loop.start(this.options.clock.now() + Math.min(this.options.policy.intervalMs, MINUTE_MS));
  }

  /** Stops after the batch in progress; never interrupts a transaction. */
  async stop(): Promise<void> {
    this.halting = true;
    this.continuous = false;
    this.loop.halt();
    await this.running?.catch(() => undefined);
    await this.trimming;
  }

  /**
   * Called after every ingest commit with the checks it changed: a check whose chain passed keep + slack is trimmed
   * right away, in the background, in the same small transactions as a pass. So a check pinged as fast as its rate
   * limit allows holds at most about keep + slack signals (and as many bodies), not whatever arrives in an interval.
   */
  noticeSignals(rows: readonly { id: string; signal_count: number }[]): void {
    if (!this.continuous) return;
    const { signalsPerCheck: keep } = this.options.policy;
    for (const row of rows) {
      // Unknown checks are looked at once they could be over the limit; their real count is read then.
      const mark = this.trimAt.get(row.id) ?? keep + signalSlack(keep);
      if (Number(row.signal_count) > mark) this.due.add(row.id);
    }
    if (this.due.size > 0 && !this.trimming) {
      this.trimming = this.trimDue()
        .catch((error) => this.options.onError?.(error))
        .finally(() => {
          this.trimming = null;
        });
    }
  }

  /** Resolves once the checks noticed so far are trimmed (tests). */
  async settled(): Promise<void> {
    while (this.trimming) await this.trimming;
  }

  private async trimDue(): Promise<void> {
    const { store, policy } = this.options;
    const keep = policy.signalsPerCheck;
    while (this.due.size > 0 && !this.halting) {
      const [id] = this.due;
      this.due.delete(id);
      const before = await heldSignals(store.db, id);
      if (!before) {
        this.trimAt.delete(id);
        continue;
      }
      if (before.count - before.pruned > keep + signalSlack(keep)) {
        let resume: SignalPruneStep['resume'] = null;
        for (;;) {
          const step = await pruneSignalsOfCheck(store.db, id, keep, this.batch, resume);
          if (step.deleted > 0) this.options.onPruned?.('signals', step.deleted);
          await nextTurn();
          if (step.done || this.halting) break;
          resume = step.resume;
        }
        this.stats.trims += 1;
      }
      const after = await heldSignals(store.db, id);
      if (this.trimAt.size >= MAX_MARKS) this.trimAt.clear();
      if (after) this.trimAt.set(id, after.pruned + keep + signalSlack(keep));
    }
  }

  /** One full pass (tests call this directly). Concurrent calls share the pass in progress. */
  runOnce(): Promise<PruneReport> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<PruneReport> {
    this.stats.passes += 1;
    const report: PruneReport = { signals: 0, runs: 0, flips: 0, outbox: 0 };
    await this.pruneSignals(report);
    const cutoff = this.options.clock.now() - this.options.policy.days * DAY_MS;
    const { batch } = this;
    const db = this.options.store.db;
    await this.drain(report, 'runs', () => pruneRuns(db, cutoff, batch));
    await this.drain(report, 'flips', () => pruneFlips(db, cutoff, batch));
    await this.drain(report, 'outbox', () => pruneSettledNotifications(db, cutoff, batch));
    // Sessions are refused once expired (api/auth.ts); this removes their rows.
    await deleteExpiredSessions(db, this.options.clock.now());
    return report;
  }

  private async pruneSignals(report: PruneReport): Promise<void> {
    const { store, policy } = this.options;
    const keep = policy.signalsPerCheck;
    let cursor: OverLimitCursor | null = null;
    for (;;) {
      if (this.halting) return;
      const page: OverLimitPage = await checksOverSignalLimit(store.db, keep + signalSlack(keep), cursor, CHECKS_PER_PAGE);
      for (const check of page.checks) {
        let resume: SignalPruneStep['resume'] = null;
        for (;;) {
          const step = await pruneSignalsOfCheck(store.db, check.id, keep, this.batch, resume);
          this.count(report, 'signals', step.deleted);
          await nextTurn();
          if (step.done || this.halting) break;
          resume = step.resume;
        }
        if (this.halting) return;
      }
      if (!page.next) return;
      cursor = page.next;
      // Between windows of a large table, other work gets its turn.
      await nextTurn();
    }
  }

  /** Repeats a batch deletion until it deletes less than a full batch (or the server stops). */
  private async drain(report: PruneReport, table: PrunedTable, step: () => Promise<number>): Promise<void> {
    for (;;) {
      if (this.halting) return;
      const deleted = await step();
      this.count(report, table, deleted);
      await nextTurn();
      if (deleted < this.batch) return;
    }
  }

  private count(report: PruneReport, table: PrunedTable, rows: number): void {
    if (rows === 0) return;
    report[table] += rows;
    this.options.onPruned?.(table, rows);
  }
}
