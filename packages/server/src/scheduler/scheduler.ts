// The scheduler loop: sleeps until the earliest deadline (or an ingest wake-up), then processes what is due.
import type { Store } from '../store/database.js';
import type { Clock } from '../clock.js';
import { earliestDeadline, processDueChecks, type DueResult } from './due-checks.js';
import { earliestAlertTimer, processAlertTimers } from '../alerts/timers.js';
import { flipContext } from '../alerts/record-flip.js';

export interface SchedulerOptions {
  store: Store;
  clock: Clock;
  publicUrl: string;
  batchSize?: number;
  /** Longest sleep; bounds how long a change made by another instance can go unseen (PostgreSQL). */
  maxSleepMs?: number;
  onCommit?: (result: DueResult) => void;
  onError?: (error: unknown) => void;
}

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private plannedAt: number | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(private readonly options: SchedulerOptions) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Processes everything due now, batch by batch. Tests with a manual clock call this directly. */
  async tick(): Promise<number> {
    const { store, clock, publicUrl } = this.options;
    const batchSize = this.options.batchSize ?? 500;
    let total = 0;
    for (;;) {
      const now = clock.now();
      const result = await store.db.transaction().execute((trx) => processDueChecks(trx, store.engine === 'postgres', publicUrl, now, batchSize));
      total += result.processed;
      if (result.processed > 0) this.options.onCommit?.(result);
      if (result.processed < batchSize) break;
    }
    // Alert timers (cooldown holds ending, reminders) after the checks, so a check that just recovered stays quiet.
    for (;;) {
      const now = clock.now();
      const timers = await store.db.transaction().execute((trx) =>
        processAlertTimers(trx, store.engine === 'postgres', now, batchSize, flipContext({ db: trx, publicUrl })));
      if (timers.notifications > 0) this.options.onCommit?.({ processed: 0, notifications: timers.notifications, lagsMs: [], touched: [] });
      if (timers.processed < batchSize) return total;
    }
  }

  /**
   * Plans a pass for the earliest alert timer (a cooldown hold ending, a reminder). Called after timers were set
   * outside a scheduler pass (an ingested failure, a published incident), so they fire on time, not at the next poll.
   */
  async wakeForAlertTimers(): Promise<void> {
    if (this.stopped) return;
    try {
      const at = await earliestAlertTimer(this.options.store.db);
      if (at != null) this.wake(at);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /** Asks for a pass at `at` (or now); a wake-up later than the planned one changes nothing. */
  wake(at?: number): void {
    if (this.stopped) return;
    const now = this.options.clock.now();
    const when = at ?? now;
    if (this.running) {
      if (when <= now) this.again = true;
      else if (this.plannedAt == null || when < this.plannedAt) this.plannedAt = when;
      return;
    }
    if (this.plannedAt != null && this.plannedAt <= when && this.timer) return;
    this.plan(when);
  }

  private plan(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    const now = this.options.clock.now();
    const delay = Math.max(0, Math.min(at - now, this.options.maxSleepMs ?? 30_000));
    this.plannedAt = now + delay;
    this.timer = setTimeout(() => this.pass(), delay);
    this.timer.unref?.();
  }

  private pass(): void {
    this.timer = null;
    this.plannedAt = null;
    let processed = 0;
    this.running = (async () => {
      try {
        do {
          this.again = false;
          processed += await this.tick();
        } while (this.again && !this.stopped);
      } catch (error) {
        this.options.onError?.(error);
      }
    })();
    void this.running.then(async () => {
      this.running = null;
      if (this.stopped) return;
      const requested = this.plannedAt;
      let next: number | null = null;
      const now = this.options.clock.now();
      try {
        const db = this.options.store.db;
        const times = [await earliestDeadline(db), await earliestAlertTimer(db)].filter((t): t is number => t != null);
        next = times.length ? Math.min(...times) : null;
      } catch (error) {
        // The store is unreachable (a database restart): try again in a second, not after the longest sleep.
        this.options.onError?.(error);
        next = now + 1000;
      }
      // A deadline already due after a pass usually fell due while the pass ran: go again at once. Only when a pass
      // on PostgreSQL made no progress does it belong to a row another instance holds locked: look again shortly
      // rather than spin.
      if (next != null && next <= now) next = this.options.store.engine === 'postgres' && processed === 0 ? now + 200 : now;
      const candidates = [requested, next ?? now + (this.options.maxSleepMs ?? 30_000)].filter((v): v is number => v != null);
      this.plan(Math.min(...candidates));
    });
  }
}
