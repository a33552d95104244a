// Learned schedules (issue 16): a check created by a ping (?create=1, Cronitor, Sentry, Hexcovery) starts on a guessed
// daily schedule; from its first beats we propose the real one: a cron expression when the beats sit on wall-clock
// marks (every hour at :00, daily at 02:00), else an interval rounded to a period people use. Pure: beats and zone in.
import type { Schedule } from './types.js';
import { formatDuration } from './durations.js';

/** Fewer beats than this are not evidence of anything. */
export const MIN_BEATS = 4;
/** How far (relative) a gap between beats may stray from the typical gap before the beats count as irregular. */
const GAP_TOLERANCE = 0.15;
/** Periods people configure (seconds); the typical gap snaps to the nearest within 10 %. */
const ROUND_PERIODS = [
  10, 15, 20, 30, 60, 120, 180, 240, 300, 360, 600, 720, 900, 1200, 1800, 3600, 7200, 10800, 14400, 21600, 28800, 43200, 86400, 172800,
  604800,
];
/** Periods a cron expression can say (they divide an hour, a day or are a week). */
const WALL_PERIODS = new Set([
  60, 120, 180, 240, 300, 360, 600, 720, 900, 1200, 1800, 3600, 7200, 10800, 14400, 21600, 28800, 43200, 86400, 604800,
]);
/** Wall-clock marks are whole multiples of five minutes (of the period itself when it is shorter). */
const MARK_S = 300;
/** A beat counts as on its mark within this much (and a tenth of the period for short periods): job start-up and runtime. */
const MARK_TOLERANCE_S = 120;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface ScheduleProposal {
  schedule: Schedule;
  /** What the schedule means, in words: "every hour at :00", "every day at 02:00", "every 10m". */
  sentence: string;
  /** Why: the evidence it comes from. */
  explanation: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Seconds since local midnight and the local weekday (0 = Sunday) of `at` in `tz`. */
function localTime(at: number, tz: string): { secondOfDay: number; weekday: number } {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday);
  return { secondOfDay: Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second), weekday };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The typical gap (seconds) as a period people use: the nearest round period within 10 %, else whole minutes (seconds under 2 min). */
export function roundPeriod(gapS: number): number {
  let best = ROUND_PERIODS[0];
  for (const p of ROUND_PERIODS) if (Math.abs(gapS - p) < Math.abs(gapS - best)) best = p;
  if (Math.abs(gapS - best) <= best * 0.1) return best;
  return gapS < 120 ? Math.max(1, Math.round(gapS)) : Math.round(gapS / 60) * 60;
}

/** `x` into (-period/2, period/2]: the signed distance on a circle. */
function signedMod(x: number, period: number): number {
  const m = ((x % period) + period) % period;
  return m > period / 2 ? m - period : m;
}

const pad = (n: number) => String(n).padStart(2, '0');

function listSentence(items: string[]): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The cron expression and its sentence for beats `mark` seconds into each `period` of local time. */
function cronFor(period: number, mark: number, tz: string): { schedule: Schedule; sentence: string } {
  const minute = Math.floor(mark / 60) % 60;
  const hour = Math.floor(mark / 3600) % 24;
  let expr: string;
  let sentence: string;
  if (period < 3600) {
    const k = period / 60;
    const minutes: number[] = [];
    for (let m = Math.floor(mark / 60); m < 60; m += k) minutes.push(m);
    expr = k === 1 ? '* * * * *' : `${minutes[0] === 0 ? `*/${k}` : minutes.join(',')} * * * *`;
    sentence =
      k === 1
        ? 'every minute'
        : minutes.length <= 6
          ? `every ${k} minutes at ${listSentence(minutes.map((m) => `:${pad(m)}`))}`
          : `every ${k} minutes from :${pad(minutes[0])}`;
  } else if (period === 3600) {
    expr = `${minute} * * * *`;
    sentence = `every hour at :${pad(minute)}`;
  } else if (period < 86400) {
    const k = period / 3600;
    const hours: number[] = [];
    for (let h = hour; h < 24; h += k) hours.push(h);
    expr = `${minute} ${hour === 0 ? `*/${k}` : hours.join(',')} * * *`;
    sentence = `every ${k} hours at ${listSentence(hours.map((h) => `${pad(h)}:${pad(minute)}`))}`;
  } else if (period === 86400) {
    expr = `${minute} ${hour} * * *`;
    sentence = `every day at ${pad(hour)}:${pad(minute)}`;
  } else {
    const day = Math.floor(mark / 86400);
    expr = `${minute} ${hour} * * ${day}`;
    sentence = `every ${WEEKDAYS[day]} at ${pad(hour)}:${pad(minute)}`;
  }
  return { schedule: { kind: 'cron', expr, tz }, sentence: tz === 'UTC' ? sentence : `${sentence} (${tz})` };
}

/**
 * The schedule `beats` (epoch ms, any order) suggest, read in time zone `tz`; null when there is not enough evidence:
 * fewer than MIN_BEATS beats, or gaps that stray more than 15 % from the typical gap.
 */
export function proposeSchedule(beats: readonly number[], tz: string): ScheduleProposal | null {
  const sorted = [...beats].sort((a, b) => a - b);
  if (sorted.length < MIN_BEATS) return null;
  const gaps = sorted.slice(1).map((b, i) => (b - sorted[i]) / 1000);
  const gap = median(gaps);
  if (gap < 5 || gaps.some((g) => Math.abs(g - gap) > gap * GAP_TOLERANCE)) return null;
  const period = roundPeriod(gap);
  const n = sorted.length;
  const evidence = `its last ${n} pings came about ${formatDuration(period * 1000)} apart`;

  if (WALL_PERIODS.has(period)) {
    // Where each beat falls in its period of local time; a week's period counts from Sunday 00:00.
    const phases = sorted.map((at) => {
      const { secondOfDay, weekday } = localTime(at, tz);
      return (period === 604800 ? weekday * 86400 + secondOfDay : secondOfDay) % period;
    });
    const typical = phases[0] + median(phases.map((p) => signedMod(p - phases[0], period)));
    const step = Math.min(MARK_S, period);
    const mark = (((Math.round(typical / step) * step) % period) + period) % period;
    const tolerance = Math.min(MARK_TOLERANCE_S, period / 10);
    const offsets = phases.map((p) => Math.abs(signedMod(p - mark, period)));
    const worst = Math.max(...offsets);
    if (worst <= tolerance) {
      const { schedule, sentence } = cronFor(period, mark, tz);
      return {
        schedule,
        sentence,
        explanation: `Proposed because ${evidence}, each within ${formatDuration(Math.max(1000, worst * 1000))} of the mark.`,
      };
    }
  }
  return {
    schedule: { kind: 'interval', period_s: period },
    sentence: `every ${formatDuration(period * 1000)}`,
    explanation: `Proposed because ${evidence}, not on a wall-clock mark.`,
  };
}

/** Whether two schedules say the same thing (a proposal equal to the current schedule is not worth showing). */
export function sameSchedule(a: Schedule, b: Schedule): boolean {
  if (a.kind === 'interval' || b.kind === 'interval')
    return a.kind === b.kind && (a as { period_s: number }).period_s === (b as { period_s: number }).period_s;
  return a.kind === b.kind && a.expr === b.expr && a.tz === b.tz;
}
