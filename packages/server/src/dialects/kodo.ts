// Kodo's heartbeat API: POST (or GET, curl's default) /api/heartbeat/{monitor} with an optional body
// {status: up|down|degraded, message}, read as JSON whatever the Content-Type says. Keyed: X-API-Key or Bearer.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { keyed } from '../api/auth.js';
import { parseCheckRef } from '../store/checks.js';
import { iso } from '../core/index.js';
import { notFound } from '../errors.js';
import { clip, keptBody, MESSAGE_MAX, signal } from '../ingest/incoming-signal.js';
import { acceptAnyBody, rawBody } from './raw-body.js';
import { bodyFields, oneOf, optionalText, origin, queryFields, submit } from './common.js';

type KodoStatus = 'up' | 'down' | 'degraded';
const STATUSES: Record<string, KodoStatus> = { up: 'up', down: 'down', degraded: 'degraded' };

export async function kodoRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  acceptAnyBody(app);

  const handler = async (request: FastifyRequest<{ Params: { monitor: string } }>, reply: FastifyReply) => {
    const key = request.auth!;
    const monitor = request.params.monitor;
    const ref = parseCheckRef(monitor);
    if (!ref) throw notFound('monitor_not_found', `No monitor "${monitor}": use the check's UUID or its 8-character key.`);
    // The body wins over the query; a body that is neither JSON nor a form is kept as the log, never refused.
    const fields = { ...queryFields(request), ...(bodyFields(request) ?? {}) };
    const status = oneOf(fields, 'status', STATUSES, 'up');
    const message = clip(optionalText(fields, 'message', 100_000), MESSAGE_MAX);

    const outcome = await submit(
      runtime,
      signal({
        ref,
        kind: status === 'down' ? 'fail' : 'success',
        degraded: status === 'degraded',
        dialect: 'kodo',
        workspaceId: key.workspaceId,
        message,
        body: keptBody(rawBody(request.body)),
        ...origin(request),
      }),
      'monitor',
    );
    return reply.send({
      success: true,
      monitor_id: outcome.check.id,
      status,
      message,
      received_at: iso(outcome.at),
      next_expected_at: iso(outcome.check.expected_at),
    });
  };

  app.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/api/heartbeat/:monitor',
    exposeHeadRoute: false,
    schema: { hide: true, params: Type.Object({ monitor: Type.String() }) },
    // The key is checked before the body is read: a caller without one costs no parsing.
    onRequest: keyed(runtime.store.db, 'ping'),
    handler,
  });
}
