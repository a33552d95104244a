// What one signal does: runs opened, matched and closed; counters; the status it moves the check to.
import { describe, expect, it } from 'vitest';
import { applySignal, initialState } from '../../src/core/index.js';
import { MIN, SEC, signal, t, timing, World } from './harness.js';

const T0 = t('2026-01-10T12:00:00Z');

/** Runs here may take an hour, so no timeout interferes with matching (timeouts: deadline.test.ts). */
function world(over = {}) {
  return new World(timing({ max_runtime_s: 3600, ...over }), T0);
}

describe('a run', () => {
  it('is opened by start and closed by success, with its duration', () => {
    const w = world();
    const started = w.send('start', {}, T0 + 10 * SEC);
    expect(started.runId).toBe('run-1');
    expect(w.state).toMatchObject({ open_runs: 1, run_count: 1 });
    const done = w.send('success', {}, T0 + 10 * SEC + 42_500);
    expect(done.runId).toBe('run-1');
    expect(w.run('run-1')).toMatchObject({ started_at: T0 + 10 * SEC, ended_at: T0 + 52_500, duration_ms: 42_500, result: 'success' });
    expect(w.state).toMatchObject({ open_runs: 0, run_count: 1, last_duration_ms: 42_500, run_deadline: null });
  });

  it('is closed by fail with the exit code and message kept on the run', () => {
    const w = world();
    w.send('start', {}, T0);
    w.send('fail', { exit_code: 3, message: 'disk full' }, T0 + 5 * SEC);
    expect(w.run('run-1')).toMatchObject({ result: 'fail', exit_code: 3, last_message: 'disk full', duration_ms: 5 * SEC });
    expect(w.state.last_duration_ms).toBe(5 * SEC);
  });

  it('is not created by a plain success or fail: that is a tick', () => {
    const w = world();
    const tick = w.send('success', {}, T0);
    expect(tick.runId).toBeNull();
    expect(tick.runs).toEqual([]);
    w.send('fail', {}, T0 + MIN);
    expect(w.state).toMatchObject({ run_count: 0, open_runs: 0, signal_count: 2, last_duration_ms: null });
  });

  it('is opened by progress when none is open, and keeps the latest percent and message', () => {
    const w = world();
    w.send('progress', { progress: 10, message: 'fetching' }, T0);
    expect(w.state).toMatchObject({ open_runs: 1, run_count: 1 });
    w.send('progress', { progress: 60 }, T0 + MIN);
    expect(w.run('run-1')).toMatchObject({ started_at: T0, progress: 60, last_message: 'fetching' });
    w.send('progress', { message: 'writing' }, T0 + 2 * MIN);
    expect(w.run('run-1')).toMatchObject({ progress: 60, last_message: 'writing' });
    expect(w.state.run_count).toBe(1);
  });

  it('shows 100 % when it succeeds after reporting progress', () => {
    const w = world();
    w.send('start', {}, T0);
    w.send('progress', { progress: 80 }, T0 + SEC);
    w.send('success', {}, T0 + 2 * SEC);
    expect(w.run('run-1')).toMatchObject({ progress: 100, result: 'success' });
  });

  it("a start, success or failure without a message clears the check's last message; a log or progress without one keeps it", () => {
    const w = world();
    w.send('fail', { message: 'pg_dump: connection lost' }, T0);
    expect(w.state.last_message).toBe('pg_dump: connection lost');
    w.send('success', {}, T0 + SEC);
    expect(w.state).toMatchObject({ status: 'up', last_message: null });
    w.send('start', { message: 'step1' }, T0 + 2 * SEC);
    w.send('progress', { progress: 50 }, T0 + 3 * SEC);
    w.send('log', {}, T0 + 4 * SEC);
    expect(w.state.last_message).toBe('step1');
    w.send('success', { message: 'copied 3 files' }, T0 + 5 * SEC);
    expect(w.state.last_message).toBe('copied 3 files');
    w.send('start', {}, T0 + 6 * SEC);
    expect(w.state.last_message).toBeNull();
  });

  it('collects log lines without opening a run or changing status', () => {
    const w = world();
    const lone = w.send('log', { message: 'hello' }, T0);
    expect(lone).toMatchObject({ runId: null, runs: [], flip: null });
    expect(w.state).toMatchObject({ status: 'new', run_count: 0, last_message: 'hello' });
    w.send('start', {}, T0 + SEC);
    const inRun = w.send('log', { message: 'step 2' }, T0 + 2 * SEC);
    expect(inRun.runId).toBe('run-1');
    expect(w.run('run-1').last_message).toBe('step 2');
    expect(w.run('run-1').ended_at).toBeNull();
  });
});

describe('run matching', () => {
  it('pairs signals with the run of the same rid, so overlapping runs are measured separately', () => {
    const w = world();
    w.send('start', { rid: 'a' }, T0);
    w.send('start', { rid: 'b' }, T0 + 10 * SEC);
    expect(w.state.open_runs).toBe(2);
    w.send('success', { rid: 'a' }, T0 + 60 * SEC);
    w.send('fail', { rid: 'b', exit_code: 1 }, T0 + 30 * SEC + 60 * SEC);
    expect(w.run('run-1')).toMatchObject({ rid: 'a', duration_ms: 60 * SEC, result: 'success' });
    expect(w.run('run-2')).toMatchObject({ rid: 'b', duration_ms: 80 * SEC, result: 'fail', exit_code: 1 });
    expect(w.state).toMatchObject({ open_runs: 0, run_count: 2, last_duration_ms: 80 * SEC });
  });

  it('treats a repeated start with the same rid as a client retry, not a second run', () => {
    const w = world();
    w.send('start', { rid: 'r1' }, T0);
    const retry = w.send('start', { rid: 'r1' }, T0 + 2 * SEC);
    expect(retry.runId).toBe('run-1');
    expect(retry.runs).toEqual([]);
    expect(w.state).toMatchObject({ open_runs: 1, run_count: 1 });
    w.send('success', { rid: 'r1' }, T0 + 10 * SEC);
    expect(w.run('run-1').duration_ms).toBe(10 * SEC);
  });

  it('lets a start without rid supersede an older rid-less open run, closed as abandoned', () => {
    const w = world();
    w.send('start', {}, T0);
    const second = w.send('start', {}, T0 + 20 * SEC);
    expect(second.runs.map((r) => [r.id, r.result])).toEqual([
      ['run-1', 'abandoned'],
      ['run-2', null],
    ]);
    expect(w.run('run-1')).toMatchObject({ ended_at: T0 + 20 * SEC, duration_ms: 20 * SEC, result: 'abandoned' });
    expect(w.state).toMatchObject({ open_runs: 1, run_count: 2 });
    // healthchecks.io measures from the latest start.
    w.send('success', {}, T0 + 30 * SEC);
    expect(w.run('run-2')).toMatchObject({ duration_ms: 10 * SEC, result: 'success' });
    expect(w.state).toMatchObject({ open_runs: 0, last_duration_ms: 10 * SEC });
  });

  it('does not abandon a run that has a rid when a rid-less start arrives', () => {
    const w = world();
    w.send('start', { rid: 'keep' }, T0);
    w.send('start', {}, T0 + SEC);
    expect(w.openRuns().map((r) => r.rid)).toEqual(['keep', null]);
    expect(w.state.open_runs).toBe(2);
  });

  it('closes the latest open run with a rid-less success', () => {
    const w = world();
    w.send('start', { rid: 'old' }, T0);
    w.send('start', { rid: 'new' }, T0 + MIN);
    w.send('success', {}, T0 + 2 * MIN);
    expect(w.run('run-2')).toMatchObject({ rid: 'new', result: 'success', duration_ms: MIN });
    expect(w.run('run-1').ended_at).toBeNull();
    expect(w.state.open_runs).toBe(1);
  });

  it('makes a success for an already closed run a tick', () => {
    const state = initialState(timing(), T0);
    const closed = {
      id: 'x',
      rid: 'r',
      started_at: T0,
      ended_at: T0 + SEC,
      duration_ms: SEC,
      result: 'timeout' as const,
      exit_code: null,
      progress: null,
      last_message: null,
    };
    const out = applySignal(timing(), state, signal('success', T0 + MIN, { rid: 'r' }), closed, 'unused');
    expect(out).toMatchObject({ runId: null, runs: [] });
    expect(out.state.status).toBe('up');
  });
});

describe('status after a signal', () => {
  it('is up after the first success, expecting the next beat one period later', () => {
    const w = world();
    const out = w.send('success', {}, T0);
    expect(out.flip).toEqual({ at: T0, from: 'new', to: 'up', reason: 'first heartbeat received', alert: null });
    expect(w.state).toMatchObject({ status: 'up', last_beat_at: T0, last_success_at: T0, expected_at: T0 + 5 * MIN });
  });

  it('stays new after a start: a start is not a heartbeat', () => {
    const w = world();
    expect(w.send('start', {}, T0).flip).toBeNull();
    expect(w.state).toMatchObject({ status: 'new', expected_at: null, last_beat_at: null });
  });

  it('is down at once after a fail, alerting, with the exit code and message in the reason', () => {
    const w = world();
    w.send('success', {}, T0);
    const out = w.send('fail', { exit_code: 2, message: 'backup target unreachable' }, T0 + MIN);
    expect(out.flip).toMatchObject({ from: 'up', to: 'down', alert: 'down' });
    expect(out.flip!.reason).toBe('received a failure signal with exit code 2: backup target unreachable');
    // A fail is a beat too: the next one is expected a period after it.
    expect(w.state.expected_at).toBe(T0 + 6 * MIN);
  });

  it('says nothing about an exit code of 0 or none', () => {
    const w = world();
    expect(w.send('fail', { exit_code: 0 }, T0).flip!.reason).toBe('received a failure signal');
  });

  it('does not flip again on a second fail while down', () => {
    const w = world();
    w.send('fail', {}, T0);
    expect(w.send('fail', {}, T0 + MIN).flip).toBeNull();
    expect(w.state.consecutive_failures).toBe(2);
  });

  it('recovers on success, with an up alert because it was down', () => {
    const w = world();
    w.send('fail', {}, T0);
    const out = w.send('success', {}, T0 + MIN);
    expect(out.flip).toMatchObject({ from: 'down', to: 'up', alert: 'up', reason: 'heartbeat received; check recovered' });
    expect(w.state.consecutive_failures).toBe(0);
  });

  it('carries the degraded overlay of the last success and clears it on the next plain one', () => {
    const w = world();
    w.send('success', { degraded: true }, T0);
    expect(w.state).toMatchObject({ status: 'up', degraded: true });
    w.send('success', {}, T0 + MIN);
    expect(w.state.degraded).toBe(false);
  });

  it('counts every signal and remembers the last message and time', () => {
    const w = world();
    w.send('start', { message: 'go' }, T0);
    w.send('log', {}, T0 + SEC);
    w.send('success', { message: 'done' }, T0 + 2 * SEC);
    expect(w.state).toMatchObject({ signal_count: 3, last_signal_at: T0 + 2 * SEC, last_message: 'done' });
  });
});

describe('failure_threshold', () => {
  it('needs N consecutive fails before the check goes down; below it the job counts as alive', () => {
    const w = world({ failure_threshold: 3 });
    w.send('success', {}, T0);
    expect(w.send('fail', {}, T0 + MIN).flip).toBeNull();
    expect(w.send('fail', {}, T0 + 2 * MIN).flip).toBeNull();
    expect(w.state).toMatchObject({ status: 'up', consecutive_failures: 2 });
    const third = w.send('fail', { exit_code: 1 }, T0 + 3 * MIN);
    expect(third.flip).toMatchObject({ from: 'up', to: 'down', alert: 'down' });
    expect(third.flip!.reason).toBe('received a failure signal with exit code 1 (3 consecutive failures, threshold 3)');
  });

  it('starts counting again after a success', () => {
    const w = world({ failure_threshold: 2 });
    w.send('fail', {}, T0);
    w.send('success', {}, T0 + MIN);
    w.send('fail', {}, T0 + 2 * MIN);
    expect(w.state).toMatchObject({ status: 'up', consecutive_failures: 1 });
  });

  it('turns a new check up on a first fail below the threshold, saying it failed', () => {
    const w = world({ failure_threshold: 2 });
    const out = w.send('fail', { message: 'flaky' }, T0);
    expect(out.flip).toMatchObject({ from: 'new', to: 'up', alert: null });
    expect(out.flip!.reason).toBe('received a failure signal: flaky (1 consecutive failures, threshold 2)');
  });
});

describe('recovery_threshold', () => {
  it('keeps a down check down until N consecutive successes', () => {
    const w = world({ recovery_threshold: 3 });
    w.send('fail', {}, T0);
    expect(w.send('success', {}, T0 + MIN).flip).toBeNull();
    expect(w.send('success', {}, T0 + 2 * MIN).flip).toBeNull();
    expect(w.status).toBe('down');
    const third = w.send('success', {}, T0 + 3 * MIN);
    expect(third.flip).toMatchObject({
      from: 'down',
      to: 'up',
      alert: 'up',
      reason: 'heartbeat received; check recovered (3 consecutive successes)',
    });
  });

  it('restarts the streak after a fail', () => {
    const w = world({ recovery_threshold: 2 });
    w.send('fail', {}, T0);
    w.send('success', {}, T0 + MIN);
    w.send('fail', {}, T0 + 2 * MIN);
    w.send('success', {}, T0 + 3 * MIN);
    expect(w.status).toBe('down');
    w.send('success', {}, T0 + 4 * MIN);
    expect(w.status).toBe('up');
  });

  it('does not hold back a check that was never down', () => {
    const w = world({ recovery_threshold: 5 });
    expect(w.send('success', {}, T0).flip).toMatchObject({ from: 'new', to: 'up' });
  });
});
