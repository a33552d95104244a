// Schedule math: when the next beat is expected, how long the grace is, how long a run may take.
import { describe, expect, it } from 'vitest';
import { describeExpectation, formatDuration, graceMs, nextTick, periodAt, runLimitMs, validateSchedule } from '../../src/core/index.js';
import { cron, DAY, HOUR, MIN, SEC, t, timing } from './harness.js';

describe('interval schedules', () => {
  const every5m = { kind: 'interval', period_s: 300 } as const;

  it('expect the next beat one period after the given time', () => {
    expect(nextTick(every5m, t('2026-01-10T12:00:00Z'))).toBe(t('2026-01-10T12:05:00Z'));
    expect(nextTick(every5m, t('2026-01-10T12:03:17Z'))).toBe(t('2026-01-10T12:08:17Z'));
  });

  it('have the same period everywhere', () => {
    expect(periodAt(every5m, t('2026-03-29T01:00:00Z'))).toBe(5 * MIN);
    expect(periodAt(every5m, t('2026-10-25T01:00:00Z'))).toBe(5 * MIN);
  });

  it('are described by their period in a reason', () => {
    expect(describeExpectation(every5m)).toBe('5m');
    expect(describeExpectation({ kind: 'interval', period_s: 90 })).toBe('1m30s');
    expect(describeExpectation({ kind: 'interval', period_s: 86400 })).toBe('1d');
  });

  it('must be between one second and a year long', () => {
    expect(validateSchedule(every5m)).toBeNull();
    expect(validateSchedule({ kind: 'interval', period_s: 0 })).toMatch(/at least 1 second/);
    expect(validateSchedule({ kind: 'interval', period_s: Number.NaN })).toMatch(/at least 1 second/);
    expect(validateSchedule({ kind: 'interval', period_s: 367 * 86400 })).toMatch(/at most a year/);
  });
});

describe('cron schedules', () => {
  const nightlyBerlin = { kind: 'cron', expr: '0 2 * * *', tz: 'Europe/Berlin' } as const;

  it("expect the first tick strictly after the given time, in the check's time zone", () => {
    // January: Berlin is UTC+1, so 02:00 local is 01:00Z.
    expect(nextTick(nightlyBerlin, t('2026-01-10T12:00:00Z'))).toBe(t('2026-01-11T01:00:00Z'));
    // July: Berlin is UTC+2, so 02:00 local is 00:00Z.
    expect(nextTick(nightlyBerlin, t('2026-07-10T12:00:00Z'))).toBe(t('2026-07-11T00:00:00Z'));
  });

  it('never return the given time itself, even when it is a tick', () => {
    expect(nextTick(nightlyBerlin, t('2026-01-11T01:00:00Z'))).toBe(t('2026-01-12T01:00:00Z'));
    expect(nextTick(nightlyBerlin, t('2026-01-11T00:59:59.999Z'))).toBe(t('2026-01-11T01:00:00Z'));
  });

  it('read the expression in the named zone, not in UTC', () => {
    const utc = { kind: 'cron', expr: '0 2 * * *', tz: 'UTC' } as const;
    const newYork = { kind: 'cron', expr: '0 2 * * *', tz: 'America/New_York' } as const;
    const from = t('2026-01-10T12:00:00Z');
    expect(nextTick(utc, from)).toBe(t('2026-01-11T02:00:00Z'));
    expect(nextTick(newYork, from)).toBe(t('2026-01-11T07:00:00Z'));
  });

  it('have as period the gap since the tick before, which varies for irregular expressions', () => {
    const weekdays = { kind: 'cron', expr: '0 9 * * 1-5', tz: 'UTC' } as const;
    expect(periodAt(weekdays, t('2026-01-08T09:00:00Z'))).toBe(DAY); // Wednesday → Thursday
    expect(periodAt(weekdays, t('2026-01-12T09:00:00Z'))).toBe(3 * DAY); // Friday → Monday
    expect(periodAt(nightlyBerlin, t('2026-01-11T01:00:00Z'))).toBe(DAY);
  });

  it('have a 23-hour day after spring forward and a 25-hour day after fall back', () => {
    // 2026-03-29: 02:00 CET does not exist; the job runs at 03:00 CEST (01:00Z), then at 02:00 CEST (00:00Z)
    // the next day: the beat of 03-30 follows a 23-hour gap.
    expect(periodAt(nightlyBerlin, t('2026-03-30T00:00:00Z'))).toBe(23 * HOUR);
    // 2026-10-25: 02:00 happens twice; the job runs once, at the first (02:00 CEST = 00:00Z); the beat of
    // 10-26 (02:00 CET = 01:00Z) follows a 25-hour gap.
    expect(periodAt(nightlyBerlin, t('2026-10-26T01:00:00Z'))).toBe(25 * HOUR);
  });

  it('are described by expression and zone in a reason', () => {
    expect(describeExpectation(nightlyBerlin)).toBe('cron "0 2 * * *" Europe/Berlin');
  });

  it('are validated: five fields, a known IANA zone, an expression that fires', () => {
    expect(validateSchedule(nightlyBerlin)).toBeNull();
    expect(validateSchedule({ kind: 'cron', expr: '*/15 * * * 1-5', tz: 'America/New_York' })).toBeNull();
    expect(validateSchedule({ kind: 'cron', expr: '0 2 * * *', tz: 'Mars/Olympus' })).toMatch(/unknown time zone "Mars\/Olympus"/);
    expect(validateSchedule({ kind: 'cron', expr: '0 2 * *', tz: 'UTC' })).toMatch(/5 fields/);
    expect(validateSchedule({ kind: 'cron', expr: '0 0 2 * * *', tz: 'UTC' })).toMatch(/5 fields/);
    expect(validateSchedule({ kind: 'cron', expr: '0 25 * * *', tz: 'UTC' })).toMatch(/invalid cron expression/);
    expect(validateSchedule({ kind: 'cron', expr: 'banana 2 * * *', tz: 'UTC' })).toMatch(/invalid cron expression/);
  });
});

describe('grace', () => {
  const someTick = t('2026-01-10T12:00:00Z');

  it('is grace_s when given, including zero', () => {
    expect(graceMs(timing({ grace_s: 90 }), someTick)).toBe(90 * SEC);
    expect(graceMs(timing({ grace_s: 0 }), someTick)).toBe(0);
  });

  it('is period × (multiplier − 1) with grace_multiplier, so the deadline is period × multiplier', () => {
    const tenMinutes = timing({ schedule: { kind: 'interval', period_s: 600 }, grace_s: null, grace_multiplier: 1.5 });
    expect(graceMs(tenMinutes, someTick)).toBe(5 * MIN);
    expect(graceMs({ ...tenMinutes, grace_multiplier: 2 }, someTick)).toBe(10 * MIN);
    expect(graceMs({ ...tenMinutes, grace_multiplier: 1 }, someTick)).toBe(0);
  });

  it('never goes negative, whatever the multiplier', () => {
    const odd = timing({ grace_s: null, grace_multiplier: 0.5 });
    expect(graceMs(odd, someTick)).toBe(0);
  });

  it('follows the cron period at that tick when given as a multiplier', () => {
    const hourly = cron('0 * * * *', 'UTC', { grace_s: null, grace_multiplier: 1.25 });
    expect(graceMs(hourly, t('2026-01-10T12:00:00Z'))).toBe(15 * MIN);
    const nightly = cron('0 2 * * *', 'Europe/Berlin', { grace_s: null, grace_multiplier: 1.5 });
    expect(graceMs(nightly, t('2026-01-11T01:00:00Z'))).toBe(12 * HOUR);
  });

  it('is five minutes for a check that names neither grace_s nor grace_multiplier (docs/design-notes.md)', () => {
    expect(graceMs(timing({ grace_s: null, grace_multiplier: null }), someTick)).toBe(5 * MIN);
  });
});

describe('run time limit', () => {
  const start = t('2026-01-10T12:00:07Z');

  it('is max_runtime_s when set', () => {
    expect(runLimitMs(timing({ max_runtime_s: 1800, grace_s: 60 }), start)).toBe(30 * MIN);
  });

  it('falls back to the grace period when max_runtime_s is unset', () => {
    expect(runLimitMs(timing({ max_runtime_s: null, grace_s: 60 }), start)).toBe(MIN);
    expect(runLimitMs(timing({ max_runtime_s: null, grace_s: null }), start)).toBe(5 * MIN);
  });

  it('does not shrink for a cron run that starts just before a tick (multiplier grace)', () => {
    // An hourly job with half a period of grace may run 30 minutes, whenever in the hour it starts.
    const hourly = cron('0 * * * *', 'UTC', { grace_s: null, grace_multiplier: 1.5 });
    expect(runLimitMs(hourly, t('2026-01-10T12:00:05Z'))).toBe(30 * MIN);
    expect(runLimitMs(hourly, t('2026-01-10T12:59:58Z'))).toBe(30 * MIN);
  });
});

describe('durations in sentences', () => {
  it('are written the way people write them', () => {
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1000)).toBe('1s');
    expect(formatDuration(90 * SEC)).toBe('1m30s');
    expect(formatDuration(5 * MIN)).toBe('5m');
    expect(formatDuration(HOUR)).toBe('1h');
    expect(formatDuration(DAY + 2 * HOUR + 3 * MIN + 4 * SEC)).toBe('1d2h3m4s');
  });
});
