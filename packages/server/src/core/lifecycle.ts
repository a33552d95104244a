// Events a person causes: creating, pausing, resuming and re-timing a check. Pure.
import type { CheckState, Flip, Timing } from './types.js';
import { nextTick } from './schedule.js';
import { flipBetween, flipOrigin } from './flip.js';

/** A new check: nothing expected until the first beat, unless it should alert before its first ping. */
export function initialState(timing: Timing, now: number): CheckState {
  return {
    status: 'new',
    degraded: false,
    created_at: now,
    last_signal_at: null,
    last_beat_at: null,
    last_success_at: null,
    expected_at: timing.alert_before_first_ping ? nextTick(timing.schedule, now) : null,
    run_deadline: null,
    open_runs: 0,
    consecutive_failures: 0,
    consecutive_successes: 0,
    signal_count: 0,
    run_count: 0,
    last_duration_ms: null,
    last_message: null,
  };
}

/** Pausing also abandons open runs (the edge closes their rows): nothing about them is awaited any more. */
export function pause(prev: CheckState, now: number): { state: CheckState; flip: Flip | null } {
  if (prev.status === 'paused') return { state: prev, flip: null };
  const state: CheckState = { ...prev, status: 'paused', open_runs: 0, run_deadline: null };
  return { state, flip: { ...flipBetween(flipOrigin(prev), 'paused', now, 'paused by a user'), alert: null } };
}

/**
 * Resuming starts the clock afresh from now, so a long pause does not turn into an instant alert. Runs
 * started while paused are abandoned (the edge closes their rows) for the same reason.
 */
export function resume(timing: Timing, prev: CheckState, now: number): { state: CheckState; flip: Flip | null } {
  if (prev.status !== 'paused') return { state: prev, flip: null };
  const everBeat = prev.last_beat_at != null;
  const state: CheckState = {
    ...prev,
    status: everBeat ? 'up' : 'new',
    expected_at: everBeat || timing.alert_before_first_ping ? nextTick(timing.schedule, now) : null,
    consecutive_failures: 0,
    consecutive_successes: 0,
    open_runs: 0,
    run_deadline: null,
  };
  return { state, flip: { ...flipBetween('paused', state.status, now, 'resumed by a user'), alert: null } };
}

/** After a schedule change: expectations follow the new schedule from the last beat (or creation). */
export function retime(timing: Timing, prev: CheckState, now: number): { state: CheckState; flip: Flip | null } {
  if (prev.status === 'paused') return { state: prev, flip: null };
  // A check that never beat counts from now: turning on alert_before_first_ping must not alert for the past.
  const base = prev.last_beat_at ?? (timing.alert_before_first_ping ? now : null);
  const state: CheckState = { ...prev, expected_at: base == null ? null : nextTick(timing.schedule, base) };
  // A late check whose new expectation is still ahead is back on schedule; late ↔ up is never a flip (see isFlip).
  if (prev.status === 'late' && state.expected_at != null && state.expected_at > now) state.status = 'up';
  return { state, flip: null };
}
