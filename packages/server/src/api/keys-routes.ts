// Management API: API keys of a workspace. The secret is returned once, at creation.
import { Type } from 'typebox';
import { iso } from '../core/index.js';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { createApiKey, parseScope } from '../auth/api-keys.js';
import { findWorkspace, listApiKeys, revokeApiKey, setPingKey } from '../store/workspaces.js';
import { newPingKey } from '../store/ids.js';
import { pingAudienceOf } from './present.js';
import { notFound } from '../errors.js';
import { keyed } from './auth.js';
import { workspaceOf } from './context.js';
import { IdParams, errorResponses } from './schemas.js';

const KeySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    scope: Type.String(),
    created_at: Type.String(),
    last_used_at: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: true },
);

export async function keyRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  // Keys are the workspace's credentials: a write key, or a session of an admin (not an editor).
  const write = keyed(db, 'admin');
  const tags = ['keys'];

  app.post(
    '/keys',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Create an API key (the secret is shown only in this answer)',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            scope: Type.String({ description: 'ping (alias heartbeat:write), read or write' }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Type.String(), name: Type.String(), scope: Type.String(), key: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const scope = parseScope(body.scope);
      const { id, key } = await createApiKey(db, workspaceOf(request), body.name.trim(), scope, runtime.clock.now());
      return reply.code(201).send({ id, name: body.name.trim(), scope, key });
    },
  );

  app.get(
    '/keys',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'List API keys (never their secrets)',
        response: { 200: Type.Object({ items: Type.Array(KeySchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: (await listApiKeys(db, workspaceOf(request))).map((k) => ({
        id: k.id,
        name: k.name,
        scope: k.scope,
        created_at: iso(k.created_at)!,
        last_used_at: iso(k.last_used_at),
      })),
    }),
  );

  app.delete(
    '/keys/:id',
    {
      onRequest: write,
      schema: { tags, summary: 'Revoke an API key', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    },
    async (request, reply) => {
      if (!(await revokeApiKey(db, workspaceOf(request), request.params.id, runtime.clock.now()))) {
        throw notFound('key_not_found', 'No such active key in this workspace.');
      }
      return reply.code(204).send(null);
    },
  );

  const pingUrlBase = (pingKey: string) => `${runtime.config.publicUrl}/ping/${pingKey}`;

  app.get(
    '/workspace',
    {
      onRequest: keyed(db, 'read'),
      schema: {
        tags: ['workspace'],
        summary:
          'The workspace of the calling key, with its ping key for /ping/{ping_key}/{slug} (null for viewers and read keys: it sends signals and creates checks)',
        response: {
          200: Type.Object({
            id: Type.String(),
            name: Type.String(),
            ping_key: Type.Union([Type.String(), Type.Null()]),
            ping_url_base: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      // The caller's workspace exists: its key or membership refers to it.
      const ws = (await findWorkspace(db, workspaceOf(request)))!;
      const writer = pingAudienceOf(request.auth) === 'writer';
      return { id: ws.id, name: ws.name, ping_key: writer ? ws.ping_key : null, ping_url_base: writer ? pingUrlBase(ws.ping_key) : null };
    },
  );

  app.post(
    '/workspace/ping-key/rotate',
    {
      onRequest: write,
      schema: {
        tags: ['workspace'],
        summary: 'Replace the workspace ping key: URLs with the old one stop working at once; checks keep their own UUID and key URLs',
        response: { 200: Type.Object({ ping_key: Type.String(), ping_url_base: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      const pingKey = newPingKey();
      await setPingKey(db, workspaceOf(request), pingKey);
      request.log.info({ workspace: workspaceOf(request) }, 'workspace ping key rotated');
      return { ping_key: pingKey, ping_url_base: pingUrlBase(pingKey) };
    },
  );
}
