// Status periods over a time range, and uptime, from a check's flips. Pure.
import type { Status } from './types.js';

export interface Period {
  status: Status;
  from: number;
  to: number;
}

/** Periods covering [from, to): `initial` holds at `from`, then each flip (oldest first) starts a new period. */
export function timeline(initial: Status, flips: Array<{ at: number; to: Status }>, from: number, to: number): Period[] {
  const periods: Period[] = [];
  let status = initial;
  let start = from;
  for (const flip of flips) {
    if (flip.at < from || flip.at >= to) continue;
    if (flip.at > start) periods.push({ status, from: start, to: flip.at });
    status = flip.to;
    start = flip.at;
  }
  if (to > start) periods.push({ status, from: start, to });
  // Adjacent periods of one status (a flip late→late does not exist, but down→paused→down may clip) merge.
  return periods.reduce<Period[]>((merged, p) => {
    const last = merged[merged.length - 1];
    if (last && last.status === p.status && last.to === p.from) last.to = p.to;
    else merged.push({ ...p });
    return merged;
  }, []);
}

/** Share of monitored time (up, late or down) that was not down; null when nothing was monitored. */
export function uptime(periods: Period[]): number | null {
  let monitored = 0;
  let down = 0;
  for (const p of periods) {
    if (p.status === 'new' || p.status === 'paused') continue;
    monitored += p.to - p.from;
    if (p.status === 'down') down += p.to - p.from;
  }
  return monitored === 0 ? null : (monitored - down) / monitored;
}
