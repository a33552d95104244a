// Management API: incidents (newest first), one incident with its flips and notifications, acknowledge, publish.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import type { Db } from '../store/db.js';
import { findIncident, listIncidents } from '../store/incidents.js';
import { attemptsOf, listNotifications } from '../store/outbox.js';
import { listFlips } from '../store/flips.js';
import { foldedInto } from '../store/dependencies.js';
import type { IncidentRow } from '../store/schema.js';
import { acknowledgeIncident, publishIncidents } from '../alerts/incident-actions.js';
import { badRequest, notFound } from '../errors.js';
import { keyed, type Caller } from './auth.js';
import { findUser } from '../store/users.js';
import { loadCheck, workspaceOf } from './context.js';
import { presentFlip, presentIncident } from './present.js';
import { presentNotification } from './present-notifications.js';
import { IdParams, Nullable, errorResponses } from './schemas.js';
import { inTransaction } from '../store/transaction.js';

const IncidentSchema = Type.Object(
  {
    id: Type.String(),
    check_id: Type.String(),
    check_name: Nullable(Type.String()),
    severity: Type.String(),
    reason: Type.String(),
    opened_at: Type.String(),
    resolved_at: Nullable(Type.String()),
    resolve_reason: Nullable(Type.String()),
    duration_ms: Nullable(Type.Integer()),
    open: Type.Boolean(),
    acknowledged: Type.Boolean(),
    acknowledged_at: Nullable(Type.String()),
    acknowledged_by: Nullable(Type.String()),
    draft: Type.Boolean(),
    published_at: Nullable(Type.String()),
    next_alert_at: Nullable(Type.String()),
    realerts: Type.Integer(),
    folded_into: Nullable(
      Type.String({ description: 'dependencies: the parent incident this one is folded into (it did not page while the parent was down)' }),
    ),
    unfolded_at: Nullable(
      Type.String({ description: 'when the parent recovered while this check was still down, and this incident started paging' }),
    ),
  },
  { additionalProperties: true },
);

async function checkName(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('checks').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

export async function incidentRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const tags = ['incidents'];

  async function load(request: FastifyRequest, id: string): Promise<IncidentRow> {
    const row = await findIncident(db, workspaceOf(request), id);
    if (!row) throw notFound('incident_not_found', 'No such incident in this workspace; list them with GET /api/v1/incidents.');
    return row;
  }

  app.get(
    '/incidents',
    {
      onRequest: keyed(db, 'read'),
      schema: {
        tags,
        summary: 'Incidents, newest first',
        querystring: Type.Object({
          check: Type.Optional(Type.String({ maxLength: 64 })),
          open: Type.Optional(Type.Boolean()),
          draft: Type.Optional(Type.Boolean()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          cursor: Type.Optional(Type.String({ maxLength: 40 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(IncidentSchema), next_cursor: Nullable(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const workspaceId = workspaceOf(request);
      const checkId = q.check ? (await loadCheck(db, request, q.check)).id : undefined;
      const limit = q.limit ?? 100;
      const before = q.cursor != null && Number.isSafeInteger(Number(q.cursor)) ? Number(q.cursor) : undefined;
      const rows = await listIncidents(db, workspaceId, limit + 1, { checkId, open: q.open, draft: q.draft, before });
      const page = rows.slice(0, limit);
      const folded = await foldedInto(
        db,
        page.map((r) => r.id),
      );
      const names = new Map(
        (page.length
          ? await db
              .selectFrom('checks')
              .select(['id', 'name'])
              .where(
                'id',
                'in',
                page.map((r) => r.check_id),
              )
              .execute()
          : []
        ).map((r) => [r.id, r.name]),
      );
      return {
        items: page.map((r) => presentIncident(r, names.get(r.check_id), folded.get(r.id) ?? [])),
        next_cursor: rows.length > limit ? String(page[page.length - 1].opened_at) : null,
      };
    },
  );

  app.get(
    '/incidents/:id',
    {
      onRequest: keyed(db, 'read'),
      schema: {
        tags,
        summary: 'One incident with its flips and its notifications (each with its delivery attempts)',
        params: IdParams,
        response: { 200: IncidentSchema, ...errorResponses },
      },
    },
    async (request) => {
      const row = await load(request, request.params.id);
      const to = row.resolved_at == null ? undefined : row.resolved_at + 1;
      const flips = await listFlips(db, row.check_id, 1000, row.opened_at, to);
      const notifications = await listNotifications(db, row.workspace_id, { incidentId: row.id }, 1000);
      const attempts = await attemptsOf(
        db,
        notifications.map((n) => n.id),
      );
      return {
        ...presentIncident(row, await checkName(db, row.check_id), (await foldedInto(db, [row.id])).get(row.id) ?? []),
        flips: flips.reverse().map(presentFlip),
        notifications: notifications.reverse().map((n) => presentNotification(n, attempts)),
      };
    },
  );

  app.post(
    '/incidents/:id/acknowledge',
    {
      onRequest: keyed(db, 'write'),
      schema: {
        tags,
        summary:
          'Acknowledge an open incident: reminders stop. Optional JSON body {by: "who is on it"} (default: the signed-in person, or the API key\'s name)',
        params: IdParams,
        response: { 200: IncidentSchema, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request) => {
      // The body is optional (a bare POST acknowledges), so it is read by hand rather than through a schema.
      const body: unknown = request.body;
      const given = body && typeof body === 'object' && 'by' in body ? body.by : undefined;
      if (given != null && (typeof given !== 'string' || given.length > 200))
        throw badRequest('invalid_field', 'by must be a string of at most 200 characters naming who is on it.');
      const by = (given as string | undefined)?.trim() || (await callerName(db, request.auth!));
      // Read before the transaction: on SQLite a query outside it would wait for it forever.
      const incident = await load(request, request.params.id);
      const row = await inTransaction(db, (trx) => acknowledgeIncident(trx, incident, by, runtime.clock.now()));
      return presentIncident(row, await checkName(db, row.check_id));
    },
  );

  app.post(
    '/incidents/:id/publish',
    {
      onRequest: keyed(db, 'write'),
      schema: {
        tags,
        summary: 'Publish a draft incident: its held notifications are sent now',
        params: IdParams,
        response: { 200: IncidentSchema, ...errorResponses },
      },
    },
    async (request) => {
      const now = runtime.clock.now();
      const incident = await load(request, request.params.id);
      const released = await inTransaction(db, (trx) => publishIncidents(trx, [incident], now));
      if (released > 0) runtime.delivery.wake();
      void runtime.scheduler.wakeForAlertTimers();
      const row = await load(request, request.params.id);
      return presentIncident(row, await checkName(db, row.check_id));
    },
  );
}

/** Who acknowledged, when they did not say: the signed-in person, or the API key by its name. */
async function callerName(db: Db, caller: Caller): Promise<string> {
  if (caller.via === 'session' && caller.userId) {
    const user = await findUser(db, caller.userId);
    if (user) return user.name || user.email;
  }
  const row = await db.selectFrom('api_keys').select('name').where('id', '=', caller.id).executeTakeFirst();
  return row ? `API key "${row.name}"` : 'API key';
}
