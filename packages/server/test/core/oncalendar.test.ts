// OnCalendar (systemd) schedules: the parser's translation checked against expansions worked out by hand from
// systemd.time(7), and, as a property, against a brute-force matcher scanning every minute of two weeks.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseOnCalendar } from '../../src/core/oncalendar.js';
import { nextTick, previousTick, validateSchedule, describeExpectation, type Schedule } from '../../src/core/index.js';

const at = (text: string) => Date.parse(text);
const iso = (ms: number) => new Date(ms).toISOString();
const onCalendar = (expr: string, tz = 'UTC'): Schedule => ({ kind: 'oncalendar', expr, tz });
/** The next `n` due times after `from`. */
function expand(schedule: Schedule, from: string, n: number): string[] {
  const out: string[] = [];
  let t = at(from);
  for (let i = 0; i < n; i += 1) out.push(iso((t = nextTick(schedule, t))));
  return out;
}

describe('OnCalendar expansions', () => {
  it('Mon..Fri 09:00: weekdays at nine, the weekend skipped', () => {
    expect(expand(onCalendar('Mon..Fri 09:00'), '2026-03-06T10:00:00Z', 3)).toEqual([
      '2026-03-09T09:00:00.000Z',
      '2026-03-10T09:00:00.000Z',
      '2026-03-11T09:00:00.000Z',
    ]);
  });

  it('*-*-* 02:00:00 in Europe/Berlin: local 02:00, and on the spring-forward night the first time after the gap', () => {
    expect(expand(onCalendar('*-*-* 02:00:00', 'Europe/Berlin'), '2026-03-27T12:00:00Z', 3)).toEqual([
      '2026-03-28T01:00:00.000Z', // 02:00 CET
      '2026-03-29T01:00:00.000Z', // 02:00 does not exist that night: 03:00 CEST
      '2026-03-30T00:00:00.000Z', // 02:00 CEST
    ]);
  });

  it('the shorthands: minutely, hourly, daily, weekly, monthly, quarterly, semiannually, yearly', () => {
    const from = '2026-03-06T10:20:30Z';
    expect(expand(onCalendar('minutely'), from, 2)).toEqual(['2026-03-06T10:21:00.000Z', '2026-03-06T10:22:00.000Z']);
    expect(expand(onCalendar('hourly'), from, 2)).toEqual(['2026-03-06T11:00:00.000Z', '2026-03-06T12:00:00.000Z']);
    expect(expand(onCalendar('daily'), from, 2)).toEqual(['2026-03-07T00:00:00.000Z', '2026-03-08T00:00:00.000Z']);
    expect(expand(onCalendar('weekly'), from, 2)).toEqual(['2026-03-09T00:00:00.000Z', '2026-03-16T00:00:00.000Z']);
    expect(expand(onCalendar('monthly'), from, 2)).toEqual(['2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z']);
    expect(expand(onCalendar('quarterly'), from, 2)).toEqual(['2026-04-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z']);
    expect(expand(onCalendar('semiannually'), from, 2)).toEqual(['2026-07-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(expand(onCalendar('yearly'), from, 1)).toEqual(['2027-01-01T00:00:00.000Z']);
    expect(expand(onCalendar('Daily'), from, 1)).toEqual(['2026-03-07T00:00:00.000Z']);
  });

  it("*-*~1 12:00 is noon on the last day of every month (healthchecks.io's example)", () => {
    expect(expand(onCalendar('*-*~1 12:00'), '2026-01-31T13:00:00Z', 3)).toEqual([
      '2026-02-28T12:00:00.000Z',
      '2026-03-31T12:00:00.000Z',
      '2026-04-30T12:00:00.000Z',
    ]);
  });

  it('Mon *-05~07/1 is the last Monday of May', () => {
    expect(expand(onCalendar('Mon *-05~07/1'), '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-05-25T00:00:00.000Z',
      '2027-05-31T00:00:00.000Z',
    ]);
  });

  it('a date and a weekday must both match: Fri *-*-13 is Friday the 13th only', () => {
    expect(expand(onCalendar('Fri *-*-13'), '2026-01-01T00:00:00Z', 2)).toEqual(['2026-02-13T00:00:00.000Z', '2026-03-13T00:00:00.000Z']);
  });

  it('lists, ranges with steps, repetitions and seconds', () => {
    expect(expand(onCalendar('*:0/15'), '2026-03-06T10:05:00Z', 3)).toEqual([
      '2026-03-06T10:15:00.000Z',
      '2026-03-06T10:30:00.000Z',
      '2026-03-06T10:45:00.000Z',
    ]);
    expect(expand(onCalendar('9..17/2:00'), '2026-03-06T10:00:00Z', 4)).toEqual([
      '2026-03-06T11:00:00.000Z',
      '2026-03-06T13:00:00.000Z',
      '2026-03-06T15:00:00.000Z',
      '2026-03-06T17:00:00.000Z',
    ]);
    expect(expand(onCalendar('12,14,13,12:20,10,30'), '2026-03-06T12:25:00Z', 3)).toEqual([
      '2026-03-06T12:30:00.000Z',
      '2026-03-06T13:10:00.000Z',
      '2026-03-06T13:20:00.000Z',
    ]);
    expect(expand(onCalendar('03-05 08:05:40'), '2026-03-06T00:00:00Z', 1)).toEqual(['2027-03-05T08:05:40.000Z']);
    expect(expand(onCalendar('Sat,Thu,Mon..Wed,Sat..Sun'), '2026-03-06T00:00:00Z', 3)).toEqual([
      '2026-03-07T00:00:00.000Z',
      '2026-03-08T00:00:00.000Z',
      '2026-03-09T00:00:00.000Z',
    ]);
    expect(expand(onCalendar('Fri..Mon 06:00'), '2026-03-10T00:00:00Z', 4)).toEqual([
      '2026-03-13T06:00:00.000Z',
      '2026-03-14T06:00:00.000Z',
      '2026-03-15T06:00:00.000Z',
      '2026-03-16T06:00:00.000Z',
    ]);
    expect(expand(onCalendar('Wed, 17:48'), '2026-03-06T00:00:00Z', 1)).toEqual(['2026-03-11T17:48:00.000Z']);
    expect(expand(onCalendar('monday *-12-* 17:00'), '2026-03-06T00:00:00Z', 1)).toEqual(['2026-12-07T17:00:00.000Z']);
  });

  it('years: a full date fires once; two-digit years are 20xx; a date that never comes is refused', () => {
    expect(expand(onCalendar('2026-12-25 18:00'), '2026-03-06T00:00:00Z', 1)).toEqual(['2026-12-25T18:00:00.000Z']);
    expect(parseOnCalendar('Mon,Sun 12-*-* 2,1:23')).toEqual([{ pattern: '0 23 2,1 * * 0,1 2012', tz: null }]);
    expect(validateSchedule(onCalendar('*-02-30'))).toBe('OnCalendar expression never fires');
  });

  it('a time zone at the end of a line wins for that line; several lines fire at the earliest of them', () => {
    const schedule = onCalendar('Mon 09:00 Europe/Berlin\nFri 17:00', 'America/New_York');
    expect(expand(schedule, '2026-03-06T00:00:00Z', 3)).toEqual([
      '2026-03-06T22:00:00.000Z', // Friday 17:00 in New York (EST)
      '2026-03-09T08:00:00.000Z', // Monday 09:00 in Berlin (CET)
      '2026-03-13T21:00:00.000Z', // Friday 17:00 in New York (EDT from 8 March)
    ]);
    expect(iso(previousTick(schedule, at('2026-03-09T08:00:00Z')))).toBe('2026-03-06T22:00:00.000Z');
    expect(describeExpectation(schedule)).toBe('OnCalendar "Mon 09:00 Europe/Berlin; Fri 17:00" America/New_York');
  });

  it('refuses what it cannot time, with a sentence that says why', () => {
    const problems: Array<[string, RegExp]> = [
      ['Funday 12:00', /"Funday" is not a weekday/],
      ['25:00', /hour 25 is outside 0..23/],
      ['*-*~3 12:00', /"~3" is not supported/],
      ['now', /"now" is not a weekday/],
      ['12:00:00.5', /fractions of a second/],
      ['', /empty/],
      ['Mon 09:00 extra', /"extra" is not understood/],
      ['*-13-01', /month 13/],
      ['*-*~07/1', /needs a weekday/],
      ['9..7:00', /runs backwards/],
    ];
    for (const [expr, message] of problems) {
      expect(validateSchedule(onCalendar(expr)), expr).toMatch(message);
    }
    expect(validateSchedule(onCalendar('Mon..Fri 09:00', 'Mars/Olympus'))).toMatch(/unknown time zone/);
  });
});

describe('OnCalendar as a property: every due time the translation gives is one a minute-by-minute matcher finds, none skipped', () => {
  const NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const pad = (n: number) => String(n).padStart(2, '0');
  const spec = fc.record({
    weekdays: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }), { nil: null }),
    days: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 31 }), { minLength: 1, maxLength: 6 }), { nil: null }),
    hours: fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 4 }),
    minutes: fc.oneof(
      fc
        .uniqueArray(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 3 })
        .map((list) => ({ text: list.map(pad).join(','), set: list })),
      fc.record({ start: fc.integer({ min: 0, max: 29 }), step: fc.integer({ min: 5, max: 30 }) }).map(({ start, step }) => ({
        text: `${start}/${step}`,
        set: Array.from({ length: 60 }, (_, m) => m).filter((m) => m >= start && (m - start) % step === 0),
      })),
    ),
    from: fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-12-31T00:00:00Z') }).map((ms) => Math.floor(ms / 60_000) * 60_000),
  });

  it('agrees with brute force over two weeks (UTC)', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const weekdayText = s.weekdays ? s.weekdays.map((d) => NAMES[d]).join(',') + ' ' : '';
        const dateText = s.days ? `*-*-${s.days.join(',')} ` : '';
        const expr = `${weekdayText}${dateText}${s.hours.join(',')}:${s.minutes.text}`;
        const schedule = onCalendar(expr);
        expect(validateSchedule(schedule), expr).toBeNull();
        const matches = (t: number) => {
          const d = new Date(t);
          return (
            (!s.weekdays || s.weekdays.includes(d.getUTCDay())) &&
            (!s.days || s.days.includes(d.getUTCDate())) &&
            s.hours.includes(d.getUTCHours()) &&
            s.minutes.set.includes(d.getUTCMinutes())
          );
        };
        const end = s.from + 14 * 86_400_000;
        const oracle: number[] = [];
        for (let t = s.from + 60_000; t <= end && oracle.length < 8; t += 60_000) if (matches(t)) oracle.push(t);
        const ours: number[] = [];
        for (let t = nextTick(schedule, s.from); t <= end && ours.length < 8; t = nextTick(schedule, t)) ours.push(t);
        expect(ours.map(iso), expr).toEqual(oracle.map(iso));
      }),
      { numRuns: 60 },
    );
  });
});
