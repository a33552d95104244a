// The token bucket behind every 429: a steady rate with a burst, per key, and a clock that may step back.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/rate-limiter.js';

describe('the rate limiter', () => {
  it('allows the burst at once, then one more per 1/rate seconds', () => {
    const limiter = new RateLimiter(2, 4);
    for (let i = 0; i < 4; i += 1) expect(limiter.take('k', 0).allowed).toBe(true);
    expect(limiter.take('k', 0)).toEqual({ allowed: false, retryAfterS: 1 });
    expect(limiter.take('k', 500).allowed).toBe(true);
    expect(limiter.take('other', 500).allowed).toBe(true);
  });

  it('a clock stepping backwards neither refills nor drains the bucket', () => {
    const limiter = new RateLimiter(1, 10);
    expect(limiter.take('k', 100_000).allowed).toBe(true);
    for (let i = 0; i < 9; i += 1) expect(limiter.take('k', 0).allowed).toBe(true);
    expect(limiter.take('k', 0).allowed).toBe(false);
    expect(limiter.take('k', 101_000).allowed).toBe(true);
  });

  it('when it holds as many keys as it may, it forgets only refilled buckets: a drained one survives a flood of new keys', () => {
    const limiter = new RateLimiter(1, 2, 3);
    expect(limiter.take('victim', 0).allowed).toBe(true);
    expect(limiter.take('victim', 0).allowed).toBe(true);
    expect(limiter.take('victim', 0).allowed).toBe(false);
    // An attacker with many addresses fills the map far past its size...
    for (let i = 0; i < 100; i += 1) limiter.take(`attacker-${i}`, 0);
    // ...and the victim's bucket is still drained.
    expect(limiter.take('victim', 0).allowed).toBe(false);
    expect(limiter.take('victim', 1000).allowed).toBe(true);
  });

  it('new keys share one bucket while every kept bucket is drained, and get their own again once some refill', () => {
    const limiter = new RateLimiter(1, 2, 2);
    for (const key of ['a', 'b']) for (let i = 0; i < 2; i += 1) limiter.take(key, 0);
    // Full of drained buckets: newcomers share the overflow bucket (a burst of 2 between them).
    expect(limiter.take('new-1', 0).allowed).toBe(true);
    expect(limiter.take('new-2', 0).allowed).toBe(true);
    expect(limiter.take('new-3', 0).allowed).toBe(false);
    // Two seconds later a and b have refilled and are forgotten; a newcomer gets a bucket of its own.
    expect(limiter.take('new-4', 2000).allowed).toBe(true);
    expect(limiter.take('new-4', 2000).allowed).toBe(true);
    expect(limiter.take('new-4', 2000).allowed).toBe(false);
  });
});
