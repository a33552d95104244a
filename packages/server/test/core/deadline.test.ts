// What the passing of time does: late at the expected time, down at expected + grace, further misses,
// runs that never end, and clock jumps that must not flood anyone with alerts.
import { describe, expect, it } from 'vitest';
import { applyDeadline, initialState, nextDeadline } from '../../src/core/index.js';
import { DAY, HOUR, iso, MIN, SEC, t, timing, World } from './harness.js';

const T0 = t('2026-01-10T12:00:00Z');
const MISS = 'no heartbeat received within expected interval + grace period';

/** A check on 5 minutes + 1 minute of grace that got its first beat at T0. */
function beating(over = {}) {
  const w = new World(timing(over), T0);
  w.send('success');
  return w;
}

describe('an interval check (5m + 1m grace)', () => {
  it('stays up until the expected time, then goes late: shown on the check, but neither a flip nor an alert', () => {
    const w = beating();
    expect(w.deadline()).toBe(T0 + 5 * MIN);
    w.advanceTo(T0 + 5 * MIN - 1);
    expect(w.status).toBe('up');
    w.advanceTo(T0 + 5 * MIN);
    expect(w.status).toBe('late');
    expect(w.story()).toEqual([`${iso(T0)} new→up`]);
    expect(w.deadline()).toBe(T0 + 6 * MIN);
  });

  it('goes down at expected + grace, not a millisecond before, with the values in the reason', () => {
    const w = beating();
    w.advanceTo(T0 + 6 * MIN - 1);
    expect(w.status).toBe('late');
    w.advanceTo(T0 + 6 * MIN);
    expect(w.status).toBe('down');
    const flip = w.lastFlip!;
    // The flip starts from up: late was never recorded, so the flip log stays a chain.
    expect(flip).toMatchObject({ at: T0 + 6 * MIN, from: 'up', to: 'down', alert: 'down' });
    expect(flip.reason).toContain(`${MISS} (5m + 1m)`);
    expect(flip.reason).toBe(`${MISS} (5m + 1m); last heartbeat at ${iso(T0)}`);
    expect(w.state.consecutive_failures).toBe(1);
  });

  it('records a further miss every period after, without further flips', () => {
    const w = beating();
    w.advanceTo(T0 + 6 * MIN);
    const flipsWhenDown = w.flips.length;
    expect(w.deadline()).toBe(T0 + 11 * MIN);
    w.advanceTo(T0 + 11 * MIN);
    expect(w.state.consecutive_failures).toBe(2);
    w.advanceTo(T0 + 16 * MIN);
    expect(w.state.consecutive_failures).toBe(3);
    w.advanceTo(T0 + 60 * MIN);
    expect(w.state.consecutive_failures).toBe(11);
    expect(w.wakeups).toEqual([5, 6, 11, 16, 21, 26, 31, 36, 41, 46, 51, 56].map((m) => T0 + m * MIN));
    expect(w.flips.length).toBe(flipsWhenDown);
  });

  it('comes back up on the next success, alerting up, and expects the beat after that', () => {
    const w = beating();
    w.advanceTo(T0 + 20 * MIN);
    const out = w.send('success');
    expect(out.flip).toMatchObject({ from: 'down', to: 'up', alert: 'up' });
    expect(w.state).toMatchObject({ consecutive_failures: 0, expected_at: T0 + 25 * MIN });
    expect(w.deadline()).toBe(T0 + 25 * MIN);
  });

  it('is up again, quietly, when the beat arrives inside the grace', () => {
    const w = beating();
    w.advanceTo(T0 + 5 * MIN + 30 * SEC);
    expect(w.status).toBe('late');
    const out = w.send('success');
    expect(out.flip).toBeNull();
    expect(w.status).toBe('up');
    expect(w.story()).toEqual([`${iso(T0)} new→up`]);
  });

  it('never flips while each beat arrives within a period of the one before', () => {
    const w = beating();
    for (let i = 1; i <= 1000; i++) w.send('success', {}, T0 + i * (5 * MIN - 3 * SEC));
    expect(w.story()).toEqual([`${iso(T0)} new→up`]);
  });

  it('is late for an instant when the beat arrives at exactly the expected time, and writes no flip for it', () => {
    const w = beating();
    w.send('success', {}, T0 + 5 * MIN);
    expect(w.status).toBe('up');
    expect(w.story()).toEqual([`${iso(T0)} new→up`]);
  });
});

describe('a clock jump (or a scheduler asleep for days)', () => {
  it('yields one flip, straight from up to down, counting every missed beat', () => {
    const w = beating();
    w.jumpTo(T0 + 2 * DAY);
    expect(w.flips.slice(1)).toHaveLength(1);
    const flip = w.lastFlip!;
    expect(flip).toMatchObject({ from: 'up', to: 'down', alert: 'down', at: T0 + 2 * DAY });
    // Beats were due at 5m, 10m, …; the one at 2 days − 5m is the last whose grace has run out.
    expect(flip.reason).toBe(`${MISS} (5m + 1m); last heartbeat at ${iso(T0)}; 575 beats missed`);
    expect(w.state.consecutive_failures).toBe(575);
  });

  it('leaves the next deadline in the future, so the scheduler does not spin', () => {
    const w = beating();
    w.jumpTo(T0 + 2 * DAY);
    expect(w.deadline()).toBeGreaterThan(T0 + 2 * DAY);
    w.jumpTo(T0 + 400 * DAY); // more misses than are walked one by one
    expect(w.deadline()).toBeGreaterThan(T0 + 400 * DAY);
    expect(w.deadline()! - (T0 + 400 * DAY)).toBeLessThanOrEqual(6 * MIN);
    expect(w.flips).toHaveLength(2);
  });

  it('applied twice at the same time changes nothing the second time', () => {
    const w = beating();
    const first = applyDeadline(w.timing, w.state, [], T0 + DAY);
    const second = applyDeadline(w.timing, first.state, [], T0 + DAY);
    expect(first.flip).not.toBeNull();
    expect(second.flip).toBeNull();
    expect(second.state).toEqual(first.state);
  });

  it('does nothing when called before the deadline', () => {
    const w = beating();
    const early = applyDeadline(w.timing, w.state, [], T0 + MIN);
    expect(early).toEqual({ state: w.state, timedOut: [], flip: null });
  });
});

describe('grace', () => {
  it('with grace_multiplier 1.5 on 10 minutes: late at 10m, down at 15m (period × multiplier)', () => {
    const w = new World(timing({ schedule: { kind: 'interval', period_s: 600 }, grace_s: null, grace_multiplier: 1.5 }), T0);
    w.send('success');
    w.advanceTo(T0 + 15 * MIN - 1);
    expect(w.status).toBe('late');
    w.advanceTo(T0 + 15 * MIN);
    expect(w.status).toBe('down');
    expect(w.lastFlip!.reason).toContain(`${MISS} (10m + 5m)`);
  });

  it('by default is five minutes', () => {
    const w = beating({ grace_s: null });
    w.advanceTo(T0 + 10 * MIN - 1);
    expect(w.status).toBe('late');
    w.advanceTo(T0 + 10 * MIN);
    expect(w.lastFlip!.reason).toContain(`${MISS} (5m + 5m)`);
  });

  it('of zero sends the check down at the expected time, with no late phase', () => {
    const w = beating({ grace_s: 0 });
    w.advanceTo(T0 + 5 * MIN);
    expect(w.story()).toEqual([`${iso(T0)} new→up`, `${iso(T0 + 5 * MIN)} up→down [down]`]);
    expect(w.lastFlip!.reason).toContain('(5m + 0ms)');
  });
});

describe('failure_threshold with missed beats', () => {
  it('keeps a check late through N − 1 misses and takes it down at the Nth', () => {
    const w = beating({ failure_threshold: 3 });
    w.advanceTo(T0 + 16 * MIN - 1);
    expect(w.status).toBe('late');
    expect(w.state.consecutive_failures).toBe(2);
    w.advanceTo(T0 + 16 * MIN);
    expect(w.story()).toEqual([`${iso(T0)} new→up`, `${iso(T0 + 16 * MIN)} up→down [down]`]);
    expect(w.lastFlip!.reason).toBe(`${MISS} (5m + 1m); last heartbeat at ${iso(T0)} (3 consecutive failures, threshold 3)`);
  });

  it('adds misses and fails together: one fail after two misses reaches a threshold of 3', () => {
    const w = beating({ failure_threshold: 3 });
    w.advanceTo(T0 + 12 * MIN);
    expect(w.state.consecutive_failures).toBe(2);
    expect(w.send('fail').flip).toMatchObject({ from: 'up', to: 'down', alert: 'down' });
  });
});

describe('run timeouts', () => {
  it('close a run that exceeds max_runtime_s as timeout, a failure that takes the check down', () => {
    const w = beating({ max_runtime_s: 120, schedule: { kind: 'interval', period_s: 3600 } });
    w.send('start', {}, T0 + 10 * MIN);
    expect(w.deadline()).toBe(T0 + 12 * MIN);
    w.advanceTo(T0 + 12 * MIN - 1);
    expect(w.status).toBe('up');
    w.advanceTo(T0 + 12 * MIN);
    expect(w.run('run-1')).toMatchObject({ result: 'timeout', ended_at: T0 + 12 * MIN, duration_ms: 2 * MIN });
    expect(w.state).toMatchObject({ status: 'down', open_runs: 0, run_deadline: null, consecutive_failures: 1 });
    expect(w.lastFlip).toMatchObject({
      from: 'up',
      to: 'down',
      alert: 'down',
      reason: `run started at ${iso(T0 + 10 * MIN)} did not finish within 2m (max runtime)`,
    });
  });

  it('fall back to the grace period when max_runtime_s is unset, and say so', () => {
    const w = beating({ schedule: { kind: 'interval', period_s: 3600 }, grace_s: 300 });
    w.send('start', {}, T0 + 10 * MIN);
    w.advanceTo(T0 + 15 * MIN);
    expect(w.run('run-1').result).toBe('timeout');
    expect(w.lastFlip!.reason).toBe(`run started at ${iso(T0 + 10 * MIN)} did not finish within 5m (grace period, no max runtime set)`);
  });

  it('do not touch a run that ends in time', () => {
    const w = beating({ max_runtime_s: 120, schedule: { kind: 'interval', period_s: 3600 } });
    w.send('start', {}, T0 + 10 * MIN);
    w.send('success', {}, T0 + 11 * MIN);
    w.advanceTo(T0 + 30 * MIN);
    expect(w.run('run-1').result).toBe('success');
    expect(w.status).toBe('up');
  });

  it('time out each overlapping run at its own limit', () => {
    const w = beating({ max_runtime_s: 600, schedule: { kind: 'interval', period_s: 86400 }, failure_threshold: 5 });
    w.send('start', { rid: 'a' }, T0 + 1 * MIN);
    w.send('start', { rid: 'b' }, T0 + 4 * MIN);
    w.advanceTo(T0 + 11 * MIN);
    expect(w.run('run-1').result).toBe('timeout');
    expect(w.run('run-2').ended_at).toBeNull();
    expect(w.state).toMatchObject({ open_runs: 1, run_deadline: T0 + 14 * MIN, consecutive_failures: 1 });
    w.advanceTo(T0 + 14 * MIN);
    expect(w.run('run-2').result).toBe('timeout');
    expect(w.state).toMatchObject({ open_runs: 0, run_deadline: null, consecutive_failures: 2, status: 'up' });
  });

  it("measure a superseded run's successor from its own start", () => {
    const w = beating({ max_runtime_s: 600, schedule: { kind: 'interval', period_s: 86400 } });
    w.send('start', {}, T0 + 1 * MIN);
    w.send('start', {}, T0 + 8 * MIN); // abandons the first
    w.advanceTo(T0 + 17 * MIN);
    expect(w.run('run-1').result).toBe('abandoned');
    expect(w.run('run-2').ended_at).toBeNull();
    expect(w.status).toBe('up');
    w.advanceTo(T0 + 18 * MIN);
    expect(w.run('run-2').result).toBe('timeout');
  });

  it('count below the threshold without a flip, and a late success for the run is a tick', () => {
    const w = beating({ max_runtime_s: 60, schedule: { kind: 'interval', period_s: 3600 }, failure_threshold: 2 });
    w.send('start', { rid: 'slow' }, T0 + 10 * MIN);
    w.advanceTo(T0 + 20 * MIN);
    expect(w.state).toMatchObject({ status: 'up', consecutive_failures: 1 });
    expect(w.flips).toHaveLength(1);
    const late = w.send('success', { rid: 'slow' });
    expect(late.runId).toBeNull();
    expect(w.state.consecutive_failures).toBe(0);
  });
});

describe('a new check', () => {
  it('expects nothing before its first ping by default', () => {
    const state = initialState(timing(), T0);
    expect(state).toMatchObject({ status: 'new', expected_at: null });
    expect(nextDeadline(timing(), state)).toBeNull();
    const w = new World(timing(), T0);
    w.advanceTo(T0 + 30 * DAY);
    expect(w.flips).toEqual([]);
  });

  it('with alert_before_first_ping is late one period after creation and down after the grace', () => {
    const w = new World(timing({ alert_before_first_ping: true }), T0);
    w.advanceTo(T0 + 6 * MIN);
    expect(w.story()).toEqual([`${iso(T0 + 6 * MIN)} new→down [down]`]);
    expect(w.lastFlip!.reason).toBe(`${MISS} (5m + 1m); no heartbeat ever received`);
  });

  it('with an open run but no beat still times the run out', () => {
    const w = new World(timing({ max_runtime_s: 3600 }), T0);
    w.send('start');
    w.advanceTo(T0 + HOUR);
    expect(w.lastFlip).toMatchObject({ from: 'new', to: 'down', alert: 'down' });
  });
});
