// Exemplar's heartbeat API: POST /api/monitoring/heartbeat {monitor_id, metadata?} with X-API-Key, and a read of
// the monitor in Exemplar's terms (expected_interval_minutes, grace_period_minutes, check history with errors).
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { keyed } from '../api/auth.js';
import { findCheck, parseCheckRef } from '../store/checks.js';
import { listFlips } from '../store/flips.js';
import { iso, MINUTE_MS, MINUTE_S } from '../core/index.js';
import { effectiveGraceMs, scheduleOf } from '../store/check-rows.js';
import { badRequest, notFound } from '../errors.js';
import type { CheckRow } from '../store/schema.js';
import { keptBody, serialisedMetadata, signal } from '../ingest/incoming-signal.js';
import { acceptAnyBody, rawBody } from './raw-body.js';
import { bodyFields, origin, submit, type Fields } from './common.js';

const METADATA_MAX = 16_000;

function monitorIdOf(fields: Fields): string {
  const id = fields.monitor_id ?? fields.monitorId;
  if (typeof id !== 'string' || id.trim() === '')
    throw badRequest('invalid_field', 'monitor_id is required: the heartbeat monitor\'s id, e.g. {"monitor_id": "…"}.');
  return id.trim();
}

function metadataOf(fields: Fields): Record<string, unknown> | null {
  const metadata = fields.metadata;
  if (metadata == null) return null;
  if (typeof metadata !== 'object' || Array.isArray(metadata))
    throw badRequest('invalid_field', 'metadata must be a JSON object, e.g. {"hostname": "worker-01"}.');
  // Depth and size are checked without an unguarded stringify: deep JSON is a 400, never a 500.
  serialisedMetadata(metadata as Record<string, unknown>, METADATA_MAX);
  return metadata as Record<string, unknown>;
}

/** Exemplar's statuses: a monitor that never beat is pending; late still counts as up until the grace ends. */
const STATUS: Record<string, string> = { new: 'pending', up: 'up', late: 'up', down: 'down', paused: 'paused' };

/** A monitor in Exemplar's terms: timing in minutes, then its history of status changes with their errors. */
async function exemplarView(runtime: Runtime, check: CheckRow) {
  const schedule = scheduleOf(check);
  const flips = await listFlips(runtime.store.db, check.id, 100);
  return {
    monitor_id: check.id,
    name: check.name,
    type: 'heartbeat',
    status: STATUS[check.status] ?? check.status,
    expected_interval_minutes: schedule.kind === 'interval' ? schedule.period_s / MINUTE_S : null,
    cron: schedule.kind === 'cron' ? { expression: schedule.expr, timezone: schedule.tz } : null,
    grace_period_minutes: effectiveGraceMs(check) / MINUTE_MS,
    last_heartbeat_at: iso(check.last_beat_at),
    next_heartbeat_due_at: iso(check.expected_at),
    history: flips.map((f) => ({
      checked_at: iso(f.at),
      status: STATUS[f.to_status] ?? f.to_status,
      healthy: f.to_status !== 'down',
      error: f.to_status === 'down' ? f.reason : null,
      reason: f.reason,
    })),
  };
}

export async function exemplarRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  acceptAnyBody(app);
  const db = runtime.store.db;

  // Keys are checked before the body is read: a caller without one costs no parsing.
  app.post('/api/monitoring/heartbeat', { schema: { hide: true }, onRequest: keyed(db, 'ping') }, async (request, reply) => {
    const key = request.auth!;
    const fields = bodyFields(request);
    if (fields == null) throw badRequest('invalid_json', 'The body must be a JSON object: {"monitor_id": "…", "metadata": {…}}.');
    const monitorId = monitorIdOf(fields);
    const metadata = metadataOf(fields);
    const ref = parseCheckRef(monitorId);
    if (!ref) throw notFound('monitor_not_found', `No heartbeat monitor "${monitorId}": use the check's UUID or its 8-character key.`);
    const outcome = await submit(
      runtime,
      signal({
        ref,
        kind: 'success',
        dialect: 'exemplar',
        workspaceId: key.workspaceId,
        metadata,
        body: keptBody(rawBody(request.body)),
        ...origin(request),
      }),
      'monitor',
    );
    return reply.send({
      ok: true,
      monitor_id: outcome.check.id,
      received_at: iso(outcome.at),
      next_heartbeat_due_at: iso(outcome.check.expected_at),
    });
  });

  app.get(
    '/api/monitoring/heartbeat/:monitor',
    { schema: { hide: true, params: Type.Object({ monitor: Type.String() }) }, onRequest: keyed(db, 'read') },
    async (request) => {
      const key = request.auth!;
      const monitor = request.params.monitor;
      const check = await findCheck(db, key.workspaceId, monitor);
      if (!check) throw notFound('monitor_not_found', `No heartbeat monitor "${monitor}" in this workspace.`);
      return exemplarView(runtime, check);
    },
  );
}
