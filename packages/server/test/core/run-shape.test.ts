// Run-shape rules (docs/alerts.md "Run-shape rules"): a success that finished too fast, came too soon or took far
// longer than usual counts as a failed beat, with a reason that states the values. Specifications, then properties.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextTick, p95, tooOften, type Schedule } from '../../src/core/index.js';
import { durationAnomalyViolation } from '../../src/core/duration-anomaly.js';
import { minRuntimeViolation } from '../../src/core/min-runtime.js';
import { cron, DAY, HOUR, MIN, SEC, t, timing, World } from './harness.js';

const daily = { kind: 'interval', period_s: 86400 } as const;
const T = t('2026-05-01T02:00:00Z');

describe('minimum run time', () => {
  it('a backup check with min_runtime_s 60 goes down when a run finishes after 3 s, and says so; the run stays a success with the reason', () => {
    const w = new World(timing({ schedule: daily, max_runtime_s: 3600, min_runtime_s: 60 }), T);
    w.send('start', {}, T);
    const { runId } = w.send('success', {}, T + 3 * SEC);
    expect(w.status).toBe('down');
    expect(w.lastFlip).toMatchObject({
      from: 'new',
      to: 'down',
      alert: 'down',
      reason: 'run finished in 3s, under the minimum run time of 1m (finished too fast)',
    });
    expect(w.run(runId!)).toMatchObject({
      result: 'success',
      duration_ms: 3 * SEC,
      rule_violation: 'run finished in 3s, under the minimum run time of 1m (finished too fast)',
    });
    expect(w.state.consecutive_failures).toBe(1);
  });

  it('a run of 2 minutes is long enough, and the next proper run brings a too-fast check back up', () => {
    const w = new World(timing({ schedule: daily, max_runtime_s: 3600, min_runtime_s: 60 }), T);
    w.send('start', {}, T);
    w.send('success', {}, T + 2 * MIN);
    expect(w.status).toBe('up');
    w.send('start', {}, T + DAY);
    w.send('success', {}, T + DAY + 1 * SEC);
    w.send('start', {}, T + 2 * DAY);
    w.send('success', {}, T + 2 * DAY + 5 * MIN);
    expect(w.story()).toEqual([
      '2026-05-01T02:02:00.000Z new→up',
      '2026-05-02T02:00:01.000Z up→down [down]',
      '2026-05-03T02:05:00.000Z down→up [up]',
    ]);
  });

  it('with failure_threshold 2, one too-fast run is counted but only the second brings the check down, and the reason says so', () => {
    const w = new World(timing({ schedule: daily, max_runtime_s: 3600, min_runtime_s: 60, failure_threshold: 2 }), T);
    w.send('start', {}, T);
    w.send('success', {}, T + 2 * MIN);
    w.send('start', {}, T + DAY);
    w.send('success', {}, T + DAY + 1 * SEC);
    expect(w.state).toMatchObject({ status: 'up', consecutive_failures: 1 });
    w.send('start', {}, T + 2 * DAY);
    w.send('success', {}, T + 2 * DAY + 1 * SEC);
    expect(w.lastFlip?.reason).toBe(
      'run finished in 1s, under the minimum run time of 1m (finished too fast) (2 consecutive failures, threshold 2)',
    );
  });

  it('a plain ping without a start has no duration and is not measured', () => {
    const w = new World(timing({ schedule: daily, max_runtime_s: 3600, min_runtime_s: 60 }), T);
    w.send('success', {}, T);
    expect(w.status).toBe('up');
  });

  it('property: a run ending in success is too fast exactly when it is shorter than the minimum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 86400 }), fc.integer({ min: 0, max: 2 * 86400_000 }), (minS, duration) => {
        const run = {
          id: 'r',
          rid: null,
          started_at: 0,
          ended_at: duration,
          duration_ms: duration,
          result: 'success' as const,
          exit_code: null,
          progress: null,
          last_message: null,
        };
        expect(minRuntimeViolation(timing({ min_runtime_s: minS }), run) != null).toBe(duration < minS * 1000);
      }),
    );
  });
});

describe('too-frequent runs', () => {
  it('an hourly check with 5 minutes tolerance goes down when a second success comes 30 minutes after the first, and says so', () => {
    const w = new World(timing({ schedule: { kind: 'interval', period_s: 3600 }, early_tolerance_s: 300 }), T);
    w.send('success', {}, T);
    w.send('success', {}, T + 30 * MIN);
    expect(w.status).toBe('down');
    expect(w.lastFlip?.reason).toBe(
      'ran too often: success 30m after the previous one at 2026-05-01T02:00:00.000Z, expected every 1h (tolerance 5m)',
    );
  });

  it('a success 56 minutes after the last, inside the tolerance, is on time; the gap is measured from the last success that counted', () => {
    const w = new World(timing({ schedule: { kind: 'interval', period_s: 3600 }, early_tolerance_s: 300 }), T);
    w.send('success', {}, T);
    w.send('success', {}, T + 56 * MIN);
    expect(w.status).toBe('up');
    w.send('success', {}, T + 60 * MIN); // 4 minutes after the last counted success: too often
    expect(w.status).toBe('down');
    w.send('success', {}, T + 116 * MIN); // 60 minutes after the last counted one (T + 56m): on time again
    expect(w.status).toBe('up');
  });

  it('a nightly cron job that succeeds twice in one night goes down; one that runs a little early the next night does not', () => {
    const w = new World(cron('0 2 * * *', 'Europe/Berlin', { grace_s: 3600, early_tolerance_s: 120 }), t('2026-05-01T00:00:00Z'));
    w.send('success', {}, t('2026-05-02T02:00:40+02:00'));
    w.send('success', {}, t('2026-05-03T01:59:10+02:00')); // the host's clock runs 50 s ahead: still its own night
    expect(w.status).toBe('up');
    w.send('success', {}, t('2026-05-03T02:40:00+02:00')); // the same night again
    expect(w.status).toBe('down');
    expect(w.lastFlip?.reason).toBe(
      'ran too often: success 40m50s after the previous one at 2026-05-02T23:59:10.000Z, expected once per tick of cron "0 2 * * *" Europe/Berlin (tolerance 2m)',
    );
  });

  it('property: on an interval schedule a success is too early exactly when it comes sooner than period − tolerance', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 86400 }),
        fc.integer({ min: 0, max: 86400 }),
        fc.integer({ min: 0, max: 3 * 86400_000 }),
        (period, tol, gap) => {
          fc.pre(tol < period);
          expect(tooOften({ kind: 'interval', period_s: period }, tol * 1000, T, T + gap)).toBe(gap < (period - tol) * 1000);
        },
      ),
    );
  });

  const calendars: Schedule[] = [
    { kind: 'cron', expr: '0 * * * *', tz: 'UTC' },
    { kind: 'cron', expr: '0 2 * * *', tz: 'Europe/Berlin' },
    { kind: 'cron', expr: '30 9 * * 1-5', tz: 'America/New_York' },
    { kind: 'oncalendar', expr: 'Mon,Thu *-*-* 04:00:00', tz: 'UTC' },
  ];

  it('property: on a cron schedule two successes are too frequent exactly when they fall in the same scheduled slot (slots start `tolerance` early)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...calendars),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (schedule, tolS, first, ahead, f1, f2) => {
          const tol = tolS * SEC;
          // The ticks from a fixed start; slot k is [tick k − tol, tick k+1 − tol).
          const ticks = [nextTick(schedule, t('2026-03-20T00:00:00Z'))];
          while (ticks.length < first + ahead + 2) ticks.push(nextTick(schedule, ticks[ticks.length - 1]));
          const inSlot = (k: number, f: number) =>
            ticks[k] - tol + Math.min(Math.floor(f * (ticks[k + 1] - ticks[k])), ticks[k + 1] - ticks[k] - 1);
          const a = inSlot(first, f1);
          const b = inSlot(first + ahead, ahead === 0 ? Math.max(f1, f2) : f2);
          fc.pre(b >= a);
          expect(tooOften(schedule, tol, a, b)).toBe(ahead === 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: a job that succeeds once in every slot, early or late within the tolerance, is never too frequent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...calendars),
        fc.integer({ min: 1, max: 600 }),
        fc.array(fc.integer({ min: -600, max: 600 }), { minLength: 2, maxLength: 12 }),
        (schedule, tolS, jitters) => {
          let tick = nextTick(schedule, t('2026-10-20T00:00:00Z'));
          let last: number | null = null;
          for (const jitter of jitters) {
            const at = tick + Math.max(-tolS, jitter) * SEC;
            const next = nextTick(schedule, tick);
            fc.pre(at < next - tolS * SEC);
            if (last != null) expect(tooOften(schedule, tolS * SEC, last, at)).toBe(false);
            last = at;
            tick = next;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('duration anomaly', () => {
  /** A daily job whose runs took these many minutes, one a day. */
  function jobWithRuns(minutes: number[], over = {}) {
    const w = new World(timing({ schedule: daily, grace_s: 3600, max_runtime_s: 6 * 3600, duration_anomaly_factor: 2, ...over }), T);
    minutes.forEach((m, day) => {
      w.send('start', {}, T + day * DAY);
      w.send('success', {}, T + day * DAY + m * MIN);
    });
    return w;
  }

  it('a job that usually takes 8–10 minutes goes down when a run takes 25 minutes, and the reason gives the duration, the p95 and k', () => {
    const w = jobWithRuns([8, 9, 10, 9, 8, 10, 9, 9, 8, 10, 25]);
    expect(w.status).toBe('down');
    expect(w.lastFlip?.reason).toBe(
      'run took 25m, more than 2 × its usual p95 of 10m (learned from its last 10 successful runs; duration anomaly)',
    );
  });

  it('a run under k × p95 is fine, and nothing is judged before 10 runs are known', () => {
    expect(jobWithRuns([8, 9, 10, 9, 8, 10, 9, 9, 8, 10, 19]).status).toBe('up');
    expect(jobWithRuns([8, 9, 10, 9, 8, 10, 9, 9, 8, 60]).status).toBe('up');
  });

  it('a job that has become slower for good alerts on its first slow runs, then learns the new normal', () => {
    const w = jobWithRuns([...Array(20).fill(10), 30, 30, 30, 30]);
    // Run 21 (30 min against a p95 of 10) alerts; so does run 22 (one slow run is only 5 % of 20); by run 23 the p95 is 30.
    expect(w.story()).toEqual([
      '2026-05-01T02:10:00.000Z new→up',
      '2026-05-21T02:30:00.000Z up→down [down]',
      '2026-05-23T02:30:00.000Z down→up [up]',
    ]);
  });

  it('property: p95 is the nearest-rank 95th percentile, one of the durations', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 40 }), (xs) => {
        const p = p95(xs);
        expect(xs).toContain(p);
        expect(xs.filter((x) => x <= p).length).toBeGreaterThanOrEqual(0.95 * xs.length);
        expect(xs.filter((x) => x < p).length).toBeLessThan(0.95 * xs.length);
      }),
    );
  });

  it('property: with at least 10 runs known a run is anomalous exactly when it is longer than k × p95; with fewer, never', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e7 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 1e8 }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        (history, duration, k) => {
          const run = {
            id: 'r',
            rid: null,
            started_at: 0,
            ended_at: duration,
            duration_ms: duration,
            result: 'success' as const,
            exit_code: null,
            progress: null,
            last_message: null,
          };
          const found = durationAnomalyViolation(timing({ duration_anomaly_factor: k }), run, history) != null;
          const learned = history.slice(0, 20);
          expect(found).toBe(learned.length >= 10 && duration > p95(learned) * k);
        },
      ),
    );
  });
});

describe('rules off', () => {
  it('property: a check with no run-shape rule set behaves as before: any success after a start brings it up', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 2 * HOUR }), fc.integer({ min: 0, max: 30 * MIN })), { minLength: 1, maxLength: 10 }),
        (runs) => {
          const w = new World(timing({ schedule: { kind: 'interval', period_s: 7200 }, grace_s: 3600, max_runtime_s: 3600 }), T);
          for (const [gap, duration] of runs) {
            w.send('start', {}, w.now + gap);
            w.send('success', {}, w.now + duration);
            expect(w.state.consecutive_failures).toBe(0);
          }
        },
      ),
    );
  });
});
