// The token bucket behind every 429: a steady rate with a burst, per key, and a clock that may step back.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/ingest/rate-limit.js';

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
});
