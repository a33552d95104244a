// Management API: notifications (the outbox) with every delivery attempt; permanent failures and retrying them.
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { attemptsOf, findNotification, listNotifications, requeue } from '../store/outbox.js';
import { findChannel } from '../store/channels.js';
import { findIncident } from '../store/incidents.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { keyed } from './auth.js';
import { loadCheck, workspaceOf } from './context.js';
import { presentNotification } from './present-notifications.js';
import { errorResponses } from './schemas.js';

const NotificationSchema = Type.Object(
  {
    id: Type.Integer(),
    channel_id: Type.String(),
    status: Type.String({ description: 'pending, sent, failed or draft' }),
    event: Type.String(),
    idempotency_key: Type.String(),
    attempts: Type.Integer(),
    last_error: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: true },
);

const IdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export async function notificationRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const tags = ['notifications'];

  app.get(
    '/notifications',
    {
      onRequest: keyed(db, 'read'),
      schema: {
        tags,
        summary: 'Notifications, newest first; status=failed lists the ones given up on',
        querystring: Type.Object({
          status: Type.Optional(Type.String({ enum: ['pending', 'sent', 'failed', 'draft'] })),
          incident: Type.Optional(Type.String({ maxLength: 64 })),
          check: Type.Optional(Type.String({ maxLength: 64 })),
          channel: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          cursor: Type.Optional(Type.String({ maxLength: 20 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(NotificationSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const workspaceId = workspaceOf(request);
      if (q.cursor != null && !/^\d+$/.test(q.cursor))
        throw badRequest('invalid_cursor', 'cursor is not one this API returned; pass next_cursor from the previous page unchanged.');
      const checkId = q.check ? (await loadCheck(db, request, q.check)).id : undefined;
      if (q.channel && !(await findChannel(db, workspaceId, q.channel)))
        throw notFound('channel_not_found', 'No such channel in this workspace.');
      if (q.incident && !(await findIncident(db, workspaceId, q.incident)))
        throw notFound('incident_not_found', 'No such incident in this workspace.');
      const limit = q.limit ?? 100;
      const rows = await listNotifications(
        db,
        workspaceId,
        {
          status: q.status,
          checkId,
          channelId: q.channel,
          incidentId: q.incident,
          before: q.cursor ? Number(q.cursor) : undefined,
        },
        limit + 1,
      );
      const page = rows.slice(0, limit);
      const attempts = await attemptsOf(
        db,
        page.map((r) => r.id),
      );
      return {
        items: page.map((r) => presentNotification(r, attempts)),
        next_cursor: rows.length > limit ? String(page[page.length - 1].id) : null,
      };
    },
  );

  app.get(
    '/notifications/:id',
    {
      onRequest: keyed(db, 'read'),
      schema: {
        tags,
        summary: 'One notification with every delivery attempt',
        params: IdParam,
        response: { 200: NotificationSchema, ...errorResponses },
      },
    },
    async (request) => {
      const row = await findNotification(db, workspaceOf(request), request.params.id);
      if (!row) throw notFound('notification_not_found', 'No such notification in this workspace.');
      return presentNotification(row, await attemptsOf(db, [row.id]));
    },
  );

  app.post(
    '/notifications/:id/retry',
    {
      onRequest: keyed(db, 'write'),
      schema: {
        tags,
        summary: 'Send a failed notification again (after fixing its channel)',
        params: IdParam,
        response: { 200: NotificationSchema, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const id = request.params.id;
      if (!(await findNotification(db, workspaceId, id)))
        throw notFound('notification_not_found', 'No such notification in this workspace.');
      if (!(await requeue(db, workspaceId, id, runtime.clock.now())))
        throw conflict('not_failed', 'Only a failed notification can be retried; this one is pending, draft or sent.');
      runtime.delivery.wake();
      const row = (await findNotification(db, workspaceId, id))!;
      return presentNotification(row, await attemptsOf(db, [row.id]));
    },
  );
}
