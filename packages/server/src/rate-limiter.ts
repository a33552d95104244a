// Token buckets keyed by a string (a check, a client address): a steady rate with a burst allowance.

export interface RateDecision {
  allowed: boolean;
  /** Seconds until a token is available, when refused. */
  retryAfterS: number;
}

export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  /** Shared by new keys while every kept bucket still holds information (see take). */
  private overflow: { tokens: number; at: number } | null = null;
  private sweptAt = -Infinity;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly maxKeys = 200_000,
  ) {}

  take(key: string, now: number): RateDecision {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.evictFull(now);
      if (this.buckets.size < this.maxKeys) {
        bucket = { tokens: this.burst, at: now };
        this.buckets.set(key, bucket);
      } else {
        // Every kept bucket is partly drained, so forgetting one would hand its key a fresh burst (an attacker with
        // many addresses could reset anyone's limit). New keys share one bucket instead, until some refill.
        bucket = this.overflow ??= { tokens: this.burst, at: now };
      }
    }
    // A clock stepped back must not drain the bucket (a day back would refuse a check's pings for a day).
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(this.burst, bucket.tokens + (elapsed / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterS: 0 };
    }
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)) };
  }

  /**
   * Forgets buckets that have refilled: they hold no information. Keeps memory bounded under many keys; a bucket
   * that is not full is never forgotten. Sweeps at most once a second, so a full map costs no scan per request.
   */
  private evictFull(now: number): void {
    if (now - this.sweptAt < 1000) return;
    this.sweptAt = now;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(key);
    }
  }
}
