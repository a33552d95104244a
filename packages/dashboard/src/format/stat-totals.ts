// A check's last 24 hours in one line of numbers.
import type { Stats } from '../api/types';
import { count } from './time';

/** The day in numbers, each named for what it counts: beats the schedule expected, successes and failures received, runs started. */
export function statTotals(stats: Stats): string {
  const sum = (k: 'runs' | 'fails' | 'completes' | 'expected') => stats.buckets.reduce((a, b) => a + b[k], 0);
  const n = (value: number, one: string, many: string) => `${count(value)} ${value === 1 ? one : many}`;
  const parts = [
    `${n(Math.round(sum('expected')), 'beat', 'beats')} expected`,
    n(sum('completes'), 'success', 'successes'),
    n(sum('fails'), 'failure', 'failures'),
  ];
  if (sum('runs') > 0) parts.push(`${n(sum('runs'), 'run', 'runs')} started`);
  return parts.join(' · ');
}
