// Queues the notifications of one incident event for every channel of its check, inside the caller's transaction:
// batched or not (workspace setting), held as drafts or not (the incident), one idempotency key per channel.
import { batchedSendAt, type Flip } from '../core/index.js';
import type { Db } from '../store/db.js';
import type { CheckRow, IncidentRow } from '../store/schema.js';
import type { MaintenanceWindow } from '../core/index.js';
import { channelsOfCheck } from '../store/channels.js';
import { lastHostsOf } from '../store/runs.js';
import { channelBatchState, enqueue } from '../store/outbox.js';
import { workspaceSettings } from '../store/workspaces.js';
import { alertSettingsOf, type AlertSettings } from './settings.js';
import { buildNotification } from './notification.js';
import { channelKind } from './channels/index.js';

export interface FlipContext {
  publicUrl: string;
  serviceName: (serviceId: string) => Promise<string | null>;
  /** The log of the failure signal that caused the flip (a job's output), quoted at its end in the down alert. */
  output?: string | null;
  /**
   * Open incidents already read for the checks being processed (null: none); a check not in it is looked up. Kept
   * current by whatever opens, resolves or unfolds an incident with this context, so a later flip of the same batch
   * never works from a stale row (and never opens a second incident).
   */
  openIncidents?: Map<string, IncidentRow | null>;
  /** Whether each check of a batch depends on another (read for the batch at once); a check not in it is looked up. */
  hasParents?: ReadonlyMap<string, boolean>;
  /** A workspace's alert settings (a scheduler batch reads each workspace's once: batch-context.ts). */
  alertSettings: (workspaceId: string) => Promise<AlertSettings>;
  /** A workspace's maintenance windows (read once per workspace in a scheduler batch too). */
  maintenanceWindows: (workspaceId: string) => Promise<MaintenanceWindow[]>;
}

export async function alertSettingsOfWorkspace(db: Db, workspaceId: string): Promise<AlertSettings> {
  return alertSettingsOf(await workspaceSettings(db, workspaceId));
}

/**
 * Queues one notification per channel of `check` for `flip` in `incident`. `label` makes the idempotency key
 * (down, up, realert-N), so each event of an incident reaches each channel once. `settings` are the workspace's,
 * when the caller has already read them. Returns how many were queued.
 */
export async function queueIncidentEvent(
  db: Db,
  check: CheckRow,
  flip: Flip,
  incident: IncidentRow,
  label: string,
  ctx: FlipContext,
  now: number,
  settings?: AlertSettings,
): Promise<number> {
  const channels = await channelsOfCheck(db, check.id);
  if (channels.length === 0) return 0;
  const { batching, batch_window_s } = settings ?? (await ctx.alertSettings(check.workspace_id));
  const facts = {
    serviceName: check.service_id ? await ctx.serviceName(check.service_id) : null,
    host: (await lastHostsOf(db, [check.id])).get(check.id) ?? null,
  };
  const payload = JSON.stringify(
    buildNotification(
      check,
      facts,
      flip,
      {
        id: incident.id,
        severity: incident.severity,
        opened_at: incident.opened_at,
        resolved_at: incident.resolved_at,
        realert: incident.realerts,
      },
      ctx.publicUrl,
      now,
      label === 'down' ? ctx.output : null,
    ),
  );
  const rows = [];
  for (const channel of channels) {
    const digest = batching && (channelKind(channel.kind)?.digest ?? false);
    const sendAt = digest ? batchedSendAt(batch_window_s * 1000, await channelBatchState(db, channel.id, now), now) : now;
    rows.push({
      workspace_id: check.workspace_id,
      channel_id: channel.id,
      check_id: check.id,
      incident_id: incident.id,
      event: label.startsWith('realert') ? 'realert' : label,
      payload,
      idempotency_key: `${incident.id}:${label}:${channel.id}`,
      status: incident.draft === 1 ? 'draft' : 'pending',
      attempts: 0,
      next_attempt_at: sendAt,
      claimed_until: null,
      created_at: now,
      sent_at: null,
      last_error: null,
      digest: digest ? 1 : 0,
      sent_in: null,
    });
  }
  await enqueue(db, rows);
  return incident.draft === 1 ? 0 : rows.length;
}
