// Translation between a check row and the core's Timing / CheckState. The core never sees a row.
import { graceMs, nextDeadline, type CheckState, type Schedule, type Status, type Timing, DAY_S } from '../core/index.js';
import type { CheckRow } from './schema.js';
import type { Db } from './db.js';
import { prepared, placeholders } from './prepared.js';

export function scheduleOf(row: Pick<CheckRow, 'schedule_kind' | 'period_s' | 'cron_expr' | 'tz'>): Schedule {
  if (row.schedule_kind === 'oncalendar') return { kind: 'oncalendar', expr: row.cron_expr ?? 'daily', tz: row.tz ?? 'UTC' };
  return row.schedule_kind === 'cron'
    ? { kind: 'cron', expr: row.cron_expr ?? '* * * * *', tz: row.tz ?? 'UTC' }
    : { kind: 'interval', period_s: row.period_s ?? DAY_S };
}

/** The grace a check gets now: around its next expected beat (a multiplier depends on the gap before it). */
export function effectiveGraceMs(row: CheckRow): number {
  return graceMs(timingOf(row), row.expected_at ?? row.created_at);
}

export function timingOf(row: CheckRow): Timing {
  return {
    schedule: scheduleOf(row),
    grace_s: row.grace_s,
    grace_multiplier: row.grace_multiplier,
    max_runtime_s: row.max_runtime_s,
    failure_threshold: row.failure_threshold,
    recovery_threshold: row.recovery_threshold,
    manual_resume: row.manual_resume === 1,
    alert_before_first_ping: row.alert_before_first_ping === 1,
    min_runtime_s: row.min_runtime_s ?? null,
    early_tolerance_s: row.early_tolerance_s ?? null,
    duration_anomaly_factor: row.duration_anomaly_factor ?? null,
    extend_on_progress: row.extend_on_progress === 1,
    failure_rate_count: row.failure_rate_count ?? null,
    failure_rate_window: row.failure_rate_window ?? null,
    quorum_hosts: row.quorum_hosts ?? null,
  };
}

export function stateOf(row: CheckRow): CheckState {
  return {
    status: row.status as Status,
    degraded: row.degraded === 1,
    created_at: row.created_at,
    last_signal_at: row.last_signal_at,
    last_beat_at: row.last_beat_at,
    last_success_at: row.last_success_at,
    expected_at: row.expected_at,
    run_deadline: row.run_deadline,
    open_runs: row.open_runs,
    consecutive_failures: row.consecutive_failures,
    consecutive_successes: row.consecutive_successes,
    signal_count: row.signal_count,
    run_count: row.run_count,
    last_duration_ms: row.last_duration_ms,
    last_message: row.last_message,
    recent_outcomes: row.recent_outcomes ?? null,
    quorum_period: row.quorum_period ? JSON.parse(row.quorum_period) : null,
  };
}

/** Columns to write for a new state; next_deadline is derived here so it can never drift from the state. */
export function stateColumns(timing: Timing, state: CheckState, now: number, enabled = true) {
  return {
    status: state.status,
    degraded: state.degraded ? 1 : 0,
    last_signal_at: state.last_signal_at,
    last_beat_at: state.last_beat_at,
    last_success_at: state.last_success_at,
    expected_at: state.expected_at,
    run_deadline: state.run_deadline,
    // A disabled check is invisible to the scheduler.
    next_deadline: enabled ? nextDeadline(timing, state) : null,
    open_runs: state.open_runs,
    consecutive_failures: state.consecutive_failures,
    consecutive_successes: state.consecutive_successes,
    signal_count: state.signal_count,
    run_count: state.run_count,
    last_duration_ms: state.last_duration_ms,
    last_message: state.last_message,
    recent_outcomes: state.recent_outcomes ?? null,
    quorum_period: state.quorum_period ? JSON.stringify(state.quorum_period) : null,
    updated_at: now,
  };
}

export function timingColumns(timing: Timing) {
  const s = timing.schedule;
  return {
    schedule_kind: s.kind,
    period_s: s.kind === 'interval' ? s.period_s : null,
    // An OnCalendar expression is kept where a cron expression is: the schedule kind says which it is.
    cron_expr: s.kind === 'interval' ? null : s.expr,
    tz: s.kind === 'interval' ? null : s.tz,
    grace_s: timing.grace_s,
    grace_multiplier: timing.grace_multiplier,
    max_runtime_s: timing.max_runtime_s,
    failure_threshold: timing.failure_threshold,
    recovery_threshold: timing.recovery_threshold,
    manual_resume: timing.manual_resume ? 1 : 0,
    alert_before_first_ping: timing.alert_before_first_ping ? 1 : 0,
    min_runtime_s: timing.min_runtime_s ?? null,
    early_tolerance_s: timing.early_tolerance_s ?? null,
    duration_anomaly_factor: timing.duration_anomaly_factor ?? null,
    extend_on_progress: timing.extend_on_progress ? 1 : 0,
    failure_rate_count: timing.failure_rate_count ?? null,
    failure_rate_window: timing.failure_rate_window ?? null,
    quorum_hosts: timing.quorum_hosts ?? null,
  };
}

/** Applies a new state to a row in memory (so a batch can keep working on it without re-reading). */
export function withState(row: CheckRow, timing: Timing, state: CheckState, now: number): CheckRow {
  return keepSnooze({ ...row, ...stateColumns(timing, state, now, row.enabled === 1) });
}

/** A snoozed check (paused, snoozed_until set) is due when its snooze ends: the scheduler resumes it then. */
export function keepSnooze<T extends Pick<CheckRow, 'status' | 'enabled' | 'next_deadline'> & { snoozed_until?: number | null }>(
  row: T,
): T {
  if (row.status === 'paused' && row.snoozed_until != null && row.enabled === 1) row.next_deadline = Number(row.snoozed_until);
  return row;
}

export const STATE_COLUMNS = [
  'status',
  'degraded',
  'last_signal_at',
  'last_beat_at',
  'last_success_at',
  'expected_at',
  'run_deadline',
  'next_deadline',
  'open_runs',
  'consecutive_failures',
  'consecutive_successes',
  'signal_count',
  'run_count',
  'last_duration_ms',
  'last_message',
  'updated_at',
  'last_signal_id',
  'recent_outcomes',
  'quorum_period',
] as const;
export type StateColumn = (typeof STATE_COLUMNS)[number];

const updateState = prepared<StateColumn | 'id'>((db, p) =>
  db.updateTable('checks').set(placeholders(STATE_COLUMNS, p)).where('id', '=', p('id')),
);

/** Writes a check's state columns (and its signal chain head) in one prepared statement. */
export async function saveState(db: Db, row: CheckRow): Promise<void> {
  await updateState(db, row as unknown as Record<StateColumn | 'id', unknown>);
}
