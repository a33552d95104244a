// The shapes of the public API's answers, as the dashboard reads them (see /api/v1/openapi.json).

export type Status = 'new' | 'up' | 'late' | 'down' | 'paused';
export type Schedule =
  { kind: 'interval'; period_s: number } | { kind: 'cron'; expr: string; tz: string } | { kind: 'oncalendar'; expr: string; tz: string };
export type Role = 'admin' | 'editor' | 'viewer';

export interface CurrentRun {
  id: string;
  rid: string | null;
  started_at: string | null;
  progress: number | null;
  last_message: string | null;
  host: string | null;
  /** When the run times out unless it ends (or, with extend_on_progress, reports progress) first. */
  deadline_at?: string | null;
}

export interface Check {
  id: string;
  /** Null for viewers: a check's key and ping URL are ping credentials. */
  key: string | null;
  slug: string;
  name: string;
  description: string;
  project: string | null;
  service: { id: string; name: string } | null;
  tags: string[];
  schedule: Schedule;
  grace_s: number | null;
  grace_multiplier: number | null;
  effective_grace_s: number;
  max_runtime_s: number | null;
  failure_threshold: number;
  recovery_threshold: number;
  manual_resume: boolean;
  alert_before_first_ping: boolean;
  enabled: boolean;
  methods: string[] | null;
  /** healthchecks.io's HTTP body keyword filter (issue 14). */
  filter_http_body?: boolean;
  filter_default_fail?: boolean;
  start_kw?: string;
  success_kw?: string;
  failure_kw?: string;
  push_token?: string | null;
  /** Failure rate over a window and quorum of hosts (issue 16); null = off. */
  failure_rate_count?: number | null;
  failure_rate_window?: number | null;
  recent_failures?: { failed: number; of: number } | null;
  quorum_hosts?: number | null;
  quorum_period?: { expected_at: string; hosts: string[] } | null;
  channels: string[];
  severity: 'minor' | 'major' | 'critical' | null;
  cooldown_s: number | null;
  realert_s: number | null;
  /** Run-shape rules (docs/alerts.md "Run-shape rules"); null / false = off. */
  min_runtime_s?: number | null;
  early_tolerance_s?: number | null;
  duration_anomaly_factor?: number | null;
  extend_on_progress?: boolean;
  status: Status;
  running: boolean;
  degraded: boolean;
  open_runs: number;
  consecutive_failures: number;
  ping_url: string | null;
  next_expected: string | null;
  next_deadline: string | null;
  last_signal_at: string | null;
  last_success_at: string | null;
  run_count: number;
  signal_count: number;
  last_duration_ms: number | null;
  last_message: string | null;
  current_run: CurrentRun | null;
  host: string | null;
  /** A snoozed check resumes by itself then. */
  snoozed_until?: string | null;
  /** While a maintenance window covers the check: when it ends. */
  maintenance_until?: string | null;
  /** Dependencies (issue 16): the checks this one depends on; while it is down and a parent is too, the parent incident it is folded into. */
  depends_on?: CheckLink[];
  folded_into?: { incident_id: string; check: CheckLink } | null;
  /** Learned schedules: what a check created by a ping proposes from its first pings. */
  proposed_schedule?: { schedule: Schedule; sentence: string; explanation: string } | null;
  created_at: string;
  updated_at: string;
}

export interface CheckLink {
  id: string;
  slug: string;
  name: string;
}

export interface Run {
  id: string;
  rid: string | null;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  result: string | null;
  exit_code: number | null;
  progress: number | null;
  last_message: string | null;
  host: string | null;
  running: boolean;
  /** Why a run that reported success counted as a failure (a run-shape rule it broke). */
  rule_violation?: string | null;
}

export interface Signal {
  id: number;
  at: string;
  kind: string;
  run_id: string | null;
  method: string | null;
  source_ip: string | null;
  user_agent: string | null;
  body: string | null;
  body_size: number;
  message: string | null;
  progress: number | null;
  exit_code: number | null;
  metadata: unknown;
  dialect: string;
}

export interface Flip {
  at: string;
  from: string;
  to: string;
  reason: string;
}

export interface Incident {
  id: string;
  check_id: string;
  check_name: string | null;
  severity: string;
  reason: string;
  opened_at: string;
  resolved_at: string | null;
  resolve_reason: string | null;
  duration_ms: number | null;
  open: boolean;
  acknowledged: boolean;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  /** Held back (the check's notifications wait for someone to publish it). */
  draft: boolean;
  next_alert_at: string | null;
  realerts: number;
  /** Dependencies: the parent incident this one is folded into, when it started paging on its own, and the children folded into it. */
  folded_into?: string | null;
  unfolded_at?: string | null;
  folded_children?: Array<{
    incident_id: string;
    check_id: string;
    check_slug: string;
    check_name: string;
    opened_at: string;
    resolved_at: string | null;
    still_down: boolean;
    paging_since: string | null;
  }>;
}

export interface Channel {
  id: string;
  kind: string;
  name: string;
  is_default: boolean;
  /** Also warned when a subscribed check goes late, before the down alert. */
  notify_late?: boolean;
  config: Record<string, unknown>;
  created_at: string;
}

export interface ApiKey {
  id: string;
  name: string;
  scope: string;
  created_at: string;
  last_used_at: string | null;
}

export interface Member {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  added_at: string;
  last_login_at: string | null;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
  expired: boolean;
}

/** The answer to inviting someone: the link comes back only when the server sends no mail. */
export interface Invited {
  invitation: Invitation;
  accept_url: string | null;
  emailed: boolean;
}

/** What an invitation link offers, as its token shows it. */
export interface InvitationView {
  email: string;
  role: Role;
  workspace: { name: string };
  invited_by: string | null;
  expires_at: string;
}

export interface WorkspaceRef {
  id: string;
  name: string;
  role: Role;
}

export interface Session {
  user: { id: string; email: string; name: string };
  workspace: WorkspaceRef | null;
  workspaces: WorkspaceRef[];
  csrf_token: string;
  server_time: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Timeline {
  from: string;
  to: string;
  uptime: number | null;
  periods: Array<{ status: Status; from: string; to: string }>;
}

export interface Stats {
  from: string;
  to: string;
  bucket_s: number;
  uptime: number | null;
  buckets: Array<{ at: string; expected: number; runs: number; fails: number; completes: number; signals: number }>;
}
