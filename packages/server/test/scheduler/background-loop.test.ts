// The skeleton the scheduler, the delivery worker and the pruner share: when it sleeps, when it runs another pass,
// what it does with errors and how it stops. A manual clock and hand-driven timers: nothing here waits.
import { describe, expect, it } from 'vitest';
import { BackgroundLoop, type LoopTimers } from '../../src/background-loop.js';
import { ManualClock } from '../../src/clock.js';

/** Timers that only fire when the test says so; `pending` is the one sleep planned (a loop keeps at most one). */
class HandTimers implements LoopTimers {
  private next = 1;
  readonly planned = new Map<number, { run: () => void; ms: number }>();
  setTimeout(run: () => void, ms: number): unknown {
    const id = this.next++;
    this.planned.set(id, { run, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.planned.delete(handle as number);
  }
  get pending(): { ms: number } | undefined {
    expect(this.planned.size).toBeLessThanOrEqual(1);
    return [...this.planned.values()][0];
  }
  fire(): void {
    const [[id, timer]] = [...this.planned];
    this.planned.delete(id);
    timer.run();
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function setUp(options: { planNext?: (done: number, now: number) => Promise<number | null>; pass?: () => Promise<number> } = {}) {
  const clock = new ManualClock(1_000_000);
  const timers = new HandTimers();
  const errors: unknown[] = [];
  let passes = 0;
  const loop = new BackgroundLoop({
    clock,
    timers,
    maxSleepMs: 30_000,
    pass:
      options.pass ??
      (async () => {
        passes += 1;
        return 1;
      }),
    planNext: options.planNext ?? (async () => null),
    onError: (error) => errors.push(error),
  });
  return { clock, timers, errors, loop, passes: () => passes };
}

describe('a background loop', () => {
  it('runs a pass as soon as it starts, then sleeps until the time its worker plans next', async () => {
    const { clock, timers, loop, passes } = setUp({ planNext: async (_done, now) => now + 5000 });
    loop.start();
    expect(timers.pending?.ms).toBe(0);
    timers.fire();
    await settle();
    expect(passes()).toBe(1);
    expect(timers.pending?.ms).toBe(5000);
    clock.advance(5000);
    timers.fire();
    await settle();
    expect(passes()).toBe(2);
    await loop.stop();
  });

  it('sleeps at most maxSleepMs, also when nothing is due', async () => {
    const { timers, loop } = setUp({ planNext: async () => null });
    loop.start();
    timers.fire();
    await settle();
    expect(timers.pending?.ms).toBe(30_000);
    await loop.stop();
  });

  it('moves its sleep earlier for an earlier wake-up and ignores a later one', async () => {
    const { clock, timers, loop } = setUp({ planNext: async (_done, now) => now + 20_000 });
    loop.start();
    timers.fire();
    await settle();
    loop.wake(clock.now() + 25_000);
    expect(timers.pending?.ms).toBe(20_000);
    loop.wake(clock.now() + 3000);
    expect(timers.pending?.ms).toBe(3000);
    await loop.stop();
  });

  it('runs another pass right after the current one when woken during it, and keeps a later wake-up for after it', async () => {
    let release: () => void = () => {};
    let passes = 0;
    const { clock, timers, loop } = setUp({
      planNext: async (_done, now) => now + 20_000,
      pass: async () => {
        passes += 1;
        if (passes === 1)
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        return 1;
      },
    });
    loop.start();
    timers.fire();
    await settle();
    loop.wake();
    loop.wake(clock.now() + 4000);
    release();
    await settle();
    await settle();
    expect(passes).toBe(2);
    expect(timers.pending?.ms).toBe(4000);
    await loop.stop();
  });

  it('reports a failing pass and carries on; a failing plan is reported and looked at again in a second', async () => {
    let fail = true;
    const { timers, errors, loop } = setUp({
      pass: async () => {
        throw new Error('pass failed');
      },
      planNext: async (_done, now) => {
        if (fail) throw new Error('store unreachable');
        return now + 7000;
      },
    });
    loop.start();
    timers.fire();
    await settle();
    expect(errors.map((e) => (e as Error).message)).toEqual(['pass failed', 'store unreachable']);
    expect(timers.pending?.ms).toBe(1000);
    fail = false;
    timers.fire();
    await settle();
    expect(timers.pending?.ms).toBe(7000);
    await loop.stop();
  });

  it('plans nothing once stopped, and wake-ups after stop are ignored', async () => {
    const { timers, loop, passes } = setUp({ planNext: async (_done, now) => now + 1000 });
    loop.start();
    await loop.stop();
    expect(timers.planned.size).toBe(0);
    loop.wake();
    expect(timers.planned.size).toBe(0);
    expect(passes()).toBe(0);
  });
});
