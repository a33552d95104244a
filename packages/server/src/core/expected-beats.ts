// How many beats a schedule expects in each bucket of a range, counted in one pass. Pure (Intl for zone offsets).
//
// Walking cron ticks with croner costs ~70 µs a tick: a minutely cron over 90 days would block the event loop for
// seconds. Instead the range is cut into UTC quarter hours (every zone offset and every DST transition in use falls
// on one), each quarter hour is mapped to local time once and its ticks are counted from the pattern's minute
// table. Only for patterns that name hours is the hour around a DST transition (times repeated or skipped) left
// to croner, within a step budget, so the count matches what the scheduler does there.
import { CronPattern } from 'croner';
import type { Schedule } from './types.js';
import { nextTick } from './schedule.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './durations.js';

const SLOT = 15 * MINUTE_MS;
/** Croner steps one call may take (around DST transitions, or for an odd pattern): tens of ms at most. */
export const CRON_WALK_BUDGET = 300;

type Pattern = CronPattern;
const patterns = new Map<string, Pattern>();
const formatters = new Map<string, Intl.DateTimeFormat>();

function patternFor(expr: string, tz: string): Pattern {
  const key = `${tz}\u0000${expr}`;
  let pattern = patterns.get(key);
  if (!pattern) {
    pattern = new CronPattern(expr, tz);
    if (patterns.size > 10_000) patterns.clear();
    patterns.set(key, pattern);
  }
  return pattern;
}

/** The zone's offset from UTC at `t`, in ms (local = utc + offset). */
function offsetAt(tz: string, t: number): number {
  let format = formatters.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
  return local - Math.floor(t / 1000) * 1000;
}

interface Transition {
  at: number;
  before: number;
  after: number;
}

/** Offset changes in [from, to): the zone sampled daily, each change pinned to its quarter hour. */
function transitionsIn(tz: string, from: number, to: number): Transition[] {
  const found: Transition[] = [];
  let t = Math.floor(from / DAY_MS) * DAY_MS;
  let offset = offsetAt(tz, t);
  for (; t < to; t += DAY_MS) {
    const next = offsetAt(tz, t + DAY_MS);
    if (next !== offset) {
      let lo = t; // offset at lo is `offset`, at hi is `next`
      let hi = t + DAY_MS;
      while (hi - lo > SLOT) {
        const mid = lo + Math.floor((hi - lo) / 2 / SLOT) * SLOT;
        if (offsetAt(tz, mid) === offset) lo = mid;
        else hi = mid;
      }
      found.push({ at: hi, before: offset, after: next });
      offset = next;
    }
  }
  return found;
}

function lastDayOfMonth(y: number, m0: number): number {
  return new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();
}

function weekday(y: number, m0: number, d: number): number {
  return new Date(Date.UTC(y, m0, d)).getUTCDay();
}

/** Whether the pattern's day fields accept the local date: croner's own rule (L, W, #, and OR of day and weekday). */
function dayMatches(p: Pattern, y: number, m0: number, d: number): boolean {
  if (!p.month[m0]) return false;
  let dom = Boolean(p.day[d - 1]);
  const last = lastDayOfMonth(y, m0);
  if (!dom) {
    for (let n = 1; n <= 31 && !dom; n += 1) {
      if (!p.nearestWeekdays[n - 1] || n > last) continue;
      const wd = weekday(y, m0, n);
      const nearest = wd === 0 ? (n === last ? n - 2 : n + 1) : wd === 6 ? (n === 1 ? n + 2 : n - 1) : n;
      dom = nearest === d;
    }
  }
  if (p.lastWeekday) {
    const wd = weekday(y, m0, last);
    if (d === (wd === 0 ? last - 2 : wd === 6 ? last - 1 : last)) dom = true;
  }
  if (p.lastDayOfMonth && d === last) dom = true;
  if (p.starDOW) return dom;
  const bits = p.dayOfWeek[weekday(y, m0, d)];
  // 63: any such weekday; 1..16: the nth of the month; 32: the last of the month.
  const nth = Math.floor((d - 1) / 7);
  const dow = bits !== 0 && ((bits & 31 & (1 << nth)) !== 0 || ((bits & 32) !== 0 && d + 7 > last));
  if (p.useAndLogic || p.starDOM) return dom && dow;
  return dom || dow;
}

/**
 * Beats expected per bucket: buckets of `bucket` ms from `from` up to `to` (the last may be shorter); beats before
 * `countFrom` (the check's creation) are not expected. Intervals give fractions; cron counts ticks.
 */
export function expectedBeatsPerBucket(schedule: Schedule, from: number, to: number, bucket: number, countFrom = from): number[] {
  const counts = new Array<number>(Math.max(0, Math.ceil((to - from) / bucket))).fill(0);
  const start = Math.max(from, countFrom);
  if (start >= to) return counts;
  const add = (a: number, b: number, each: (a: number, b: number, i: number) => number): void => {
    // [a, b) cut at bucket edges
    for (let s = a; s < b;) {
      const i = Math.floor((s - from) / bucket);
      const e = Math.min(b, from + (i + 1) * bucket);
      counts[i] += each(s, e, i);
      s = e;
    }
  };
  if (schedule.kind === 'interval') {
    add(start, to, (a, b) => Math.round(((b - a) / (schedule.period_s * 1000)) * 100) / 100);
    return counts;
  }
  let budget = CRON_WALK_BUDGET;
  const walk = (a: number, b: number): void => {
    for (let t = nextTick(schedule, a - 1); t < b && budget > 0; t = nextTick(schedule, t), budget -= 1) {
      counts[Math.floor((t - from) / bucket)] += 1;
    }
  };
  const pattern = patternFor(schedule.expr, schedule.tz);
  const secondZeroOnly = pattern.second[0] && pattern.second.every((v, i) => i === 0 || !v);
  const transitions = transitionsIn(schedule.tz, start - DAY_MS, to + DAY_MS);
  const offsetsOk = transitions.every((x) => x.before % SLOT === 0 && x.after % SLOT === 0) && offsetAt(schedule.tz, start) % SLOT === 0;
  if (!secondZeroOnly || !offsetsOk) {
    walk(start, to);
    return counts;
  }
  // Ticks per local minute-of-hour prefix: minutesBefore[m] = ticks in minutes [0, m).
  const minutesBefore = [0];
  for (let m = 0; m < 60; m += 1) minutesBefore.push(minutesBefore[m] + (pattern.minute[m] ? 1 : 0));
  // Where a pattern names hours, a skipped or repeated hour is resolved as croner does (a fixed time fires once):
  // croner owns the hour on each side of a transition. A pattern for every hour counts each matching instant.
  const everyHour = pattern.hour.every(Boolean);
  const windows = (everyHour ? [] : transitions).map((x) => {
    const span = Math.max(Math.abs(x.after - x.before), SLOT);
    return { from: x.at - span, to: x.at + span, offsetBefore: x.before, offsetAfter: x.after, at: x.at };
  });
  let w = 0;
  let x = 0; // the next transition: the zone's offset changes there
  while (x < transitions.length && transitions[x].at <= start) x += 1;
  let offset = offsetAt(schedule.tz, start);
  let dayIndex = NaN;
  let dayOk = false;
  const ticksIn = (slot: number, minute0: number, a: number, b: number): number => {
    const k0 = Math.ceil((a - slot) / MINUTE_MS);
    const k1 = Math.min(15, Math.ceil((b - slot) / MINUTE_MS));
    return k1 > k0 ? minutesBefore[minute0 + k1] - minutesBefore[minute0 + k0] : 0;
  };
  for (let slot = Math.floor(start / SLOT) * SLOT; slot < to; slot += SLOT) {
    while (x < transitions.length && transitions[x].at <= slot) {
      offset = transitions[x].after;
      x += 1;
    }
    while (w < windows.length && windows[w].to <= slot) w += 1;
    const win = windows[w];
    if (win && slot >= win.from && budget > 0) {
      walk(Math.max(win.from, start), Math.min(win.to, to));
      slot = win.to - SLOT;
      continue;
    }
    const local = slot + offset;
    const day = Math.floor(local / DAY_MS);
    if (day !== dayIndex) {
      dayIndex = day;
      const date = new Date(day * DAY_MS);
      dayOk = dayMatches(pattern, date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    }
    if (!dayOk) {
      // Straight to the next local day, unless the offset changes or croner takes over before it.
      const limit = Math.min(transitions[x]?.at ?? Infinity, win?.from ?? Infinity);
      const next = (day + 1) * DAY_MS - offset;
      if (next <= limit && next - SLOT > slot) slot = next - SLOT;
      continue;
    }
    const inDay = local - day * DAY_MS;
    if (!pattern.hour[Math.floor(inDay / HOUR_MS)]) continue;
    const minute0 = Math.floor((inDay % HOUR_MS) / MINUTE_MS);
    const a = Math.max(slot, start);
    const b = Math.min(slot + SLOT, to);
    const i = Math.floor((a - from) / bucket);
    if (b <= from + (i + 1) * bucket) counts[i] += ticksIn(slot, minute0, a, b);
    else add(a, b, (p, q) => ticksIn(slot, minute0, p, q));
  }
  return counts;
}

/** How many beats the schedule expects in [from, to). Intervals give a fraction; cron counts ticks. */
export function expectedBeats(schedule: Schedule, from: number, to: number): number {
  if (to <= from) return 0;
  return expectedBeatsPerBucket(schedule, from, to, to - from)[0];
}
