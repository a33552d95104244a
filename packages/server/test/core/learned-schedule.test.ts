// Learned schedules, the pure inference: generate a schedule, jitter its beats as real jobs do, and the proposal
// recovers it: a cron expression when beats sit on wall-clock marks, else an interval rounded to a usual period.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextTick, type Schedule } from '../../src/core/index.js';
import { MIN_BEATS, proposeSchedule, roundPeriod } from '../../src/core/learned-schedule.js';

const START = Date.parse('2025-01-01T00:00:00Z');
const YEAR = 365 * 86400_000;

/** `count` consecutive occurrences of `schedule` after `from`, each delayed by a jitter in [0, maxJitterMs]. */
function beatsOf(schedule: Schedule, from: number, count: number, jitters: number[]): number[] {
  const beats: number[] = [];
  let at = from;
  for (let i = 0; i < count; i += 1) {
    at = nextTick(schedule, at);
    beats.push(at + jitters[i % jitters.length]);
  }
  return beats;
}

describe('cron schedules are recovered from jittered beats', () => {
  const zone = fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata');
  const from = fc.integer({ min: START, max: START + YEAR });
  const count = fc.integer({ min: MIN_BEATS, max: 12 });

  it('every hour at a five-minute mark', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 11 }),
        zone,
        from,
        count,
        fc.array(fc.integer({ min: 0, max: 60_000 }), { minLength: 1 }),
        (m, tz, t0, n, jit) => {
          const schedule: Schedule = { kind: 'cron', expr: `${m * 5} * * * *`, tz };
          expect(proposeSchedule(beatsOf(schedule, t0, n, jit), tz)?.schedule).toEqual(schedule);
        },
      ),
    );
  });

  it('every day at HH:MM, across daylight-saving changes', () => {
    // 04:00 to 23:55: hours that exist on every day in every zone tested.
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 23 }),
        fc.integer({ min: 0, max: 11 }),
        zone,
        from,
        count,
        fc.array(fc.integer({ min: 0, max: 90_000 }), { minLength: 1 }),
        (h, m, tz, t0, n, jit) => {
          const schedule: Schedule = { kind: 'cron', expr: `${m * 5} ${h} * * *`, tz };
          expect(proposeSchedule(beatsOf(schedule, t0, n, jit), tz)?.schedule).toEqual(schedule);
        },
      ),
    );
  });

  it('every k minutes on the hour, and weekly on a weekday', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(5, 10, 15, 20, 30),
        from,
        count,
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1 }),
        (k, t0, n, jit) => {
          const schedule: Schedule = { kind: 'cron', expr: `*/${k} * * * *`, tz: 'UTC' };
          expect(proposeSchedule(beatsOf(schedule, t0, n, jit), 'UTC')?.schedule).toEqual(schedule);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 4, max: 23 }),
        from,
        fc.array(fc.integer({ min: 0, max: 60_000 }), { minLength: 1 }),
        (d, h, t0, jit) => {
          const schedule: Schedule = { kind: 'cron', expr: `30 ${h} * * ${d}`, tz: 'Europe/Berlin' };
          expect(proposeSchedule(beatsOf(schedule, t0, 5, jit), 'Europe/Berlin')?.schedule).toEqual(schedule);
        },
      ),
    );
  });

  it('says what it found in words a person reads', () => {
    const hourly = beatsOf({ kind: 'cron', expr: '0 * * * *', tz: 'UTC' }, START, 6, [12_000]);
    const proposal = proposeSchedule(hourly, 'UTC')!;
    expect(proposal.sentence).toBe('every hour at :00');
    expect(proposal.explanation).toBe('Proposed because its last 6 pings came about 1h apart, each within 12s of the mark.');
    const daily = beatsOf({ kind: 'cron', expr: '0 2 * * *', tz: 'Europe/Berlin' }, START, 5, [30_000]);
    expect(proposeSchedule(daily, 'Europe/Berlin')!.sentence).toBe('every day at 02:00 (Europe/Berlin)');
  });
});

describe('intervals are recovered when beats are off the marks', () => {
  it('a usual period, started between marks, comes back as that interval', () => {
    const period = fc.constantFrom(120, 600, 900, 3600, 7200, 21600, 86400, 172800);
    fc.assert(
      fc.property(
        period,
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: MIN_BEATS, max: 12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1 }),
        (p, slot, where, n, jit) => {
          // A start more than the tolerance past a five-minute mark (or the period's own mark), and late enough before
          // the next one that the jitter, which only delays, cannot bring a beat within the tolerance of it either.
          const step = Math.min(300, p);
          const tolerance = Math.min(120, p / 10);
          const maxJitter = Math.min(30, p * 0.02);
          const offset = tolerance + 1 + where * (step - 2 * (tolerance + 1) - maxJitter);
          const t0 = START + slot * step * 1000 + offset * 1000;
          const beats = Array.from({ length: n }, (_, i) => t0 + i * p * 1000 + jit[i % jit.length] * maxJitter * 1000);
          expect(proposeSchedule(beats, 'UTC')?.schedule).toEqual({ kind: 'interval', period_s: p });
        },
      ),
    );
  });

  it('an unusual period rounds to whole minutes (7 min, 25 min, 90 min stay themselves)', () => {
    for (const p of [420, 1500, 5400]) {
      const beats = Array.from({ length: 6 }, (_, i) => START + 17_000 + i * p * 1000 + (i % 2) * 4000);
      expect(proposeSchedule(beats, 'UTC')).toMatchObject({
        schedule: { kind: 'interval', period_s: p },
        sentence: `every ${p === 5400 ? '1h30m' : `${p / 60}m`}`,
      });
    }
    expect(roundPeriod(3550)).toBe(3600);
    expect(roundPeriod(596)).toBe(600);
  });
});

describe('no proposal without evidence', () => {
  it('fewer than four beats propose nothing', () => {
    expect(proposeSchedule([START, START + 3600_000, START + 7200_000], 'UTC')).toBeNull();
  });

  it('irregular gaps propose nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 60, max: 86400 }), { minLength: MIN_BEATS - 1, maxLength: 10 }), (gaps) => {
        fc.pre(Math.max(...gaps) > 1.5 * Math.min(...gaps) * 1.2);
        let at = START;
        const beats = [at, ...gaps.map((g) => (at += g * 1000))];
        // Any gap far from the typical one: either no proposal, or (never) a wrong one claimed as regular.
        const proposal = proposeSchedule(beats, 'UTC');
        const sorted = [...gaps].sort((a, b) => a - b);
        const typical = sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        if (gaps.some((g) => Math.abs(g - typical) > typical * 0.15)) expect(proposal).toBeNull();
      }),
    );
  });

  it('a missed beat in the middle is irregular until more evidence arrives', () => {
    const beats = [0, 1, 3, 4].map((i) => START + i * 3600_000);
    expect(proposeSchedule(beats, 'UTC')).toBeNull();
  });
});
