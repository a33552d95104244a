// GET /metrics (the process, for operators) and GET /api/v1/metrics (one workspace's checks, for a read key).
import type { FastifyRequest } from 'fastify';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { unauthorized } from '../errors.js';
import { bearerToken, keyed } from './auth.js';
import { sameToken } from '../auth/sessions.js';
import { workspaceOf } from './context.js';
import { pingAudienceOf } from './present.js';
import { workspaceMetrics } from '../metrics/workspace-metrics.js';
import { PROMETHEUS_TEXT } from '../metrics/exposition.js';
import { errorResponses } from './schemas.js';

function bearerMatches(request: FastifyRequest, token: string): boolean {
  const given = bearerToken(request);
  return given != null && sameToken(given, token);
}

/** The process-wide endpoint, outside /api/v1. */
export async function processMetricsRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const { enabled, token } = runtime.config.metrics;
  if (!enabled) return;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (token && !bearerMatches(request, token)) throw unauthorized('GET /metrics needs "Authorization: Bearer <OVERDUE_METRICS_TOKEN>".');
    const { contentType, body } = await runtime.metrics.text();
    return reply.type(contentType).send(body);
  });
}

/** The per-workspace endpoint, registered under /api/v1. */
export async function workspaceMetricsRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  app.get(
    '/metrics',
    {
      onRequest: keyed(db, 'read'),
      schema: {
        tags: ['metrics'],
        summary: "Each check of the key's workspace as Prometheus series (text exposition format)",
        produces: ['text/plain'],
        response: { 200: { type: 'string' }, ...errorResponses },
      } as object,
    },
    async (request, reply) =>
      reply.type(PROMETHEUS_TEXT).send(await workspaceMetrics(db, workspaceOf(request), pingAudienceOf(request.auth) === 'writer')),
  );
}
