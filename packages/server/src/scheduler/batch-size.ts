// How many due checks a scheduler pass takes into its next transaction. A cron minute can bring a hundred thousand
// checks due at one instant; each commit writes the index pages its checks touched, so larger transactions cost less
// per check (at a million checks: 100,000 due flipped in 12.2 s in transactions of 500, 7.6–8.5 s in 5,000). But a
// transaction holds SQLite's one writer and the event loop, and pings wait behind it. So a pass starts small, doubles
// while its transactions come back full and quick, and halves when one took too long.

export interface BatchSizes {
  /** A pass's first transaction, and the least it shrinks to. */
  first: number;
  /** The most a transaction takes, however quick. */
  max: number;
  /** A full transaction quicker than this is followed by one twice its size. */
  growBelowMs: number;
  /** One slower than this is followed by one half its size. */
  shrinkAboveMs: number;
}

export const DEFAULT_BATCH_SIZES: BatchSizes = { first: 500, max: 8000, growBelowMs: 300, shrinkAboveMs: 1000 };

/** The size of the transaction after a full one of `size` checks that took `tookMs`. */
export function nextBatchSize(size: number, tookMs: number, sizes: BatchSizes): number {
  if (tookMs > sizes.shrinkAboveMs) return Math.max(sizes.first, Math.floor(size / 2));
  if (tookMs < sizes.growBelowMs) return Math.min(sizes.max, size * 2);
  return size;
}
