// The vocabulary of the pure core (protocol.md §1–2). Times are epoch milliseconds.

export type Status = 'new' | 'up' | 'late' | 'down' | 'paused';
/** `ignored`: stored and counted, but changes nothing (a keyword filter matched nothing, a method the check refuses). */
export type SignalKind = 'start' | 'log' | 'progress' | 'success' | 'fail' | 'ignored';
export type RunResult = 'success' | 'fail' | 'timeout' | 'abandoned';

export type Schedule =
  | { kind: 'interval'; period_s: number }
  | { kind: 'cron'; expr: string; tz: string }
  /** systemd OnCalendar (core/oncalendar.ts), timed through the cron patterns it translates to. */
  | { kind: 'oncalendar'; expr: string; tz: string };

/** How a check is expected to behave: its configuration, as the core needs it. */
export interface Timing {
  schedule: Schedule;
  grace_s: number | null;
  grace_multiplier: number | null;
  max_runtime_s: number | null;
  failure_threshold: number;
  recovery_threshold: number;
  manual_resume: boolean;
  alert_before_first_ping: boolean;
  /** Run-shape rules (core/run-shape.ts); null or absent = off. A success closing a run shorter than this is a failed beat. */
  min_runtime_s?: number | null;
  /** A success sooner than period − this after the last success (cron: in the same slot) is a failed beat. */
  early_tolerance_s?: number | null;
  /** A success closing a run longer than this × the p95 of its recent successful runs is a failed beat. */
  duration_anomaly_factor?: number | null;
  /** A progress or log signal pushes its open run's timeout to signal time + the run limit. */
  extend_on_progress?: boolean;
  /** Failure rate over a window (core/failure-rate.ts): down when this many of the last `failure_rate_window` beats failed; null = off. */
  failure_rate_count?: number | null;
  failure_rate_window?: number | null;
  /** Quorum (core/quorum.ts): this many distinct hosts must report success each period; null = off. */
  quorum_hosts?: number | null;
}

/** What the core remembers about a check between events. */
export interface CheckState {
  status: Status;
  degraded: boolean;
  created_at: number;
  last_signal_at: number | null;
  /** Last success or fail: the base of the next expected beat. */
  last_beat_at: number | null;
  last_success_at: number | null;
  /** When the next beat is due, without grace. Null when nothing is expected. */
  expected_at: number | null;
  /** Earliest timeout among open runs; a lower bound, re-evaluated when it fires. */
  run_deadline: number | null;
  open_runs: number;
  consecutive_failures: number;
  consecutive_successes: number;
  signal_count: number;
  run_count: number;
  last_duration_ms: number | null;
  last_message: string | null;
  /** Outcomes of the last beats, oldest first ('s' success, 'f' failure); kept only while a failure rate is set. */
  recent_outcomes?: string | null;
  /** The quorum period being collected: the beat it ends at and the hosts that reported success in it. */
  quorum_period?: QuorumPeriod | null;
}

/** Hosts that reported success for the beat expected at `at` (core/quorum.ts). */
export interface QuorumPeriod {
  at: number;
  hosts: string[];
}

/** One thing a client told us, as the core sees it. */
export interface SignalEvent {
  kind: SignalKind;
  at: number;
  exit_code: number | null;
  progress: number | null;
  message: string | null;
  degraded: boolean;
  /** Client run id (rid / run_id), when given. */
  rid: string | null;
  /** Host that ran the job, when the client said (counts toward a quorum). */
  host?: string | null;
}

export interface RunState {
  id: string;
  rid: string | null;
  started_at: number | null;
  ended_at: number | null;
  duration_ms: number | null;
  result: RunResult | null;
  exit_code: number | null;
  progress: number | null;
  last_message: string | null;
  /** The run's timeout once a progress signal has pushed it (core/progress-deadline.ts); else started_at + the run limit. */
  deadline_at?: number | null;
  /** Why a run that reported success counted as a failed beat (a run-shape rule it broke), or null. */
  rule_violation?: string | null;
}

export type AlertKind = 'down' | 'up';

/** A status change, with the sentence a person reads in the alert. */
export interface Flip {
  at: number;
  from: Status;
  to: Status;
  reason: string;
  /** Whether this change opens (down) or resolves (up) an incident. */
  alert: AlertKind | null;
  /** For a flip caused by missed beats: when the last beat it missed was expected. */
  missed_at?: number;
}
