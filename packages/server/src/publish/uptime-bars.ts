// Daily uptime bars for a status page, from a check's status periods (core/timeline.ts). Pure.
import { uptime, type Period, DAY_MS } from '../core/index.js';

export interface DayBar {
  /** Start of the UTC day. */
  day: number;
  /** Share of the monitored part of the day that was not down; null when nothing was monitored. */
  uptime: number | null;
  downMs: number;
}

export const startOfUtcDay = (at: number) => Math.floor(at / DAY_MS) * DAY_MS;

/** The periods clipped to [from, to). */
function clipped(periods: Period[], from: number, to: number): Period[] {
  return periods.filter((p) => p.to > from && p.from < to).map((p) => ({ ...p, from: Math.max(p.from, from), to: Math.min(p.to, to) }));
}

/** One bar per UTC day, oldest first, the last being the day that contains `now` (up to now). */
export function dailyBars(periods: Period[], now: number, days: number): DayBar[] {
  const today = startOfUtcDay(now);
  const bars: DayBar[] = [];
  for (let i = days - 1; i >= 0; i -= 1) {
    const day = today - i * DAY_MS;
    const inDay = clipped(periods, day, Math.min(day + DAY_MS, now));
    const downMs = inDay.filter((p) => p.status === 'down').reduce((sum, p) => sum + (p.to - p.from), 0);
    bars.push({ day, uptime: uptime(inDay), downMs });
  }
  return bars;
}
