// The "Last 24 hours" card's totals name what each number counts.
import { describe, expect, it } from 'vitest';
import type { Stats } from '../src/api/types';
import { statTotals } from '../src/format/stat-totals';

const stats = (buckets: Array<Partial<Stats['buckets'][number]>>): Stats => ({
  from: '',
  to: '',
  bucket_s: 3600,
  uptime: null,
  buckets: buckets.map((b, i) => ({ at: String(i), expected: 0, runs: 0, fails: 0, completes: 0, signals: 0, ...b })),
});

describe('the last 24 hours in numbers', () => {
  it('says which beats were expected and what arrived, and runs only when there were any', () => {
    expect(
      statTotals(
        stats([
          { expected: 12, completes: 6, fails: 0 },
          { expected: 11.6, completes: 0, fails: 3 },
        ]),
      ),
    ).toBe('24 beats expected · 6 successes · 3 failures');
  });

  it('counts runs as runs started, apart from the successes (a success needs no run)', () => {
    expect(statTotals(stats([{ expected: 1, completes: 6, runs: 3, fails: 1 }]))).toBe(
      '1 beat expected · 6 successes · 1 failure · 3 runs started',
    );
  });
});
