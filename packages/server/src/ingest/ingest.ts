// Group commit: signals arriving in one event-loop turn share one transaction; each caller hears back after commit.
import type { Transaction } from 'kysely';
import type { Store } from '../store/database.js';
import type { Database } from '../store/schema.js';
import type { Clock } from '../clock.js';
import { unavailable } from '../errors.js';
import { inTransaction, isStoreUnavailable } from '../store/transaction.js';
import { applyBatch, type Arrival, type BatchResult, type IngestOutcome } from './apply-batch.js';
import type { IncomingSignal } from './incoming-signal.js';
import type { RateLimiter } from '../rate-limiter.js';

interface Waiting extends Arrival {
  /** performance.now() at submit, for the latency metric. */
  queuedAt: number;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: Error) => void;
}

export interface IngestOptions {
  store: Store;
  clock: Clock;
  publicUrl: string;
  /** Called after each committed batch (wake the scheduler, the delivery worker, live views). */
  onCommit?: (result: BatchResult) => void;
  onError?: (error: unknown) => void;
  /** Metrics: each committed batch with its outcomes, and the number of signals of each failed one. */
  observe?: {
    committed(batch: readonly (Arrival & { queuedAt: number })[], outcomes: readonly IngestOutcome[], committedAt: number): void;
    failed(signals: number): void;
  };
  maxBatch?: number;
  /** Per-check rate limit, applied once the check is known (so every URL form shares one budget). */
  limiter?: RateLimiter;
  /** Checks a workspace may hold, and the per-workspace budget (one token per check) of checks its signals create. */
  quotas?: { maxChecks: number; creations: RateLimiter };
  /**
   * Batches applied at once, each in its own transaction. SQLite: 1 (one writer; arrivals queue into the next
   * batch). PostgreSQL: more hide the network round trips; batches lock their checks in id order, so they cannot deadlock.
   */
  concurrency?: number;
}

export class Ingest {
  private queue: Waiting[] = [];
  private scheduled = false;
  /** Batches being applied right now, each in its own transaction. */
  private readonly lanes = new Set<Promise<void>>();
  /** Committed batches waiting for their WAL sync before anyone hears of them (SQLite, sync=full). */
  private readonly syncing = new Set<Promise<void>>();
  /** Signals submitted and not yet answered, for settled(). */
  private readonly unanswered = new Set<Promise<IngestOutcome>>();
  private readonly maxBatch: number;
  private readonly concurrency: number;
  /** Counters for metrics and benchmarks. */
  readonly stats = { batches: 0, signals: 0, failedBatches: 0 };

  constructor(private readonly options: IngestOptions) {
    this.maxBatch = options.maxBatch ?? 2000;
    this.concurrency = Math.max(1, options.concurrency ?? 1);
  }

  /** Resolves once the signal is durably stored (or rejects with a 503 the client should retry). */
  submit(signal: IncomingSignal): Promise<IngestOutcome> {
    const outcome = new Promise<IngestOutcome>((resolve, reject) => {
      this.queue.push({ signal, at: this.options.clock.now(), queuedAt: performance.now(), resolve, reject });
      if (!this.scheduled && this.lanes.size < this.concurrency) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
    this.unanswered.add(outcome);
    const answered = () => void this.unanswered.delete(outcome);
    outcome.then(answered, answered);
    return outcome;
  }

  /**
   * Resolves once every signal submitted so far has been answered (stored or refused); later ones are not waited
   * for, so a caller is held for one batch at most. A long scheduler pass waits on it between its transactions.
   */
  async settled(): Promise<void> {
    if (this.unanswered.size > 0) await Promise.allSettled([...this.unanswered]);
  }

  /** Waits for everything submitted so far to be committed or refused. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.lanes.size > 0 || this.syncing.size > 0 || this.scheduled) {
      if (this.lanes.size > 0 || this.syncing.size > 0) await Promise.race([...this.lanes, ...this.syncing]);
      else await new Promise((r) => setImmediate(r));
    }
  }

  /** Starts a lane for what is queued, if one is free; a lane takes the whole queue at once, then what queued meanwhile. */
  private flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0 || this.lanes.size >= this.concurrency) return;
    const lane: Promise<void> = this.run().finally(() => {
      this.lanes.delete(lane);
      if (this.queue.length > 0 && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
    this.lanes.add(lane);
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0) {
      await this.commitSplitting(this.queue.splice(0, this.maxBatch));
    }
  }

  /**
   * Commits a batch; when it rolled back as a whole, commits each half the same way. A signal fails alone inside a
   * batch (its savepoint), so a whole batch fails for the store's reasons; should one signal still sink its batch,
   * it costs about log2(n) extra transactions, not one transaction (and one fsync) per signal of the batch.
   */
  private async commitSplitting(batch: Waiting[]): Promise<void> {
    if (await this.commit(batch)) return;
    const half = Math.ceil(batch.length / 2);
    await this.commitSplitting(batch.slice(0, half));
    await this.commitSplitting(batch.slice(half));
  }

  /** Commits a batch and answers its callers; false (callers untouched) when it failed and may succeed one by one. */
  private async commit(batch: Waiting[]): Promise<boolean> {
    let result: BatchResult;
    const limiter = this.options.limiter;
    const { walSync, checkRowCache: cache } = this.options.store;
    try {
      const now = this.options.clock.now();
      // A batch that collided with another instance's (PostgreSQL) is applied again before anyone hears 503.
      const apply = (trx: Transaction<Database>) => {
        cache?.beginBatch();
        return applyBatch(
          {
            db: trx,
            publicUrl: this.options.publicUrl,
            now,
            admit: limiter ? (id) => limiter.take(id, now) : undefined,
            onSignalError: this.options.onError,
            cachedCheck: cache && ((ref) => cache.get(ref)),
            maxChecks: this.options.quotas?.maxChecks,
            admitCreation: this.options.quotas ? (ws) => this.options.quotas!.creations.take(ws, now) : undefined,
          },
          batch,
        );
      };
      // SQLite, sync=full: the commit's sync is taken off the event loop; callers hear back once it is done (below).
      const db = this.options.store.db;
      result = walSync
        ? await walSync.withoutCommitSync(db, (connection) => inTransaction(connection, apply))
        : await inTransaction(db, apply);
      cache?.endBatch(result.found);
    } catch (error) {
      cache?.endBatch(null);
      this.stats.failedBatches += 1;
      this.options.onError?.(error);
      // Retrying one by one helps when one signal was refused; an unreachable database refuses them all.
      if (batch.length === 1 || isStoreUnavailable(error)) {
        this.options.observe?.failed(batch.length);
        for (const waiting of batch)
          waiting.reject(unavailable('The signal could not be stored just now; nothing was recorded. Retry shortly.'));
        return true;
      }
      return false;
    }
    this.stats.batches += 1;
    this.stats.signals += batch.length;
    if (!walSync) {
      this.answer(batch, result);
      return true;
    }
    // The lane is free at once: the next batch commits while this one's sync runs (and usually shares it).
    const synced = walSync
      .synced()
      .then(
        () => this.answer(batch, result),
        (error: unknown) => {
          this.options.onError?.(error);
          this.options.observe?.failed(batch.length);
          for (const waiting of batch) {
            waiting.reject(
              unavailable('The signal could not be confirmed as written to disk (the sync failed); retry it. It may then be listed twice.'),
            );
          }
          this.options.onCommit?.(result);
        },
      )
      .catch((error: unknown) => this.options.onError?.(error));
    this.syncing.add(synced);
    void synced.finally(() => this.syncing.delete(synced));
    return true;
  }

  /** Answers a committed (and durable) batch's callers, then tells the rest of the server. */
  private answer(batch: Waiting[], result: BatchResult): void {
    batch.forEach((waiting, i) => waiting.resolve(result.outcomes[i]));
    this.options.observe?.committed(batch, result.outcomes, performance.now());
    this.options.onCommit?.(result);
  }
}
