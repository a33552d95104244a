// Rows → API JSON: ISO times, booleans, nested service, ping URL. The only place that shapes API output.
import type { Selectable } from 'kysely';
import { iso, runDueAt } from '../core/index.js';
import type { CheckRow, FlipRow, IncidentRow, RunRow, ServiceRow, SignalRow, ChannelRow } from '../store/schema.js';
import { effectiveGraceMs, scheduleOf, timingOf } from '../store/check-rows.js';
import { runStateOf } from '../store/runs.js';
import { channelKind, publicConfigOf, type ConfigAudience } from '../alerts/channels/index.js';
import { keywordSettingsOf } from '../checks/keyword-settings.js';
import { presentRateAndQuorum } from './present-rate-quorum.js';
import type { CheckLink } from '../store/dependencies.js';
import type { ScheduleProposal } from '../core/learned-schedule.js';

/**
 * Whether a caller may see ping credentials: a check's 8-character key and ping URL, the workspace's ping key.
 * Whoever knows them can send signals (fake a success, page on-call) and create checks, which the read scope
 * (viewers, read keys) must not be able to do.
 */
export type PingCredentialAudience = 'writer' | 'reader';

export function pingAudienceOf(auth: { scope: string } | undefined): PingCredentialAudience {
  return auth?.scope === 'write' ? 'writer' : 'reader';
}

/** A presented check as the read scope sees it: without its key and ping URL. */
export function withoutPingCredentials<T extends { key: string | null; ping_url: string | null; push_token?: string | null }>(check: T): T {
  // An Uptime Kuma push token is a ping URL too (/api/push/{token}).
  return { ...check, key: null, ping_url: null, ...('push_token' in check ? { push_token: null } : {}) };
}

export interface CheckContext {
  publicUrl: string;
  services: Map<string, ServiceRow>;
  channels: Map<string, string[]>;
  /** Each running check's latest open run. */
  runs: Map<string, RunRow>;
  /** The host of each check's latest run. */
  hosts: Map<string, string>;
  /** Checks in a maintenance window now, and when it ends. */
  maintenance?: Map<string, number>;
  /** Dependencies (issue 16): each check's parents, and for a down check folded into a parent's incident, that incident. */
  parents?: Map<string, CheckLink[]>;
  folded?: Map<string, { parent_incident_id: string; parent: CheckLink }>;
  /** Learned schedules: the proposal of each check that has one. */
  proposals?: Map<string, ScheduleProposal>;
}

export function presentCheck(row: CheckRow, ctx: CheckContext) {
  const service = row.service_id ? ctx.services.get(row.service_id) : undefined;
  return {
    id: row.id,
    key: row.key as string | null,
    slug: row.slug,
    name: row.name,
    description: row.description,
    project: row.project,
    service: service ? { id: service.id, name: service.name } : null,
    tags: JSON.parse(row.tags) as string[],
    schedule: scheduleOf(row),
    grace_s: row.grace_s,
    grace_multiplier: row.grace_multiplier,
    effective_grace_s: Math.round(effectiveGraceMs(row) / 1000),
    max_runtime_s: row.max_runtime_s,
    failure_threshold: row.failure_threshold,
    recovery_threshold: row.recovery_threshold,
    manual_resume: row.manual_resume === 1,
    alert_before_first_ping: row.alert_before_first_ping === 1,
    enabled: row.enabled === 1,
    methods: row.methods ? row.methods.split(',') : null,
    channels: ctx.channels.get(row.id) ?? [],
    severity: row.severity,
    cooldown_s: row.cooldown_s,
    realert_s: row.realert_s,
    ...keywordSettingsOf(row.extra),
    push_token: row.push_token ?? null,
    min_runtime_s: row.min_runtime_s ?? null,
    early_tolerance_s: row.early_tolerance_s ?? null,
    duration_anomaly_factor: row.duration_anomaly_factor ?? null,
    extend_on_progress: row.extend_on_progress === 1,
    ...presentRateAndQuorum(row),
    status: row.status,
    running: row.open_runs > 0,
    degraded: row.degraded === 1,
    open_runs: row.open_runs,
    consecutive_failures: row.consecutive_failures,
    ping_url: `${ctx.publicUrl}/ping/${row.key}` as string | null,
    next_expected: iso(row.expected_at),
    next_deadline: iso(row.next_deadline),
    last_signal_at: iso(row.last_signal_at),
    last_success_at: iso(row.last_success_at),
    run_count: row.run_count,
    signal_count: row.signal_count,
    last_duration_ms: row.last_duration_ms,
    last_message: row.last_message,
    current_run: currentRun(row, ctx.runs.get(row.id)),
    host: ctx.hosts.get(row.id) ?? null,
    snoozed_until: iso(row.status === 'paused' ? row.snoozed_until : null),
    maintenance_until: iso(ctx.maintenance?.get(row.id)),
    depends_on: ctx.parents?.get(row.id) ?? [],
    folded_into: foldedOf(ctx.folded?.get(row.id)),
    proposed_schedule: ctx.proposals?.get(row.id) ?? null,
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
  };
}

function foldedOf(folded: { parent_incident_id: string; parent: CheckLink } | undefined) {
  return folded ? { incident_id: folded.parent_incident_id, check: folded.parent } : null;
}

function currentRun(check: CheckRow, run: RunRow | undefined) {
  if (!run) return null;
  // The timeout the scheduler will apply: where progress pushed it, else the start + the check's run limit.
  const deadline = run.started_at == null ? null : runDueAt(timingOf(check), runStateOf(run));
  return {
    id: run.id,
    rid: run.rid,
    started_at: iso(run.started_at),
    progress: run.progress,
    last_message: run.last_message,
    host: run.host,
    deadline_at: iso(deadline),
  };
}

/** A run; `elapsed_ms` is the time since its start while it runs (at `now`), its duration once it ended. */
export function presentRun(row: RunRow, now: number) {
  const elapsed = row.ended_at == null ? (row.started_at == null ? null : Math.max(0, now - row.started_at)) : row.duration_ms;
  return {
    id: row.id,
    rid: row.rid,
    started_at: iso(row.started_at),
    ended_at: iso(row.ended_at),
    duration_ms: row.duration_ms,
    elapsed_ms: elapsed,
    result: row.result,
    exit_code: row.exit_code,
    progress: row.progress,
    last_message: row.last_message,
    host: row.host,
    running: row.ended_at == null,
    rule_violation: row.rule_violation ?? null,
  };
}

/** Characters of a body a signal listing shows unless full=true. */
export const EXCERPT = 1000;

/** A signal with an excerpt of its body; `full` returns the whole kept body. */
export function presentSignal(row: Selectable<SignalRow> & { body_size?: number }, full = false) {
  const body = row.body ?? null;
  let metadata: unknown = null;
  if (row.metadata) {
    try {
      metadata = JSON.parse(row.metadata);
    } catch {
      metadata = row.metadata;
    }
  }
  return {
    id: row.id,
    at: iso(row.at)!,
    kind: row.kind,
    run_id: row.run_id,
    method: row.method,
    source_ip: row.source_ip,
    user_agent: row.user_agent,
    body: body && !full && body.length > EXCERPT ? body.slice(0, EXCERPT) : body,
    body_size: row.body_size != null ? Number(row.body_size) : body ? Buffer.byteLength(body) : 0,
    message: row.message,
    progress: row.progress,
    exit_code: row.exit_code,
    metadata,
    dialect: row.dialect,
  };
}

export function presentFlip(row: Selectable<FlipRow>) {
  return { at: iso(row.at)!, from: row.from_status, to: row.to_status, reason: row.reason };
}

/** An incident; `folded` lists the children's incidents folded into it (dependencies), when the caller read them. */
export function presentIncident(
  row: IncidentRow,
  checkName?: string,
  folded?: Array<IncidentRow & { check_name: string; check_slug: string }>,
) {
  return {
    folded_into: row.folded_into ?? null,
    unfolded_at: iso(row.unfolded_at ?? null),
    ...(folded
      ? {
          folded_children: folded.map((c) => ({
            incident_id: c.id,
            check_id: c.check_id,
            check_slug: c.check_slug,
            check_name: c.check_name,
            opened_at: iso(c.opened_at)!,
            resolved_at: iso(c.resolved_at),
            still_down: c.resolved_at == null,
            paging_since: iso(c.unfolded_at ?? null),
          })),
        }
      : {}),
    id: row.id,
    check_id: row.check_id,
    check_name: checkName ?? null,
    severity: row.severity,
    reason: row.reason,
    opened_at: iso(row.opened_at)!,
    resolved_at: iso(row.resolved_at),
    resolve_reason: row.resolve_reason,
    duration_ms: row.resolved_at == null ? null : row.resolved_at - row.opened_at,
    open: row.resolved_at == null,
    acknowledged: row.acknowledged_at != null,
    acknowledged_at: iso(row.acknowledged_at),
    acknowledged_by: row.acknowledged_by,
    draft: row.draft === 1,
    published_at: iso(row.published_at),
    next_alert_at: iso(row.next_alert_at),
    realerts: row.realerts,
  };
}

/** A channel as the API shows it; viewers and read keys (`reader`) also get its reader secrets masked. */
export function presentChannel(row: ChannelRow, audience: ConfigAudience = 'editor') {
  const kind = channelKind(row.kind);
  const config = JSON.parse(row.config) as Record<string, unknown>;
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    is_default: row.is_default === 1,
    notify_late: row.notify_late === 1,
    config: kind ? publicConfigOf(kind, config, audience) : {},
    created_at: iso(row.created_at)!,
  };
}
