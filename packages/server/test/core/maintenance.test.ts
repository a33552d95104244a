// The pure maintenance-window and snooze rules: which windows cover a check at a moment, when the quiet ends.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  coveringEnd,
  maintenanceEndReason,
  maintenanceUntil,
  nextTick,
  nextWindowStart,
  snoozeEnd,
  snoozeOver,
  validateWindowTiming,
  windowApplies,
  type MaintenanceWindow,
  type WindowTiming,
} from '../../src/core/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (s: string) => Date.parse(s);
const nightly = (tz = 'UTC', duration_ms = HOUR): WindowTiming => ({ kind: 'recurring', cron: '0 2 * * *', tz, duration_ms });

/** Every occurrence start in (t − duration, t], found by walking forward with nextTick: independent of coveringEnd's search. */
function occurrencesCovering(timing: Extract<WindowTiming, { kind: 'recurring' }>, t: number): number[] {
  const starts: number[] = [];
  for (
    let s = nextTick({ kind: 'cron', expr: timing.cron, tz: timing.tz }, t - timing.duration_ms);
    s <= t;
    s = nextTick({ kind: 'cron', expr: timing.cron, tz: timing.tz }, s)
  )
    starts.push(s);
  return starts;
}

describe('a recurring window', () => {
  it('over 02:00–03:00 UTC covers 02:00 and 02:59:59.999, not 01:59:59.999 nor 03:00', () => {
    expect(coveringEnd(nightly(), at('2026-03-03T02:00:00Z'))).toBe(at('2026-03-03T03:00:00Z'));
    expect(coveringEnd(nightly(), at('2026-03-03T03:00:00Z') - 1)).toBe(at('2026-03-03T03:00:00Z'));
    expect(coveringEnd(nightly(), at('2026-03-03T02:00:00Z') - 1)).toBeNull();
    expect(coveringEnd(nightly(), at('2026-03-03T03:00:00Z'))).toBeNull();
  });

  it("covers a time iff some occurrence start ≤ t < start + duration, and then ends at the last such occurrence's end", () => {
    const timings = fc.record({
      cron: fc.constantFrom('0 2 * * *', '*/15 * * * *', '30 1 * * 0', '0 */6 * * 1-5', '45 2 1 * *'),
      tz: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'),
      duration_ms: fc.integer({ min: 1, max: 3 * 24 * 60 }).map((m) => m * MIN),
    });
    fc.assert(
      fc.property(timings, fc.integer({ min: at('2024-01-01T00:00:00Z'), max: at('2027-01-01T00:00:00Z') }), (w, t) => {
        const timing = { kind: 'recurring' as const, ...w };
        const starts = occurrencesCovering(timing, t);
        const end = coveringEnd(timing, t);
        if (starts.length === 0) return end === null;
        return end === Math.max(...starts) + timing.duration_ms;
      }),
      { numRuns: 300 },
    );
  });

  it('follows its zone across daylight saving: 02:00 Berlin is 01:00 UTC in winter and 00:00 UTC in summer', () => {
    const berlin = nightly('Europe/Berlin');
    expect(coveringEnd(berlin, at('2026-03-02T01:30:00Z'))).toBe(at('2026-03-02T02:00:00Z'));
    expect(coveringEnd(berlin, at('2026-07-02T00:30:00Z'))).toBe(at('2026-07-02T01:00:00Z'));
    expect(coveringEnd(berlin, at('2026-07-02T01:30:00Z'))).toBeNull();
  });

  it('on the spring-forward day, a window at a time that does not exist opens at the first valid minute after it', () => {
    // 2026-03-29 in Berlin: 02:00 becomes 03:00 (01:00 UTC). The window opens at 03:00 local and lasts its hour.
    const berlin = nightly('Europe/Berlin');
    expect(nextWindowStart(berlin, at('2026-03-28T12:00:00Z'))).toBe(at('2026-03-29T01:00:00Z'));
    expect(coveringEnd(berlin, at('2026-03-29T01:30:00Z'))).toBe(at('2026-03-29T02:00:00Z'));
  });

  it('on the fall-back day, a window at a time that occurs twice opens once', () => {
    // Berlin falls back on 2026-10-25 at 03:00 → 02:00, so 02:30 happens twice that night; the window opens once.
    const berlin: WindowTiming = { kind: 'recurring', cron: '30 2 * * *', tz: 'Europe/Berlin', duration_ms: 10 * MIN };
    const first = nextWindowStart(berlin, at('2026-10-24T12:00:00Z'))!;
    const second = nextWindowStart(berlin, first)!;
    expect(second - first).toBeGreaterThan(20 * HOUR);
  });
});

describe('a one-off window', () => {
  const once: WindowTiming = { kind: 'once', start: at('2026-03-03T02:00:00Z'), end: at('2026-03-03T06:00:00Z') };
  it('covers [start, end) and never opens again once begun', () => {
    expect(coveringEnd(once, once.kind === 'once' ? once.start : 0)).toBe(at('2026-03-03T06:00:00Z'));
    expect(coveringEnd(once, at('2026-03-03T06:00:00Z'))).toBeNull();
    expect(nextWindowStart(once, at('2026-03-03T01:00:00Z'))).toBe(at('2026-03-03T02:00:00Z'));
    expect(nextWindowStart(once, at('2026-03-03T02:00:00Z'))).toBeNull();
  });
});

describe('which windows apply to a check', () => {
  const check = { id: 'c1', tags: ['db1', 'nightly'] };
  it('a check window its check only, a tag window checks with the tag, a workspace window every check', () => {
    expect(windowApplies({ check_id: 'c1', tag: null }, check)).toBe(true);
    expect(windowApplies({ check_id: 'c2', tag: null }, check)).toBe(false);
    expect(windowApplies({ check_id: null, tag: 'db1' }, check)).toBe(true);
    expect(windowApplies({ check_id: null, tag: 'web' }, check)).toBe(false);
    expect(windowApplies({ check_id: null, tag: null }, check)).toBe(true);
  });

  it('windows that overlap or follow each other are one quiet stretch, ending with the last', () => {
    const windows: MaintenanceWindow[] = [
      { check_id: 'c1', tag: null, timing: { kind: 'once', start: 0, end: 10 * MIN } },
      { check_id: null, tag: 'db1', timing: { kind: 'once', start: 10 * MIN, end: 20 * MIN } },
      { check_id: null, tag: null, timing: { kind: 'once', start: 15 * MIN, end: 30 * MIN } },
      { check_id: 'other', tag: null, timing: { kind: 'once', start: 0, end: 99 * MIN } },
    ];
    expect(maintenanceUntil(windows, check, 5 * MIN)).toBe(30 * MIN);
    expect(maintenanceUntil(windows, check, 30 * MIN)).toBeNull();
    expect(maintenanceUntil(windows.slice(3), check, 5 * MIN)).toBeNull();
  });

  it('the quiet never ends before now, and at its end the check is out of every window', () => {
    const windowArb = fc
      .record({
        check_id: fc.constantFrom(null, 'c1', 'c2'),
        tag: fc.constantFrom(null, 'db1', 'web'),
        timing: fc
          .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 50 }))
          .map(([s, d]) => ({ kind: 'once' as const, start: s * MIN, end: (s + d) * MIN })),
      })
      .filter((w) => w.check_id == null || w.tag == null);
    fc.assert(
      fc.property(fc.array(windowArb, { maxLength: 8 }), fc.integer({ min: 0, max: 160 }), (windows, m) => {
        const until = maintenanceUntil(windows, check, m * MIN);
        if (until == null) return windows.every((w) => !windowApplies(w, check) || coveringEnd(w.timing, m * MIN) == null);
        return until > m * MIN && maintenanceUntil(windows, check, until) == null;
      }),
    );
  });
});

describe('validation', () => {
  it('says what to change', () => {
    expect(validateWindowTiming(nightly())).toBeNull();
    expect(validateWindowTiming(nightly('UTC', 30_000))).toMatch(/at least 60 seconds/);
    expect(validateWindowTiming(nightly('UTC', 8 * 24 * HOUR))).toMatch(/at most a week/);
    expect(validateWindowTiming({ kind: 'recurring', cron: '0 2 * *', tz: 'UTC', duration_ms: HOUR })).toMatch(/5 fields/);
    expect(validateWindowTiming({ kind: 'once', start: 10, end: 10 })).toMatch(/ends_at must be after starts_at/);
  });
});

describe('snooze', () => {
  const now = at('2026-03-03T10:00:00Z');
  it('ends after duration_s or at until, within 30 days, and says what is wrong otherwise', () => {
    expect(snoozeEnd({ duration_s: 7200 }, now)).toBe(now + 2 * HOUR);
    expect(snoozeEnd({ until: '2026-03-03T18:00:00Z' }, now)).toBe(at('2026-03-03T18:00:00Z'));
    expect(snoozeEnd({}, now)).toMatch(/either duration_s .* or until/);
    expect(snoozeEnd({ until: '2026-03-03T09:00:00Z' }, now)).toMatch(/future/);
    expect(snoozeEnd({ duration_s: 31 * 86400 }, now)).toMatch(/30 days/);
  });

  it('is over only for a paused check whose time has come', () => {
    expect(snoozeOver('paused', now, now)).toBe(true);
    expect(snoozeOver('paused', now + 1, now)).toBe(false);
    expect(snoozeOver('paused', null, now)).toBe(false);
    expect(snoozeOver('up', now - 1, now)).toBe(false);
  });
});

it("the alert at a window's end says when the check went down and that it is still down", () => {
  expect(maintenanceEndReason('job reported failure', at('2026-03-03T02:10:00Z'))).toBe(
    'went down during a maintenance window at 2026-03-03 02:10 UTC (job reported failure) and is still down after the window ended',
  );
  expect(maintenanceEndReason('job reported failure', at('2026-03-03T01:55:00Z'), false)).toBe(
    'went down at 2026-03-03 01:55 UTC (job reported failure); a maintenance window held the alert, and it is still down after the window ended',
  );
});
