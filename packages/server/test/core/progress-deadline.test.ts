// Progress extends a running run's deadline (docs/alerts.md "Run-shape rules"): with extend_on_progress a progress or
// log signal moves the run's timeout to signal time + the run limit; a run that goes quiet times out one limit later.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runDueAt } from '../../src/core/index.js';
import { DAY, MIN, t, timing, World } from './harness.js';

const T = t('2026-05-01T02:00:00Z');
const daily = { kind: 'interval', period_s: 86400 } as const;
const longJob = (over = {}) => timing({ schedule: daily, grace_s: 3600, max_runtime_s: 600, extend_on_progress: true, ...over });

/** A check that last succeeded a day before T (so it is up), with these settings. */
function world(timingOf = longJob()) {
  const w = new World(timingOf, T - DAY);
  w.send('success', {}, T - DAY);
  return w;
}

describe('progress extends a running run', () => {
  it('a check with extend_on_progress and max runtime 10 min stays up through a 30-minute run that reports progress every 5 minutes', () => {
    const w = world();
    const { runId } = w.send('start', {}, T);
    for (let m = 5; m <= 30; m += 5) w.send('progress', { progress: m * 3 }, T + m * MIN);
    expect(w.run(runId!).deadline_at).toBe(T + 40 * MIN);
    expect(w.state.run_deadline).toBe(T + 40 * MIN);
    w.send('success', {}, T + 31 * MIN);
    expect(w.status).toBe('up');
    expect(w.run(runId!)).toMatchObject({ result: 'success', duration_ms: 31 * MIN });
    expect(w.flips.filter((f) => f.alert)).toEqual([]);
  });

  it('…and times out 10 minutes after the last progress, saying it went quiet', () => {
    const w = world();
    const { runId } = w.send('start', {}, T);
    for (let m = 5; m <= 30; m += 5) w.send('progress', {}, T + m * MIN);
    w.advanceTo(T + 40 * MIN - 1);
    expect(w.status).toBe('up');
    w.advanceTo(T + 40 * MIN);
    expect(w.status).toBe('down');
    expect(w.run(runId!)).toMatchObject({ result: 'timeout', ended_at: T + 40 * MIN, duration_ms: 40 * MIN });
    expect(w.lastFlip?.reason).toBe(
      'run started at 2026-05-01T02:00:00.000Z went quiet: no progress, log or end within 10m (max runtime) after its last progress at 2026-05-01T02:30:00.000Z',
    );
  });

  it('a log signal extends the run too; without extend_on_progress the same run times out at 10 minutes as before', () => {
    const logs = world();
    logs.send('start', {}, T);
    logs.send('log', { message: 'copied 1 of 3' }, T + 8 * MIN);
    logs.advanceTo(T + 17 * MIN);
    expect(logs.status).toBe('up');

    const plain = world(longJob({ extend_on_progress: false }));
    plain.send('start', {}, T);
    plain.send('progress', {}, T + 5 * MIN);
    plain.advanceTo(T + 10 * MIN);
    expect(plain.status).toBe('down');
    expect(plain.lastFlip?.reason).toMatch(/did not finish within 10m \(max runtime\)$/);
  });

  it('without max_runtime_s the window is the grace period', () => {
    const w = world(longJob({ max_runtime_s: null, grace_s: 300 }));
    const { runId } = w.send('start', {}, T);
    w.send('progress', {}, T + 4 * MIN);
    expect(w.run(runId!).deadline_at).toBe(T + 9 * MIN);
  });

  it('with two runs open, each keeps its own deadline and the quiet one times out alone', () => {
    const w = world();
    const a = w.send('start', { rid: 'a' }, T).runId!;
    const b = w.send('start', { rid: 'b' }, T + 1 * MIN).runId!;
    for (let m = 5; m <= 10; m += 5) w.send('progress', { rid: 'a' }, T + m * MIN);
    w.advanceTo(T + 12 * MIN);
    expect(w.run(b)).toMatchObject({ result: 'timeout', ended_at: T + 11 * MIN });
    expect(w.run(a).ended_at).toBeNull();
    for (let m = 15; m <= 20; m += 5) w.send('progress', { rid: 'a' }, T + m * MIN);
    w.advanceTo(T + 30 * MIN);
    expect(w.run(a)).toMatchObject({ result: 'timeout', ended_at: T + 30 * MIN });
  });

  it('property: a run that reports at gaps shorter than the window never times out; one that falls silent times out exactly one window after its last word', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10 * MIN - 1 }), { maxLength: 20 }),
        fc.integer({ min: 10 * MIN, max: DAY }),
        (gaps, silence) => {
          const w = world(longJob({ max_runtime_s: 600 }));
          const { runId } = w.send('start', {}, T);
          let last = T;
          for (const gap of gaps) {
            last += gap;
            w.send(gap % 2 ? 'progress' : 'log', {}, last);
            expect(w.run(runId!).ended_at).toBeNull();
          }
          expect(runDueAt(w.timing, w.run(runId!))).toBe(last + 10 * MIN);
          w.advanceTo(last + silence);
          expect(w.run(runId!)).toMatchObject({ result: 'timeout', ended_at: last + 10 * MIN });
        },
      ),
    );
  });
});
