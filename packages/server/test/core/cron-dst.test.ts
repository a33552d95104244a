// Cron checks in a time zone, lived through day by day in fake time: a scheduler that wakes at each
// nextDeadline, a job that runs when its own cron daemon would run it (wallclock.ts), and the two
// daylight-saving nights of 2026 in Europe/Berlin (29 March: 02:00 → 03:00; 25 October: 03:00 → 02:00).
import { describe, expect, it } from 'vitest';
import type { Timing } from '../../src/core/index.js';
import { cron, HOUR, iso, MIN, SEC, t, World } from './harness.js';
import { dates, wallClockRun, weekday } from './wallclock.js';

const MISS = 'no heartbeat received within expected interval + grace period';
const BERLIN = 'Europe/Berlin';

interface Job {
  hh: number;
  mm: number;
  /** Local dates on which the job does not run at all. */
  skip?: string[];
  /** How long a run takes. */
  runMs?: number;
  /** Run only on these weekdays (0 = Sunday). */
  weekdays?: number[];
  /** Local dates on which the job starts and then hangs, never reporting an end. */
  hang?: string[];
}

/** The job's runs over local dates `from`..`to`, as its cron daemon would start them. */
function runTimes(tz: string, job: Job, from: string, to: string): number[] {
  return dates(from, to)
    .filter((d) => !job.skip?.includes(d) && (!job.weekdays || job.weekdays.includes(weekday(d))))
    .map((d) => wallClockRun(tz, d, job.hh, job.mm));
}

/**
 * A check created just before `from`, living until the end of `until` (local dates), with a job that
 * sends start a second after its scheduled time and success when done.
 */
function live(timing: Timing, job: Job, from: string, until: string): World {
  const tz = timing.schedule.kind === 'cron' ? timing.schedule.tz : 'UTC';
  const runs = runTimes(tz, job, from, until);
  const w = new World(timing, runs[0] - HOUR);
  const hangs = (job.hang ?? []).map((d) => wallClockRun(tz, d, job.hh, job.mm));
  for (const at of runs) {
    w.send('start', {}, at + SEC);
    if (!hangs.includes(at)) w.send('success', {}, at + (job.runMs ?? 37 * SEC));
  }
  w.advanceTo(wallClockRun(tz, until, 23, 59));
  return w;
}

const alerts = (w: World) => w.flips.filter((f) => f.alert).map((f) => `${iso(f.at)} ${f.alert}`);
/** When the check went late: not flips, but the status changes the harness watches. */
const lateAt = (w: World) => w.changes.filter((c) => c.to === 'late').map((c) => c.at);

describe('a nightly 02:00 Europe/Berlin check with 5 minutes grace', () => {
  const nightly = cron('0 2 * * *', BERLIN, { grace_s: 300 });

  it('goes down 5 minutes after a missed 02:00 run, not before', () => {
    const w = new World(nightly, t('2026-01-09T12:00:00Z'));
    w.send('success', {}, t('2026-01-10T02:00:40+01:00'));
    expect(w.state.expected_at).toBe(t('2026-01-11T02:00:00+01:00'));
    w.advanceTo(t('2026-01-11T02:00:00+01:00') - 1);
    expect(w.status).toBe('up');
    w.advanceTo(t('2026-01-11T02:05:00+01:00') - 1);
    expect(w.status).toBe('late');
    w.advanceTo(t('2026-01-11T02:05:00+01:00'));
    expect(w.lastFlip).toMatchObject({ at: t('2026-01-11T02:05:00+01:00'), from: 'up', to: 'down', alert: 'down' });
    expect(w.lastFlip!.reason).toBe(`${MISS} (cron "0 2 * * *" Europe/Berlin + 5m); last heartbeat at 2026-01-10T01:00:40.000Z`);
  });

  it('on spring-forward night expects the run at 03:00 CEST, the first minute after the gap', () => {
    const w = new World(nightly, t('2026-03-27T12:00:00Z'));
    w.send('success', {}, t('2026-03-28T02:00:30+01:00'));
    expect(w.state.expected_at).toBe(t('2026-03-29T03:00:00+02:00'));
    w.send('success', {}, t('2026-03-29T03:00:30+02:00'));
    expect(w.state.expected_at).toBe(t('2026-03-30T02:00:00+02:00'));
  });

  it('through spring forward, a job that runs on time never goes down and is late only until each ping', () => {
    const job = { hh: 2, mm: 0 };
    const w = live(nightly, job, '2026-03-01', '2026-04-15');
    expect(alerts(w)).toEqual([]);
    expect(w.flips.every((f) => f.to !== 'down')).toBe(true);
    // The first run turns the check up; every later run finds it late at exactly its scheduled time.
    expect(lateAt(w)).toEqual(runTimes(BERLIN, job, '2026-03-02', '2026-04-15'));
    expect(lateAt(w)).toContain(t('2026-03-29T01:00:00Z'));
    expect(w.status).toBe('up');
    expect([...w.runs.values()].every((r) => r.result === 'success' && r.duration_ms === 36 * SEC)).toBe(true);
  });

  it("when the spring-forward run is missed: late at 03:00 CEST, down at 03:05 CEST, up with the next night's run", () => {
    const w = live(nightly, { hh: 2, mm: 0, skip: ['2026-03-29'] }, '2026-03-27', '2026-03-31');
    expect(w.changes.filter((c) => c.at > t('2026-03-28T12:00:00Z')).map((c) => `${iso(c.at)} ${c.from}→${c.to}`)).toEqual([
      '2026-03-29T01:00:00.000Z up→late',
      '2026-03-29T01:05:00.000Z late→down',
      '2026-03-30T00:00:37.000Z down→up',
      '2026-03-31T00:00:00.000Z up→late',
      // The job's start a second after the tick means it is under way: no longer late.
      '2026-03-31T00:00:01.000Z late→up',
    ]);
    expect(w.flips.filter((f) => f.at > t('2026-03-28T12:00:00Z')).map((f) => `${iso(f.at)} ${f.from}→${f.to} ${f.alert}`)).toEqual([
      '2026-03-29T01:05:00.000Z up→down down',
      '2026-03-30T00:00:37.000Z down→up up',
    ]);
  });

  it('on fall-back night expects the run once, at the first 02:00 (CEST), not again at 02:00 CET', () => {
    const w = new World(nightly, t('2026-10-23T12:00:00Z'));
    w.send('success', {}, t('2026-10-24T02:00:30+02:00'));
    expect(w.state.expected_at).toBe(t('2026-10-25T02:00:00+02:00'));
    w.send('success', {}, t('2026-10-25T02:00:30+02:00'));
    expect(w.state.expected_at).toBe(t('2026-10-26T02:00:00+01:00'));
    w.advanceTo(t('2026-10-26T02:00:00+01:00') - 1);
    expect(w.status).toBe('up');
    expect(w.wakeups).toEqual([t('2026-10-25T02:00:00+02:00')]);
  });

  it('through fall back, a job that runs on time never goes down', () => {
    const job = { hh: 2, mm: 0 };
    const w = live(nightly, job, '2026-10-01', '2026-11-15');
    expect(alerts(w)).toEqual([]);
    expect(lateAt(w)).toEqual(runTimes(BERLIN, job, '2026-10-02', '2026-11-15'));
    expect(lateAt(w)).not.toContain(t('2026-10-25T02:00:00+01:00'));
  });

  it('when the fall-back run is missed: down at 02:05 CEST, nothing at the second 02:00, the next miss a day later', () => {
    const w = live(nightly, { hh: 2, mm: 0, skip: ['2026-10-25', '2026-10-26'] }, '2026-10-23', '2026-10-27');
    expect(alerts(w)).toEqual(['2026-10-25T00:05:00.000Z down', '2026-10-27T01:00:37.000Z up']);
    expect(w.wakeups.filter((at) => at > t('2026-10-24T12:00:00Z') && at < t('2026-10-27T00:00:00Z'))).toEqual([
      t('2026-10-25T02:00:00+02:00'), // late
      t('2026-10-25T02:05:00+02:00'), // down: first miss
      t('2026-10-26T02:05:00+01:00'), // second miss, 25 hours later
    ]);
  });

  it('reports a host that runs the job at the second 02:00 as down: such a host needs more than an hour of grace', () => {
    const lateHost = (grace_s: number) => {
      const w = new World(cron('0 2 * * *', BERLIN, { grace_s }), t('2026-10-23T12:00:00Z'));
      w.send('success', {}, t('2026-10-24T02:00:30+02:00'));
      w.send('success', {}, t('2026-10-25T02:00:30+01:00'));
      return alerts(w);
    };
    expect(lateHost(300)).toEqual(['2026-10-25T00:05:00.000Z down', '2026-10-25T01:00:30.000Z up']);
    expect(lateHost(90 * 60)).toEqual([]);
  });

  it('counts every missed night in one flip when the scheduler was asleep for ten days', () => {
    const w = new World(nightly, t('2026-01-01T12:00:00Z'));
    w.send('success', {}, t('2026-01-02T02:00:30+01:00'));
    w.jumpTo(t('2026-01-12T12:00:00+01:00'));
    expect(w.flips.map((f) => `${f.from}→${f.to}`)).toEqual(['new→up', 'up→down']);
    expect(w.lastFlip!.reason).toContain('; 10 beats missed');
    expect(w.state.expected_at).toBe(t('2026-01-13T02:00:00+01:00'));
  });
});

describe('a 02:30 Europe/Berlin job', () => {
  const at0230 = cron('30 2 * * *', BERLIN, { grace_s: 300 });

  it('runs at 03:00 CEST on spring-forward night (02:30 does not exist) and at the first 02:30 on fall-back night', () => {
    expect(wallClockRun(BERLIN, '2026-03-29', 2, 30)).toBe(t('2026-03-29T03:00:00+02:00'));
    expect(wallClockRun(BERLIN, '2026-10-25', 2, 30)).toBe(t('2026-10-25T02:30:00+02:00'));
    const w = new World(at0230, t('2026-03-27T12:00:00Z'));
    w.send('success', {}, t('2026-03-28T02:30:10+01:00'));
    expect(w.state.expected_at).toBe(t('2026-03-29T03:00:00+02:00'));
    w.send('success', {}, t('2026-10-24T02:30:10+02:00'));
    expect(w.state.expected_at).toBe(t('2026-10-25T02:30:00+02:00'));
    w.send('success', {}, t('2026-10-25T02:30:10+02:00'));
    expect(w.state.expected_at).toBe(t('2026-10-26T02:30:00+01:00'));
  });

  it('never goes down when it runs on time across both changes', () => {
    const job = { hh: 2, mm: 30, runMs: 4 * MIN };
    const spring = live(cron('30 2 * * *', BERLIN, { grace_s: 300, max_runtime_s: 600 }), job, '2026-03-20', '2026-04-05');
    const autumn = live(cron('30 2 * * *', BERLIN, { grace_s: 300, max_runtime_s: 600 }), job, '2026-10-18', '2026-11-01');
    expect(alerts(spring)).toEqual([]);
    expect(alerts(autumn)).toEqual([]);
    expect(lateAt(spring)).toEqual(runTimes(BERLIN, job, '2026-03-21', '2026-04-05'));
    expect(lateAt(autumn)).toEqual(runTimes(BERLIN, job, '2026-10-19', '2026-11-01'));
  });

  it('missed on spring-forward night goes down at 03:05 CEST; missed on fall-back night at 02:35 CEST', () => {
    const spring = live(at0230, { hh: 2, mm: 30, skip: ['2026-03-29'] }, '2026-03-27', '2026-03-30');
    expect(alerts(spring)).toEqual(['2026-03-29T01:05:00.000Z down', '2026-03-30T00:30:37.000Z up']);
    const autumn = live(at0230, { hh: 2, mm: 30, skip: ['2026-10-25'] }, '2026-10-23', '2026-10-26');
    expect(alerts(autumn)).toEqual(['2026-10-25T00:35:00.000Z down', '2026-10-26T01:30:37.000Z up']);
  });
});

describe('a whole year of a nightly job', () => {
  it('that always runs on time: 365 successful runs, no alert, no down', () => {
    const w = live(
      cron('0 2 * * *', BERLIN, { grace_s: 300, max_runtime_s: 600 }),
      { hh: 2, mm: 0, runMs: 3 * MIN },
      '2026-01-01',
      '2026-12-31',
    );
    expect(w.state.run_count).toBe(365);
    expect([...w.runs.values()].filter((r) => r.result !== 'success')).toEqual([]);
    expect(alerts(w)).toEqual([]);
    expect(w.state.consecutive_failures).toBe(0);
  });

  it('that misses some nights: exactly one incident per missed night, opened 5 minutes after its run time', () => {
    const skip = ['2026-02-14', '2026-03-29', '2026-07-01', '2026-10-25', '2026-12-24'];
    const w = live(cron('0 2 * * *', BERLIN, { grace_s: 300 }), { hh: 2, mm: 0, skip }, '2026-01-01', '2026-12-31');
    const downs = w.flips.filter((f) => f.alert === 'down').map((f) => f.at);
    expect(downs).toEqual(skip.map((d) => wallClockRun(BERLIN, d, 2, 0) + 5 * MIN));
    expect(w.flips.filter((f) => f.alert === 'up')).toHaveLength(skip.length);
  });

  it('whose runs hang past max_runtime are closed as timeouts, one incident each', () => {
    // Grace covers the longest healthy run (a start is not a beat), so a hung run is caught by max_runtime.
    const hang = ['2026-05-05', '2026-10-25'];
    const timing = cron('0 2 * * *', BERLIN, { grace_s: 3600, max_runtime_s: 1800 });
    const w = live(timing, { hh: 2, mm: 0, runMs: 10 * MIN, hang }, '2026-05-01', '2026-10-31');
    const downs = w.flips.filter((f) => f.alert === 'down');
    expect(downs.map((f) => f.at)).toEqual(hang.map((d) => wallClockRun(BERLIN, d, 2, 0) + SEC + 30 * MIN));
    expect(downs.map((f) => f.reason)).toEqual(
      hang.map((d) => `run started at ${iso(wallClockRun(BERLIN, d, 2, 0) + SEC)} did not finish within 30m (max runtime)`),
    );
    expect([...w.runs.values()].filter((r) => r.result === 'timeout')).toHaveLength(2);
    expect(w.flips.filter((f) => f.alert === 'up')).toHaveLength(2);
    expect(w.status).toBe('up');
  });
});

describe('a weekday 09:00 America/New_York job across the US change (8 March 2026)', () => {
  const weekdays = cron('0 9 * * 1-5', 'America/New_York', { grace_s: 600 });
  const job = { hh: 9, mm: 0, weekdays: [1, 2, 3, 4, 5] };

  it('is not expected at weekends and never goes down when it runs on time', () => {
    const w = live(weekdays, job, '2026-03-02', '2026-03-20');
    expect(alerts(w)).toEqual([]);
    expect(lateAt(w)).toEqual(runTimes('America/New_York', job, '2026-03-03', '2026-03-20'));
    expect(lateAt(w)).toContain(t('2026-03-09T09:00:00-04:00'));
  });

  it("missed on a Friday: down at 09:10, one miss over the weekend, up with Monday's run", () => {
    const w = live(weekdays, { ...job, skip: ['2026-03-06'] }, '2026-03-02', '2026-03-10');
    expect(alerts(w)).toEqual(['2026-03-06T14:10:00.000Z down', '2026-03-09T13:00:37.000Z up']);
    expect(w.state.consecutive_failures).toBe(0);
  });
});
