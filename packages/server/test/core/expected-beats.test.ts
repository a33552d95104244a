// Expected beats per bucket: the one-pass count agrees with walking croner tick by tick, in any zone, across DST.
import { describe, expect, it } from 'vitest';
import { expectedBeats, expectedBeatsPerBucket, nextTick, type Schedule } from '../../src/core/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const cron = (expr: string, tz = 'UTC'): Schedule => ({ kind: 'cron', expr, tz });

/** The reference: every tick croner gives, put in its bucket. */
function walked(schedule: Schedule, from: number, to: number, bucket: number, countFrom = from): number[] {
  const counts = new Array<number>(Math.ceil((to - from) / bucket)).fill(0);
  for (let t = nextTick(schedule, Math.max(from, countFrom) - 1); t < to; t = nextTick(schedule, t))
    counts[Math.floor((t - from) / bucket)] += 1;
  return counts;
}

describe('expected beats per bucket', () => {
  it('a minutely cron over 90 days expects 1,440 beats a day', () => {
    const from = Date.UTC(2026, 0, 1);
    const counts = expectedBeatsPerBucket(cron('* * * * *'), from, from + 90 * DAY, DAY);
    expect(counts).toHaveLength(90);
    expect(counts.every((n) => n === 1440)).toBe(true);
  });

  it('counts ticks, not the range: a cron at 02:30 on weekdays expects one beat per weekday', () => {
    const from = Date.UTC(2026, 2, 2); // a Monday
    expect(expectedBeatsPerBucket(cron('30 2 * * 1-5'), from, from + 14 * DAY, 7 * DAY)).toEqual([5, 5]);
  });

  it('buckets that do not start on the hour and a short last bucket', () => {
    const s = cron('*/7 * * * *');
    const from = Date.UTC(2026, 4, 3, 10, 3, 17, 250);
    const to = from + 5 * DAY + 1234567;
    expect(expectedBeatsPerBucket(s, from, to, 37 * 60_000 + 11)).toEqual(walked(s, from, to, 37 * 60_000 + 11));
  });

  it('beats before the check existed are not expected', () => {
    const s = cron('0 * * * *');
    const from = Date.UTC(2026, 0, 1);
    expect(expectedBeatsPerBucket(s, from, from + 4 * DAY, DAY, from + 2 * DAY + 30 * 60_000)).toEqual([0, 0, 23, 24]);
  });

  it.each([
    ['*/5 * * * *', 'Europe/Berlin', Date.UTC(2026, 2, 27)], // spring forward: 02:00–03:00 does not exist
    ['*/5 * * * *', 'Europe/Berlin', Date.UTC(2026, 9, 23)], // fall back: 02:00–03:00 happens twice
    ['30 2 * * *', 'Europe/Berlin', Date.UTC(2026, 2, 27)], // a fixed time inside the gap
    ['30 2 * * *', 'Europe/Berlin', Date.UTC(2026, 9, 23)], // a fixed time inside the overlap
    ['* 1-3 * * *', 'America/New_York', Date.UTC(2026, 2, 6)],
    ['0,15,30,45 * * * *', 'Asia/Kathmandu', Date.UTC(2026, 5, 1)],
    ['10 */3 * * *', 'America/St_Johns', Date.UTC(2026, 10, 29)],
    ['0 9 L * *', 'UTC', Date.UTC(2026, 0, 1)],
    ['0 9 15W * *', 'UTC', Date.UTC(2026, 0, 1)],
    ['0 9 * * 5#2', 'UTC', Date.UTC(2026, 0, 1)],
    ['0 9 * * 5L', 'UTC', Date.UTC(2026, 0, 1)],
    ['0 9 1,15 * MON', 'UTC', Date.UTC(2026, 0, 1)], // day OR weekday, as cron has it
    ['0 0 29 2 *', 'UTC', Date.UTC(2027, 0, 1)],
    ['0 12 * JAN,JUL *', 'Australia/Lord_Howe', Date.UTC(2026, 0, 1)],
  ])('%s in %s agrees with croner tick by tick', (expr, tz, from) => {
    const s = cron(expr, tz);
    const span = /^[0-9]/.test(expr) && !expr.startsWith('0,') ? 400 * DAY : 5 * DAY;
    const bucket = span > 5 * DAY ? 7 * DAY : HOUR;
    expect(expectedBeatsPerBucket(s, from, from + span, bucket)).toEqual(walked(s, from, from + span, bucket));
  });

  it('an interval expects a fraction of a beat per bucket', () => {
    expect(expectedBeatsPerBucket({ kind: 'interval', period_s: 3600 }, 0, 2 * HOUR, 30 * 60_000)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(expectedBeats({ kind: 'interval', period_s: 3600 }, 0, 3 * HOUR)).toBe(3);
  });
});

describe('expected beats across DST for patterns of every hour', () => {
  it.each([
    ['* * * * 1-5', 'Europe/Berlin', Date.UTC(2026, 2, 20)],
    ['*/10 * 29 3 *', 'Europe/Berlin', Date.UTC(2026, 2, 27)],
    ['*/15 * * * 0', 'Australia/Lord_Howe', Date.UTC(2026, 3, 1)],
    ['0 * * * 6', 'America/New_York', Date.UTC(2026, 9, 28)],
  ])('%s in %s agrees with croner tick by tick', (expr, tz, from) => {
    const s = cron(expr, tz);
    expect(expectedBeatsPerBucket(s, from, from + 14 * DAY, 6 * HOUR)).toEqual(walked(s, from, from + 14 * DAY, 6 * HOUR));
  });
});
