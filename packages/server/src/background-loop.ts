// The skeleton every background worker shares (scheduler, delivery, retention): sleep until the next pass is due or
// someone wakes it, run passes until nobody asked for another, plan the next one, report errors and carry on. What a
// pass does, and when the next one is due, stays with each worker; this file only owns the timer and its states.
import type { Clock } from './clock.js';

/** The timer functions a loop sleeps with; tests may pass their own. */
export interface LoopTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: LoopTimers = {
  setTimeout: (run, ms) => {
    const handle = setTimeout(run, ms);
    // A sleeping worker never keeps the process alive on its own.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface BackgroundLoopOptions {
  clock: Clock;
  /** One pass of the worker's work; answers how much it did (0: nothing), which `planNext` is told. */
  pass: () => Promise<number>;
  /**
   * When the next pass is due (a time of `clock`), after a round of passes that did `done` in all; null when
   * nothing is due (the loop then sleeps `maxSleepMs`). A throw is reported and the loop looks again in a second.
   */
  planNext: (done: number, now: number) => Promise<number | null>;
  /** Longest sleep: bounds how long work nobody woke the loop for (another instance's) can wait. */
  maxSleepMs: number;
  onError?: (error: unknown) => void;
  timers?: LoopTimers;
}

export class BackgroundLoop {
  private timer: unknown = null;
  private plannedAt: number | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly timers: LoopTimers;

  constructor(private readonly options: BackgroundLoopOptions) {
    this.timers = options.timers ?? systemTimers;
  }

  /** Starts the loop with a pass at `at` (default: now). */
  start(at?: number): void {
    this.stopped = false;
    this.wake(at);
  }

  /** No further passes; resolves when the round in progress (if any) has ended. */
  async stop(): Promise<void> {
    this.halt();
    await this.running;
  }

  /** No further passes, without waiting for the round in progress (see `current`). */
  halt(): void {
    this.stopped = true;
    if (this.timer != null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** The round of passes in progress, if any. */
  get current(): Promise<void> | null {
    return this.running;
  }

  /**
   * Asks for a pass at `at` (default: now). During a round, "now" makes the round go on with another pass and a
   * later time is remembered for the planning after it; a wake-up later than the pass already planned changes nothing.
   */
  wake(at?: number): void {
    if (this.stopped) return;
    const now = this.options.clock.now();
    const when = at ?? now;
    if (this.running) {
      if (when <= now) this.again = true;
      else if (this.plannedAt == null || when < this.plannedAt) this.plannedAt = when;
      return;
    }
    if (this.plannedAt != null && this.plannedAt <= when && this.timer != null) return;
    this.plan(when);
  }

  private plan(at: number): void {
    if (this.timer != null) this.timers.clearTimeout(this.timer);
    const now = this.options.clock.now();
    const delay = Math.max(0, Math.min(at - now, this.options.maxSleepMs));
    this.plannedAt = now + delay;
    this.timer = this.timers.setTimeout(() => this.round(), delay);
  }

  /** Passes until nobody asked for another, then the plan for the next round. */
  private round(): void {
    this.timer = null;
    this.plannedAt = null;
    let done = 0;
    this.running = (async () => {
      do {
        this.again = false;
        try {
          done += await this.options.pass();
        } catch (error) {
          this.options.onError?.(error);
        }
      } while (this.again && !this.stopped);
    })();
    void this.running.then(async () => {
      if (this.stopped) {
        this.running = null;
        return;
      }
      const now = this.options.clock.now();
      let next: number | null;
      try {
        next = await this.options.planNext(done, now);
      } catch (error) {
        // The store is unreachable (a database restart): look again in a second, not after the longest sleep.
        this.options.onError?.(error);
        next = now + 1000;
      }
      this.running = null;
      if (this.stopped) return;
      // Wake-ups that came during the round or its planning: "now" (again) or a time before the planned next.
      const requested = this.again ? this.options.clock.now() : this.plannedAt;
      const candidates = [requested, next ?? now + this.options.maxSleepMs].filter((v): v is number => v != null);
      this.plan(Math.min(...candidates));
    });
  }
}
