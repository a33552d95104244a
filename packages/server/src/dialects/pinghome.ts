// Pinghome: heartbeat management with a key (create, read, update, delete, bulk delete, per-service listing,
// statistics, events) and the ping gateway, GET|POST /v1/heartbeat/{id} without credentials.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { presentedKey } from '../api/auth.js';
import { parseRange } from '../api/history-routes.js';
import { checkStats } from '../api/check-stats.js';
import { changeCheck, createCheck, removeCheck } from '../checks/operations.js';
import { changeOneCheck, deleteChecks } from '../checks/change-checks.js';
import { findCheck, parseCheckRef } from '../store/checks.js';
import { findServiceByIdOrName } from '../store/services.js';
import { oldestSignalsInRange } from '../store/signals.js';
import { oldestDownFlipsInRange } from '../store/flips.js';
import type { CheckRow } from '../store/schema.js';
import type { Db } from '../store/db.js';
import { iso } from '../core/index.js';
import { badRequest, notFound } from '../errors.js';
import { clip, keptBody, MESSAGE_MAX, signal } from '../ingest/incoming-signal.js';
import { acceptAnyBody, rawBody } from './raw-body.js';
import { bodyFields, managementCaller, oneOf, optionalText, origin, queryFields, rawQuery, requireJsonFields, submit } from './common.js';
import { eventsOf, heartbeatInput, presentHeartbeat } from './pinghome-view.js';

/** Gateway results: tick (a plain check-in, the default), run / complete (a run's start / end), success, fail. */
const RESULTS: Record<string, 'tick' | 'run' | 'complete' | 'success' | 'fail'> = {
  tick: 'tick',
  run: 'run',
  complete: 'complete',
  success: 'success',
  fail: 'fail',
};
/** Stored body bytes an events page may pass over (its signals' messages lie past their bodies). */
const EVENT_PAGE_SCANNED_BYTES = 8 * 1024 * 1024;
const STAT_INTERVALS = ['1h', '3h', '12h', '1d', '3d', '7d', '30d'];

function positiveInt(value: unknown, name: string, fallback: number, max: number): number {
  if (value == null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw badRequest('invalid_field', `${name} must be a whole number from 1 to ${max}; got ${JSON.stringify(value)}.`);
  return n;
}

function time(value: unknown, name: string): number | null {
  if (value == null || value === '') return null;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw badRequest('invalid_field', `${name} must be an ISO 8601 time such as 2023-03-27T09:57:54Z.`);
  return ms;
}

export async function pinghomeRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  acceptAnyBody(app);
  const db = runtime.store.db;
  const hide = { schema: { hide: true } };
  /** A route about one heartbeat: the path's {id} names it. */
  const aboutHeartbeat = { schema: { hide: true, params: Type.Object({ id: Type.String() }) } };

  async function heartbeatOf(db: Db, workspaceId: string, id: string): Promise<CheckRow> {
    const check = await findCheck(db, workspaceId, id);
    if (!check) throw notFound('heartbeat_not_found', `No heartbeat ${id} in this workspace.`);
    return check;
  }
  async function present(check: CheckRow) {
    const service = check.service_id ? await findServiceByIdOrName(db, check.workspace_id, check.service_id) : undefined;
    return presentHeartbeat(check, service, runtime.config.publicUrl);
  }

  // The gateway: a check-in without credentials. result and message come from the query or the body.
  async function checkIn(request: FastifyRequest, reply: FastifyReply, id: string) {
    const ref = parseCheckRef(id);
    if (!ref) throw notFound('heartbeat_not_found', `No heartbeat ${JSON.stringify(id)}: use the check's UUID or its 8-character key.`);
    const fields = { ...queryFields(request), ...(bodyFields(request) ?? {}) };
    const result = oneOf(fields, 'result', RESULTS, 'tick');
    const message = clip(optionalText(fields, 'message', 100_000), MESSAGE_MAX);
    const kind = result === 'run' ? 'start' : result === 'fail' ? 'fail' : 'success';
    const outcome = await submit(
      runtime,
      signal({
        ref,
        kind,
        dialect: 'pinghome',
        message,
        metadata: { result },
        body: keptBody(rawBody(request.body)),
        ...origin(request),
      }),
      'heartbeat',
    );
    return reply.send({ id: outcome.check.id, result, message, received_at: iso(outcome.at), status: outcome.check.status });
  }

  app.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/v1/heartbeat/:id',
    exposeHeadRoute: false,
    ...aboutHeartbeat,
    handler: async (request, reply) => {
      // With credentials, a GET (or HEAD) reads the heartbeat; without, and for POST, it is a check-in.
      if (request.method === 'POST' || presentedKey(request) == null) return checkIn(request, reply, request.params.id);
      const key = await managementCaller(runtime, request, 'read');
      return present(await heartbeatOf(db, key.workspaceId, request.params.id));
    },
  });

  app.post('/v1/heartbeat', hide, async (request, reply) => {
    const key = await managementCaller(runtime, request, 'write');
    const input = heartbeatInput(requireJsonFields(request), true);
    const row = await changeOneCheck(runtime, (ops, now) => createCheck(ops, key.workspaceId, input, now));
    return reply.code(201).send(await present(row));
  });

  app.put('/v1/heartbeat/:id', aboutHeartbeat, async (request) => {
    const key = await managementCaller(runtime, request, 'write');
    const input = heartbeatInput(requireJsonFields(request), false);
    const row = await changeOneCheck(runtime, async (ops, now) => {
      const current = await heartbeatOf(ops.db, key.workspaceId, request.params.id);
      return changeCheck(ops, current, input, now);
    });
    return present(row);
  });

  app.delete('/v1/heartbeat/:id', aboutHeartbeat, async (request) => {
    const key = await managementCaller(runtime, request, 'write');
    const check = await heartbeatOf(db, key.workspaceId, request.params.id);
    const shown = await present(check);
    await deleteChecks(runtime, async (ops, now) => {
      await removeCheck(ops, check, now);
      return [check];
    });
    return { deleted: true, heartbeat: shown };
  });

  // Bulk delete: every id must exist in the workspace, else nothing is deleted.
  app.delete('/v1/heartbeat', hide, async (request) => {
    const key = await managementCaller(runtime, request, 'write');
    const raw = rawQuery(request).id;
    const ids = [...new Set((Array.isArray(raw) ? raw : raw == null ? [] : [raw]).filter(Boolean).map(String))];
    if (ids.length === 0) throw badRequest('invalid_field', 'Name the heartbeats to delete: DELETE /v1/heartbeat?id=A&id=B.');
    if (ids.length > 1000) throw badRequest('invalid_field', 'Delete at most 1000 heartbeats at once.');
    const deleted = await deleteChecks(runtime, async (ops, now) => {
      const found = await Promise.all(ids.map(async (id) => [id, await findCheck(ops.db, key.workspaceId, id)] as const));
      const missing = found.filter(([, row]) => !row).map(([id]) => id);
      if (missing.length)
        throw notFound('heartbeat_not_found', `No heartbeat ${missing.join(', ')} in this workspace; nothing was deleted.`);
      for (const [, row] of found) await removeCheck(ops, row!, now);
      return found.map(([, row]) => row!);
    });
    return { deleted: deleted.map((r) => r.id) };
  });

  app.get(
    '/v1/service/:service/heartbeats',
    { schema: { hide: true, params: Type.Object({ service: Type.String() }) } },
    async (request) => {
      const key = await managementCaller(runtime, request, 'read');
      const q = rawQuery(request);
      const page = positiveInt(q.page, 'page', 1, 1_000_000);
      const limit = positiveInt(q.limit, 'limit', 50, 1000);
      const wanted = request.params.service;
      const service = await findServiceByIdOrName(db, key.workspaceId, wanted);
      if (!service) throw notFound('service_not_found', `No service ${wanted} in this workspace.`);
      const base = db.selectFrom('checks').where('workspace_id', '=', key.workspaceId).where('service_id', '=', service.id);
      const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const rows = await base
        .selectAll()
        .orderBy('name')
        .orderBy('id')
        .limit(limit)
        .offset((page - 1) * limit)
        .execute();
      return {
        data: rows.map((row) => presentHeartbeat(row, service, runtime.config.publicUrl)),
        page,
        limit,
        total,
        pages: Math.ceil(total / limit),
      };
    },
  );

  app.get('/v1/heartbeat/:id/statistic', aboutHeartbeat, async (request) => {
    const key = await managementCaller(runtime, request, 'read');
    const check = await heartbeatOf(db, key.workspaceId, request.params.id);
    const q = queryFields(request);
    const interval = typeof q.interval === 'string' && q.interval !== '' ? q.interval : '1h';
    if (!STAT_INTERVALS.includes(interval)) throw badRequest('invalid_field', `interval must be one of ${STAT_INTERVALS.join(', ')}.`);
    const end = time(q.end_date, 'end_date');
    const start = time(q.start_date, 'start_date');
    const { from, to, bucket } = parseRange(
      { from: start == null ? undefined : iso(start)!, to: end == null ? undefined : iso(end)!, bucket: interval },
      runtime.clock.now(),
    );
    const { buckets } = await checkStats(db, check, from, to, bucket);
    return {
      heartbeat_id: check.id,
      interval,
      start_date: iso(from),
      end_date: iso(to),
      data: buckets.map((b) => ({
        tick_count: Math.round(b.expected),
        run_count: b.signals,
        fail_count: b.fails,
        complete_count: b.completes,
        received_at: b.at,
      })),
    };
  });

  app.get('/v1/heartbeat/:id/events', aboutHeartbeat, async (request) => {
    const key = await managementCaller(runtime, request, 'read');
    const check = await heartbeatOf(db, key.workspaceId, request.params.id);
    const q = queryFields(request);
    const limit = positiveInt(q.limit, 'limit', 50, 1000);
    const after = time(q.last_received_at, 'last_received_at') ?? -1;
    const to = runtime.clock.now() + 1;
    const { rows: signals, complete } = await oldestSignalsInRange(db, check, after + 1, to, limit, EVENT_PAGE_SCANNED_BYTES);
    // Both oldest first: the merged page holds the oldest `limit` of either (none past a page cut short by bytes).
    const lastSignal = complete ? Infinity : signals[signals.length - 1].at;
    const flips = (await oldestDownFlipsInRange(db, check.id, after + 1, to, limit)).filter((f) => f.at <= lastSignal);
    const events = eventsOf(signals, flips).slice(0, limit);
    return {
      heartbeat_id: check.id,
      data: events.map(({ at: _at, ...event }) => event),
      last_received_at: events.length ? events[events.length - 1].received_at : (q.last_received_at ?? null),
    };
  });
}
