// Row types of every table, as Kysely sees them. Times are epoch ms (BIGINT); booleans are 0/1; JSON is TEXT.
import type { Generated } from 'kysely';

export interface WorkspaceRow {
  id: string;
  name: string;
  ping_key: string;
  settings: string;
  created_at: number;
}

export interface ApiKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  /** The key's public prefix, used to find the row before the constant-time hash comparison. */
  lookup: string;
  hash: string;
  scope: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface ServiceRow {
  id: string;
  workspace_id: string;
  name: string;
  created_at: number;
}

export interface CheckRow {
  id: string;
  /** What the read scope sees instead of the UUID (0016): readIdOf(id), unique. */
  read_id: string;
  workspace_id: string;
  key: string;
  slug: string;
  name: string;
  description: string;
  project: string | null;
  service_id: string | null;
  tags: string;
  schedule_kind: string;
  period_s: number | null;
  cron_expr: string | null;
  tz: string | null;
  grace_s: number | null;
  grace_multiplier: number | null;
  max_runtime_s: number | null;
  failure_threshold: number;
  recovery_threshold: number;
  manual_resume: number;
  alert_before_first_ping: number;
  enabled: number;
  methods: string | null;
  status: string;
  degraded: number;
  last_signal_at: number | null;
  last_beat_at: number | null;
  last_success_at: number | null;
  expected_at: number | null;
  run_deadline: number | null;
  next_deadline: number | null;
  open_runs: number;
  consecutive_failures: number;
  consecutive_successes: number;
  signal_count: number;
  run_count: number;
  last_duration_ms: number | null;
  last_message: string | null;
  /** Head of the check's signal chain (signals.prev_id links older ones). */
  last_signal_id: number | null;
  /** Settings of a replaced service kept verbatim (JSON), not acted on (0003). */
  extra: string | null;
  created_at: number;
  updated_at: number;
  /** Alert policy (0002): severity override, cooldown and re-alert interval; null = not set. */
  severity: string | null;
  cooldown_s: number | null;
  realert_s: number | null;
  /** A cooldown is holding back a new incident until then. */
  incident_hold_until: number | null;
  /** Uptime Kuma push token kept from an import (0010): /api/push/{token}; unique server-wide, null when none. */
  push_token?: string | null;
  /** Run-shape rules (0019, core/run-shape.ts); null (0 for the flag) = off. */
  min_runtime_s?: number | null;
  early_tolerance_s?: number | null;
  duration_anomaly_factor?: number | null;
  extend_on_progress?: number;
  /** Failure rate and quorum settings (0020; null = off) and their state: recent outcomes, the quorum period (JSON). */
  failure_rate_count?: number | null;
  failure_rate_window?: number | null;
  quorum_hosts?: number | null;
  recent_outcomes?: string | null;
  quorum_period?: string | null;
  /** Learned schedules (0018): 'pending' while a check a ping created proposes its schedule, then 'accepted' or 'dismissed'. */
  schedule_proposal?: string | null;
  /** Snooze (0017): a paused check resumes by itself at this time; null when not snoozed. */
  snoozed_until?: number | null;
  /** Why incident_hold_until holds (0017): 'maintenance' for a window's end, null for a cooldown. */
  hold_cause?: string | null;
}

/** A maintenance window (0017): while it is open, checks in its scope alert nothing. */
export interface MaintenanceWindowRow {
  id: string;
  workspace_id: string;
  name: string;
  check_id: string | null;
  tag: string | null;
  cron_expr: string | null;
  tz: string | null;
  duration_s: number | null;
  starts_at: number | null;
  ends_at: number | null;
  reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface RunRow {
  id: string;
  check_id: string;
  rid: string | null;
  started_at: number | null;
  ended_at: number | null;
  duration_ms: number | null;
  result: string | null;
  exit_code: number | null;
  progress: number | null;
  last_message: string | null;
  host: string | null;
  /** The timeout a progress signal pushed this run to (0019); null = started_at + the check's run limit. */
  deadline_at?: number | null;
  /** Why this run, reported a success, counted as a failed beat (a run-shape rule it broke, 0019). */
  rule_violation?: string | null;
}

export interface SignalRow {
  id: Generated<number>;
  check_id: string;
  /** The check's previous signal: signals form a newest-first chain per check. */
  prev_id: number | null;
  run_id: string | null;
  at: number;
  kind: string;
  method: string | null;
  source_ip: string | null;
  user_agent: string | null;
  body: string | null;
  message: string | null;
  progress: number | null;
  exit_code: number | null;
  metadata: string | null;
  dialect: string;
}

export interface FlipRow {
  id: Generated<number>;
  check_id: string;
  workspace_id: string;
  at: number;
  from_status: string;
  to_status: string;
  reason: string;
}

export interface IncidentRow {
  id: string;
  workspace_id: string;
  check_id: string;
  opened_at: number;
  resolved_at: number | null;
  reason: string;
  resolve_reason: string | null;
  severity: string;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  draft: number;
  published_at: number | null;
  next_alert_at: number | null;
  realerts: number;
  /** Dependencies (0018): the parent's incident this one was folded into (it did not page), else null. */
  folded_into?: string | null;
  /** When the parent recovered while this check was still down, and this incident started paging on its own. */
  unfolded_at?: number | null;
}

export interface CheckDependencyRow {
  check_id: string;
  parent_id: string;
  workspace_id: string;
}

export interface ChannelRow {
  id: string;
  workspace_id: string;
  kind: string;
  name: string;
  config: string;
  is_default: number;
  created_at: number;
  /** 1: also notified when a check goes late, before the down alert (0020). */
  notify_late?: number;
}

export interface CheckChannelRow {
  check_id: string;
  channel_id: string;
}

export interface OutboxRow {
  id: Generated<number>;
  workspace_id: string;
  channel_id: string;
  check_id: string;
  incident_id: string | null;
  event: string;
  payload: string;
  idempotency_key: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  claimed_until: number | null;
  created_at: number;
  sent_at: number | null;
  last_error: string | null;
  /** 1 when batching may combine it with others for the same channel. */
  digest: number;
  /** How many notifications the message carrying it held; set when it is claimed for sending. */
  sent_in: number | null;
}

export interface DeliveryAttemptRow {
  id: Generated<number>;
  outbox_id: number;
  at: number;
  ok: number;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  finished_at: number | null;
  digest_size: number;
}

/** A host a check's jobs reported from (0003), for the project hosts roll-up. */
export interface CheckHostRow {
  check_id: string;
  workspace_id: string;
  host: string;
  first_seen_at: number;
  last_seen_at: number;
  signal_count: number;
}

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: number;
  last_login_at: number | null;
}

export interface MembershipRow {
  workspace_id: string;
  user_id: string;
  /** admin, editor or viewer. */
  role: string;
  created_at: number;
}

export interface SessionRow {
  /** SHA-256 (hex) of the cookie's secret. */
  id: string;
  user_id: string;
  /** The workspace the session acts in; null when the user belongs to none. */
  workspace_id: string | null;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface InvitationRow {
  id: string;
  workspace_id: string;
  /** Lower-cased. */
  email: string;
  role: string;
  /** SHA-256 (hex) of the link's token. */
  token_hash: string;
  /** The user who invited; null when an API key did. */
  invited_by: string | null;
  created_at: number;
  expires_at: number;
}

export interface HealthRow {
  id: number;
  checked_at: number;
}

export interface SignalRetentionRow {
  check_id: string;
  /** Signals of the check deleted by retention so far. */
  pruned: number;
}

export interface BadgeTokenRow {
  workspace_id: string;
  token: string;
  created_at: number;
}

export interface StatusPageRow {
  workspace_id: string;
  slug: string;
  title: string;
  description: string;
  /** JSON array of check ids, in the order the page shows them. */
  check_ids: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

/** A deleted check's UUID or key, reserved for the workspace that used it. */
export interface RetiredCheckIdentifierRow {
  identifier: string;
  workspace_id: string;
}

/** The last numeric suffix given to a wanted slug in a workspace (name-2, name-3, …). */
export interface SlugCounterRow {
  workspace_id: string;
  base: string;
  last: number;
}

export interface Database {
  health: HealthRow;
  workspaces: WorkspaceRow;
  api_keys: ApiKeyRow;
  services: ServiceRow;
  checks: CheckRow;
  runs: RunRow;
  signals: SignalRow;
  flips: FlipRow;
  incidents: IncidentRow;
  channels: ChannelRow;
  check_channels: CheckChannelRow;
  outbox: OutboxRow;
  delivery_attempts: DeliveryAttemptRow;
  check_hosts: CheckHostRow;
  users: UserRow;
  memberships: MembershipRow;
  sessions: SessionRow;
  invitations: InvitationRow;
  signal_retention: SignalRetentionRow;
  badge_tokens: BadgeTokenRow;
  status_pages: StatusPageRow;
  retired_check_identifiers: RetiredCheckIdentifierRow;
  slug_counters: SlugCounterRow;
  maintenance_windows: MaintenanceWindowRow;
  check_dependencies: CheckDependencyRow;
}
