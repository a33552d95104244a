// Management API: notification channels of a workspace, their subscribers, and "send a test notification".
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import {
  checkIdsOfChannel,
  deleteChannel,
  findChannel,
  insertChannel,
  listChannels,
  subscribeChecks,
  updateChannel,
} from '../store/channels.js';
import { findCheck } from '../store/checks.js';
import { newId } from '../store/ids.js';
import { inTransaction } from '../store/transaction.js';
import type { ChannelRow } from '../store/schema.js';
import { changedConfig, channelKind, channelKinds, type ConfigAudience } from '../alerts/channels/index.js';
import type { ChannelKind } from '../alerts/channels/channel.js';
import { privateDestinationWarnings } from '../alerts/channels/private-destination.js';
import { testNotification } from '../alerts/notification.js';
import { lateWarningRefusal } from '../alerts/late-warning.js';
import { badRequest, notFound } from '../errors.js';
import { keyed } from './auth.js';
import { workspaceOf } from './context.js';
import { presentChannel } from './present.js';
import { ChannelInputSchema, IdParams, errorResponses } from './schemas.js';
import type { FastifyRequest } from 'fastify';

const ChannelSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    name: Type.String(),
    is_default: Type.Boolean(),
    notify_late: Type.Boolean({ description: 'also warned when a subscribed check goes late, before its down alert' }),
    config: Type.Record(Type.String(), Type.Any()),
    created_at: Type.String(),
    secret: Type.Optional(Type.String({ description: 'webhook signing secret: returned once, when the channel is created' })),
    warnings: Type.Optional(
      Type.Array(Type.String(), {
        description: 'on create and change: why alerts to this destination will be refused (a loopback or private address)',
      }),
    ),
  },
  { additionalProperties: true },
);

const ChannelChangeSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    config: Type.Optional(
      Type.Record(Type.String(), Type.Any(), {
        description:
          'fields to change; secrets sent back masked keep their value, unless the destination (URL, host, port, …) changes: then every secret must be sent anew',
      }),
    ),
    is_default: Type.Optional(Type.Boolean()),
    notify_late: Type.Optional(
      Type.Boolean({ description: 'also send a "late" warning when a subscribed check goes late, before its down alert' }),
    ),
  },
  { additionalProperties: false },
);

const TestResultSchema = Type.Object({
  ok: Type.Boolean(),
  status_code: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  retryable: Type.Boolean(),
  latency_ms: Type.Integer(),
});

function kindOf(name: string): ChannelKind {
  const kind = channelKind(name);
  if (!kind) throw badRequest('unknown_channel_kind', `Unknown channel kind "${name}"; available: ${channelKinds().join(', ')}.`);
  return kind;
}

/** Viewers and read keys are readers: they see a channel's reader secrets (a body template, an ntfy topic) masked. */
const audienceOf = (request: FastifyRequest): ConfigAudience => (request.auth?.scope === 'write' ? 'editor' : 'reader');

export async function channelRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const tags = ['channels'];

  /** `warnings` for a destination this server will refuse to send to (absent when there is none). */
  function warningsOf(kind: ChannelKind, config: Record<string, unknown>): { warnings?: string[] } {
    const warnings = privateDestinationWarnings(kind, config, runtime.config.allowPrivateTargets);
    return warnings.length ? { warnings } : {};
  }

  async function load(request: FastifyRequest, id: string): Promise<ChannelRow> {
    const row = await findChannel(db, workspaceOf(request), id);
    if (!row) throw notFound('channel_not_found', 'No such channel in this workspace; list them with GET /api/v1/channels.');
    return row;
  }

  app.post(
    '/channels',
    {
      onRequest: keyed(db, 'write'),
      schema: {
        tags,
        summary: "Create a notification channel (a webhook's signing secret is shown only in this answer)",
        body: ChannelInputSchema,
        response: { 201: ChannelSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const kind = kindOf(body.kind);
      const refusal = lateWarningRefusal(kind.kind, body.notify_late);
      if (refusal) throw badRequest('invalid_field', refusal);
      const config = kind.parseConfig(body.config);
      const row = {
        id: newId(),
        workspace_id: workspaceOf(request),
        kind: kind.kind,
        name: body.name.trim(),
        config: JSON.stringify(config),
        is_default: body.is_default === false ? 0 : 1,
        created_at: runtime.clock.now(),
        notify_late: body.notify_late ? 1 : 0,
      };
      await insertChannel(db, row);
      const created = { ...presentChannel(row), ...warningsOf(kind, config) };
      return reply.code(201).send(typeof config.secret === 'string' ? { ...created, secret: config.secret } : created);
    },
  );

  app.get(
    '/channels',
    {
      onRequest: keyed(db, 'read'),
      schema: {
        tags,
        summary: 'List notification channels (secrets masked)',
        response: { 200: Type.Object({ items: Type.Array(ChannelSchema), kinds: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: (await listChannels(db, workspaceOf(request))).map((row) => presentChannel(row, audienceOf(request))),
      kinds: channelKinds(),
    }),
  );

  app.get(
    '/channels/:id',
    {
      onRequest: keyed(db, 'read'),
      schema: {
        tags,
        summary: 'Read a notification channel (secrets masked) and the checks subscribed to it',
        params: IdParams,
        response: { 200: ChannelSchema, ...errorResponses },
      },
    },
    async (request) => {
      const row = await load(request, request.params.id);
      return { ...presentChannel(row, audienceOf(request)), checks: await checkIdsOfChannel(db, row.id) };
    },
  );

  app.patch(
    '/channels/:id',
    {
      onRequest: keyed(db, 'write'),
      schema: {
        tags,
        summary: "Change a channel's name, default flag, late warnings or config",
        params: IdParams,
        body: ChannelChangeSchema,
        response: { 200: ChannelSchema, ...errorResponses },
      },
    },
    async (request) => {
      const row = await load(request, request.params.id);
      const body = request.body;
      const kind = kindOf(row.kind);
      const change: Partial<ChannelRow> = {};
      if (body.name != null) change.name = body.name.trim();
      if (body.is_default != null) change.is_default = body.is_default ? 1 : 0;
      if (body.notify_late != null) change.notify_late = body.notify_late ? 1 : 0;
      const refusal = lateWarningRefusal(kind.kind, body.notify_late);
      if (refusal) throw badRequest('invalid_field', refusal);
      const stored = JSON.parse(row.config) as Record<string, unknown>;
      const config = body.config ? changedConfig(kind, stored, body.config) : stored;
      if (body.config) change.config = JSON.stringify(config);
      await updateChannel(db, row.id, change);
      const changed = { ...presentChannel({ ...row, ...change }), ...(body.config ? warningsOf(kind, config) : {}) };
      // A new signing secret (given, or generated because it was cleared) is shown once, like at creation.
      return typeof config.secret === 'string' && config.secret !== stored.secret ? { ...changed, secret: config.secret } : changed;
    },
  );

  app.delete(
    '/channels/:id',
    {
      onRequest: keyed(db, 'write'),
      schema: {
        tags,
        summary: 'Delete a notification channel (notifications still waiting for it fail as "the channel was deleted")',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const deleted = await inTransaction(db, (trx) => deleteChannel(trx, workspaceOf(request), request.params.id));
      if (!deleted) throw notFound('channel_not_found', 'No such channel in this workspace.');
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/channels/:id/checks',
    {
      onRequest: keyed(db, 'write'),
      schema: {
        tags,
        summary: 'Subscribe checks to this channel',
        params: IdParams,
        body: Type.Object(
          { checks: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ subscribed: Type.Integer(), checks: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      const row = await load(request, request.params.id);
      const ids: string[] = [];
      for (const ref of request.body.checks) {
        const check = await findCheck(db, row.workspace_id, ref);
        if (!check) throw badRequest('unknown_check', `No check "${ref}" in this workspace; use the check's UUID or 8-character key.`);
        ids.push(check.id);
      }
      const subscribed = await subscribeChecks(db, row.id, ids);
      return { subscribed, checks: await checkIdsOfChannel(db, row.id) };
    },
  );

  app.post(
    '/channels/:id/test',
    {
      onRequest: keyed(db, 'write'),
      schema: {
        tags,
        summary: 'Send a test notification now and report what the receiver answered',
        params: IdParams,
        response: { 200: TestResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const row = await load(request, request.params.id);
      const kind = kindOf(row.kind);
      const config = JSON.parse(row.config) as Record<string, unknown>;
      const now = runtime.clock.now();
      const message = {
        notifications: [testNotification(runtime.config.publicUrl, row.name, now)],
        idempotencyKey: `test:${row.id}:${now}`,
      };
      const result = await runtime.delivery.sendNow(kind, message, config);
      return {
        ok: result.ok,
        status_code: result.statusCode,
        error: result.error,
        retryable: result.retryable,
        latency_ms: result.latencyMs,
      };
    },
  );
}
