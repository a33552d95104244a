// The size of a scheduler pass's transactions: doubled while they come back full and quick, halved when slow.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_SIZES, nextBatchSize } from '../../src/scheduler/batch-size.js';

const sizes = { first: 500, max: 8000, growBelowMs: 300, shrinkAboveMs: 1000 };

describe('nextBatchSize', () => {
  it('a full transaction of 500 that took 40 ms is followed by one of 1,000', () => {
    expect(nextBatchSize(500, 40, sizes)).toBe(1000);
  });

  it('growth stops at the most a transaction may take: 8,000 after 5,000', () => {
    expect(nextBatchSize(5000, 100, sizes)).toBe(8000);
    expect(nextBatchSize(8000, 100, sizes)).toBe(8000);
  });

  it('a transaction between quick and slow (300 ms to 1 s) keeps its size', () => {
    expect(nextBatchSize(4000, 300, sizes)).toBe(4000);
    expect(nextBatchSize(4000, 1000, sizes)).toBe(4000);
  });

  it('one slower than 1 s is followed by one half its size, never less than the first', () => {
    expect(nextBatchSize(8000, 1001, sizes)).toBe(4000);
    expect(nextBatchSize(700, 5000, sizes)).toBe(500);
    expect(nextBatchSize(500, 5000, sizes)).toBe(500);
  });

  it('the defaults start at 500 and grow to at most 8,000', () => {
    expect(DEFAULT_BATCH_SIZES.first).toBe(500);
    let size = DEFAULT_BATCH_SIZES.first;
    for (let i = 0; i < 10; i += 1) size = nextBatchSize(size, 1, DEFAULT_BATCH_SIZES);
    expect(size).toBe(8000);
  });
});
