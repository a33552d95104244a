// A run in progress: how an open run interacts with the schedule, pauses and re-timing.
import { describe, expect, it } from 'vitest';
import { graceMs } from '../../src/core/index.js';
import { cron, DAY, HOUR, MIN, t, timing, World } from './harness.js';

describe('a run in progress suspends the schedule', () => {
  it('a nightly job that starts on time and runs 40 minutes, with 10 minutes grace and 2 hours max runtime, never goes late or down', () => {
    const w = new World(cron('0 2 * * *', 'UTC', { grace_s: 600, max_runtime_s: 2 * 3600 }), t('2026-05-01T12:00:00Z'));
    w.send('success', {}, t('2026-05-01T12:00:00Z'));
    for (let day = 2; day <= 8; day++) {
      const tick = t(`2026-05-0${day}T02:00:00Z`);
      w.send('start', {}, tick + 5_000);
      w.send('success', {}, tick + 40 * MIN);
    }
    expect(w.story()).toEqual(['2026-05-01T12:00:00.000Z new→up']);
  });

  it('the run hanging past its max runtime is what brings the check down, and the reason says so', () => {
    const w = new World(cron('0 2 * * *', 'UTC', { grace_s: 600, max_runtime_s: 3600 }), t('2026-05-01T12:00:00Z'));
    w.send('success', {}, t('2026-05-01T12:00:00Z'));
    w.send('start', {}, t('2026-05-02T02:00:05Z'));
    w.advanceTo(t('2026-05-02T03:00:04Z'));
    expect(w.status).toBe('up');
    w.advanceTo(t('2026-05-02T03:00:05Z'));
    expect(w.status).toBe('down');
    expect(w.lastFlip?.reason).toMatch(/^run started at 2026-05-02T02:00:05.000Z did not finish within 1h \(max runtime\)/);
  });

  it('an interval job whose run outlasts a period is not counted as missing beats while it runs', () => {
    const w = new World(timing({ max_runtime_s: 3 * 3600 }), t('2026-05-01T00:00:00Z'));
    w.send('success');
    w.send('start', {}, t('2026-05-01T00:05:00Z'));
    w.advanceTo(t('2026-05-01T02:00:00Z'));
    expect(w.status).toBe('up');
    expect(w.state.consecutive_failures).toBe(0);
    w.send('success');
    expect(w.state.expected_at).toBe(t('2026-05-01T02:05:00Z'));
  });
});

describe('pausing and resuming abandon open runs', () => {
  it('a run open when the check is paused does not time out the moment the check is resumed a day later', () => {
    const w = new World(timing({ max_runtime_s: 600 }), t('2026-05-01T00:00:00Z'));
    w.send('success');
    w.send('start', {}, t('2026-05-01T00:05:00Z'));
    w.pause();
    expect(w.openRuns()).toEqual([]);
    w.advanceTo(t('2026-05-02T00:00:00Z'));
    w.resume();
    w.advanceTo(t('2026-05-02T00:04:59Z'));
    expect(w.status).toBe('up');
    expect(w.flips.filter((f) => f.alert)).toEqual([]);
  });
});

describe('re-timing', () => {
  it('turning on alert_before_first_ping for a month-old check that never pinged counts from now, not from its creation', () => {
    const created = t('2026-04-01T00:00:00Z');
    const w = new World(timing(), created);
    w.advanceTo(created + 30 * DAY);
    w.retime(timing({ alert_before_first_ping: true }));
    expect(w.state.expected_at).toBe(created + 30 * DAY + 5 * MIN);
    w.advanceTo(created + 30 * DAY + 5 * MIN + 59_000);
    expect(w.status).toBe('late');
    expect(w.flips.filter((f) => f.alert)).toEqual([]);
  });
});

describe('a grace multiplier on an irregular cron schedule', () => {
  it("scales with the gap before each beat: a weekday job's Monday beat gets three days' worth, Friday's one day's", () => {
    const weekdays = cron('0 9 * * 1-5', 'UTC', { grace_s: null, grace_multiplier: 1.1 });
    expect(graceMs(weekdays, t('2026-05-08T09:00:00Z'))).toBe(0.1 * DAY); // Friday
    expect(graceMs(weekdays, t('2026-05-11T09:00:00Z'))).toBe(Math.round(0.3 * DAY)); // Monday
    expect(graceMs(weekdays, t('2026-05-11T09:00:00Z'))).toBeGreaterThan(7 * HOUR);
  });
});
