// What people do to a check: pause it, resume it (by hand or by pinging), change its schedule.
import { describe, expect, it } from 'vitest';
import { alertFor } from '../../src/core/index.js';
import { DAY, HOUR, MIN, t, timing, World } from './harness.js';

const T0 = t('2026-01-10T12:00:00Z');

function beating(over = {}) {
  const w = new World(timing(over), T0);
  w.send('success');
  return w;
}

describe('pause', () => {
  it('stops the clock: a paused check never goes late or down and has no deadline', () => {
    const w = beating();
    w.advanceTo(T0 + MIN);
    expect(w.pause()).toEqual({ at: T0 + MIN, from: 'up', to: 'paused', reason: 'paused by a user', alert: null });
    expect(w.deadline()).toBeNull();
    w.advanceTo(T0 + 30 * DAY);
    expect(w.status).toBe('paused');
    expect(w.flips).toHaveLength(2);
  });

  it('resolves an open incident quietly (no up alert)', () => {
    const w = beating();
    w.advanceTo(T0 + 10 * MIN);
    expect(w.status).toBe('down');
    expect(w.pause()).toMatchObject({ from: 'down', to: 'paused', alert: null });
  });

  it('twice is once', () => {
    const w = beating();
    w.pause();
    expect(w.pause()).toBeNull();
    expect(w.flips).toHaveLength(2);
  });
});

describe('resume by a user', () => {
  it('starts the clock from now, so a long pause does not become an instant alert', () => {
    const w = beating();
    w.pause();
    w.advanceTo(T0 + 3 * DAY);
    const resumedAt = w.now;
    expect(w.resume()).toEqual({ at: resumedAt, from: 'paused', to: 'up', reason: 'resumed by a user', alert: null });
    expect(w.state).toMatchObject({ expected_at: resumedAt + 5 * MIN, consecutive_failures: 0 });
    w.advanceTo(resumedAt + 6 * MIN - 1);
    expect(w.status).toBe('late');
    w.advanceTo(resumedAt + 6 * MIN);
    expect(w.lastFlip).toMatchObject({ at: resumedAt + 6 * MIN, to: 'down', alert: 'down' });
  });

  it('returns a check that never beat to new, expecting nothing', () => {
    const w = new World(timing(), T0);
    w.pause();
    w.advanceTo(T0 + DAY);
    expect(w.resume()).toMatchObject({ from: 'paused', to: 'new' });
    expect(w.state.expected_at).toBeNull();
    expect(w.deadline()).toBeNull();
  });

  it('of a never-beating check with alert_before_first_ping expects a beat one period from now', () => {
    const w = new World(timing({ alert_before_first_ping: true }), T0);
    w.pause();
    w.advanceTo(T0 + DAY);
    w.resume();
    expect(w.state.expected_at).toBe(T0 + DAY + 5 * MIN);
  });

  it('of a check that is not paused does nothing', () => {
    const w = beating();
    expect(w.resume()).toBeNull();
  });
});

describe('signals to a paused check', () => {
  it('resume it when manual_resume is off: a success brings it up, quietly', () => {
    const w = beating();
    w.pause();
    w.advanceTo(T0 + DAY);
    const out = w.send('success');
    expect(out.flip).toEqual({ at: T0 + DAY, from: 'paused', to: 'up', reason: 'heartbeat received; check resumed', alert: null });
    expect(w.state.expected_at).toBe(T0 + DAY + 5 * MIN);
  });

  it('resume it when manual_resume is off: a fail takes it down and alerts', () => {
    const w = beating();
    w.pause();
    w.advanceTo(T0 + DAY);
    const out = w.send('fail', { exit_code: 4 });
    expect(out.flip).toMatchObject({ from: 'paused', to: 'down', alert: 'down', reason: 'received a failure signal with exit code 4' });
  });

  it('resume it when manual_resume is off: a start restarts the clock from now, not from before the pause', () => {
    const w = beating({ max_runtime_s: 3600 });
    w.pause();
    w.advanceTo(T0 + DAY);
    const out = w.send('start');
    expect(out.flip).toMatchObject({ from: 'paused', to: 'up', alert: null, reason: 'signal received; check resumed' });
    expect(w.state.expected_at).toBe(T0 + DAY + 5 * MIN);
    // The job finishes in time: nothing was missed while the check was paused.
    w.send('success', {}, T0 + DAY + 2 * MIN);
    expect(w.flips.map((f) => f.to)).toEqual(['up', 'paused', 'up']);
    expect(w.state.consecutive_failures).toBe(0);
  });

  it('resume a check that never beat to new on a start, still expecting nothing before its first beat', () => {
    const w = new World(timing({ max_runtime_s: 3600 }), T0);
    w.pause();
    w.advanceTo(T0 + DAY);
    expect(w.send('start').flip).toMatchObject({ from: 'paused', to: 'new', alert: null });
    expect(w.state.expected_at).toBeNull();
    expect(w.deadline()).toBe(T0 + DAY + HOUR); // only the run's own limit
  });

  it('do not resume it with log or progress', () => {
    const w = beating({ max_runtime_s: 3600 });
    w.pause();
    expect(w.send('log', { message: 'x' }).flip).toBeNull();
    expect(w.send('progress', { progress: 5 }).flip).toBeNull();
    expect(w.status).toBe('paused');
    expect(w.state.signal_count).toBe(3);
  });

  it('with manual_resume are recorded but change no status, counters or expectations', () => {
    const w = beating({ manual_resume: true, max_runtime_s: 3600 });
    w.pause();
    const before = w.state;
    w.advanceTo(T0 + DAY);
    for (const kind of ['start', 'success', 'fail'] as const) expect(w.send(kind).flip).toBeNull();
    expect(w.status).toBe('paused');
    expect(w.state).toMatchObject({
      last_beat_at: before.last_beat_at,
      expected_at: before.expected_at,
      consecutive_failures: 0,
      consecutive_successes: before.consecutive_successes,
      signal_count: before.signal_count + 3,
      last_signal_at: T0 + DAY,
    });
    expect(w.deadline()).toBeNull();
  });

  it('with manual_resume still wait for a user, who starts the clock afresh', () => {
    const w = beating({ manual_resume: true });
    w.pause();
    w.advanceTo(T0 + DAY);
    w.send('fail');
    expect(w.resume()).toMatchObject({ from: 'paused', to: 'up' });
    expect(w.state.expected_at).toBe(T0 + DAY + 5 * MIN);
  });
});

describe('retime (a schedule change)', () => {
  it('moves the expectation to the new schedule, counted from the last beat', () => {
    const w = beating();
    w.advanceTo(T0 + 2 * MIN);
    expect(w.retime(timing({ schedule: { kind: 'interval', period_s: 3600 } }))).toBeNull();
    expect(w.state.expected_at).toBe(T0 + HOUR);
    w.advanceTo(T0 + HOUR - 1);
    expect(w.status).toBe('up');
  });

  it('brings a late check back up, quietly, when the new expectation is still ahead', () => {
    const w = beating();
    w.advanceTo(T0 + 5 * MIN + 10_000);
    expect(w.status).toBe('late');
    const flip = w.retime(timing({ schedule: { kind: 'interval', period_s: 600 } }));
    expect(flip).toBeNull();
    expect(w.status).toBe('up');
    expect(w.state.expected_at).toBe(T0 + 10 * MIN);
  });

  it('shortening the period so the last beat is already too old lets the next scheduler pass find the miss', () => {
    const w = beating({ schedule: { kind: 'interval', period_s: 3600 } });
    w.advanceTo(T0 + 30 * MIN);
    w.retime(timing({ schedule: { kind: 'interval', period_s: 600 } }));
    expect(w.deadline()).toBe(T0 + 10 * MIN);
    w.advanceTo(T0 + 30 * MIN);
    expect(w.lastFlip).toMatchObject({ from: 'up', to: 'down', alert: 'down', at: T0 + 30 * MIN });
    expect(w.lastFlip!.reason).toContain('(10m + 1m)');
  });

  it('can switch an interval check to cron', () => {
    const w = beating();
    w.retime(timing({ schedule: { kind: 'cron', expr: '0 2 * * *', tz: 'Europe/Berlin' } }));
    expect(w.state.expected_at).toBe(t('2026-01-11T02:00:00+01:00'));
  });

  it('leaves a new check without expectations, and a paused check alone', () => {
    const fresh = new World(timing(), T0);
    fresh.retime(timing({ schedule: { kind: 'interval', period_s: 60 } }));
    expect(fresh.state.expected_at).toBeNull();
    const paused = beating();
    paused.pause();
    const before = paused.state;
    expect(paused.retime(timing({ schedule: { kind: 'interval', period_s: 60 } }))).toBeNull();
    expect(paused.state).toBe(before);
  });
});

describe('alerts on flips', () => {
  it('are down when entering down from anywhere, up only when leaving down for up', () => {
    const statuses = ['new', 'up', 'late', 'down', 'paused'] as const;
    const table = statuses.flatMap((from) => statuses.filter((to) => to !== from).map((to) => `${from}→${to}: ${alertFor(from, to)}`));
    expect(table.filter((line) => !line.endsWith('null'))).toEqual([
      'new→down: down',
      'up→down: down',
      'late→down: down',
      'down→up: up',
      'paused→down: down',
    ]);
  });
});
