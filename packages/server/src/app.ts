// The HTTP application: the ping dialects, the management API under /api/v1, its OpenAPI document, health.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Runtime } from './runtime.js';
import { installErrorHandlers } from './api/error-handler.js';
import { installSecurityHeaders } from './api/security-headers.js';
import { installReadIds } from './api/read-ids.js';
import { checkRoutes } from './api/checks-routes.js';
import { learnedScheduleRoutes } from './api/learned-schedule-routes.js';
import { historyRoutes } from './api/history-routes.js';
import { channelRoutes } from './api/channels-routes.js';
import { asCodeRoutes } from './api/as-code-routes.js';
import { maintenanceRoutes } from './api/maintenance-routes.js';
import { incidentRoutes } from './api/incidents-routes.js';
import { notificationRoutes } from './api/notifications-routes.js';
import { alertSettingsRoutes } from './api/alert-settings-routes.js';
import { keyRoutes } from './api/keys-routes.js';
import { projectRoutes } from './api/projects-routes.js';
import { healthRoutes } from './api/health-routes.js';
import { sessionRoutes } from './api/session-routes.js';
import { sessionCookieName } from './auth/sessions.js';
import { memberRoutes } from './api/members-routes.js';
import { eventRoutes } from './api/events-routes.js';
import { nativePingRoutes } from './dialects/native.js';
import { hexcoveryRoutes } from './dialects/hexcovery.js';
import { kodoRoutes } from './dialects/kodo.js';
import { exemplarRoutes } from './dialects/exemplar.js';
import { pinghomeRoutes } from './dialects/pinghome.js';
import { healthchecksV3Routes } from './dialects/healthchecks-v3.js';
import { uptimeKumaRoutes } from './dialects/uptime-kuma.js';
import { cronitorRoutes } from './dialects/cronitor.js';
import { sentryRoutes } from './dialects/sentry.js';
import { dashboardRoutes, type Dashboard } from './dashboard/static.js';
import { installClientRateLimit } from './api/client-rate-limit.js';
import { recordRoutes } from './api/route-table.js';
import { refuseNonFiniteNumbers } from './api/finite-numbers.js';
import { processMetricsRoutes, workspaceMetricsRoutes } from './api/metrics-routes.js';
import { badgeManagementRoutes, badgeRoutes } from './publish/badge-routes.js';
import { publicStatusPageRoutes, statusPageManagementRoutes } from './publish/status-page-routes.js';
import { clientRoutes } from './install/client-routes.js';

export const VERSION = '0.1.0';

/** The Fastify application over `runtime`, logging through `logger` (the server's pino instance). */
export async function buildApp(runtime: Runtime, logger: FastifyBaseLogger): Promise<FastifyInstance> {
  const { config } = runtime;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.bodyLimit,
    // Per-request log lines would cost more than a ping; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // request.ip is the client named by X-Forwarded-For only when the connection comes from a trusted proxy.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    routerOptions: { maxParamLength: 500 },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
    // Slow or idle clients cannot hold connections (and memory) for ever: see docs/operations/robustness.md.
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    connectionTimeout: config.idleTimeoutMs,
    http: {
      headersTimeout: config.headersTimeoutMs,
      // Node enforces the two timeouts above on this interval (default 30 s); check often enough to honour them.
      connectionsCheckingInterval: Math.min(5000, Math.max(100, Math.floor(config.headersTimeoutMs / 4))),
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  let dashboard: Dashboard | null = null;
  if (config.maxConnections > 0) app.server.maxConnections = config.maxConnections;
  // A client may shut its sending side once its request is out (nc, some scripts) and still expects the answer.
  // Node otherwise drops a request whose client FIN arrives before the answer is ready — on PostgreSQL, usually.
  (app.server as typeof app.server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  recordRoutes(app);
  installErrorHandlers(app, (request, reply) => dashboard?.fallback(request, reply) ?? false);
  installSecurityHeaders(app);
  installReadIds(app, runtime.store.db);
  installClientRateLimit(app, config.clientRateLimit, (kind) => runtime.metrics.clientRateLimited(kind));
  refuseNonFiniteNumbers(app);
  app.decorate('overdueClock', runtime.clock);
  app.decorate('overdueSessionCookie', sessionCookieName(config.publicUrl));

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Overdue API', version: VERSION, description: 'Management API of Overdue, the self-hosted heartbeat monitor.' },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
          bearer: { type: 'http', scheme: 'bearer' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: sessionCookieName(config.publicUrl),
            description: 'dashboard session; writes also need the X-CSRF-Token header',
          },
        },
      },
      security: [{ apiKey: [] }, { bearer: [] }, { session: [] }],
    },
  });

  await app.register(
    async (api) => {
      await sessionRoutes(api, runtime);
      await memberRoutes(api, runtime);
      await eventRoutes(api, runtime);
      await checkRoutes(api, runtime);
      await learnedScheduleRoutes(api, runtime);
      await historyRoutes(api, runtime);
      await channelRoutes(api, runtime);
      await incidentRoutes(api, runtime);
      await notificationRoutes(api, runtime);
      await alertSettingsRoutes(api, runtime);
      await keyRoutes(api, runtime);
      await projectRoutes(api, runtime);
      await workspaceMetricsRoutes(api, runtime);
      await badgeManagementRoutes(api, runtime);
      await statusPageManagementRoutes(api, runtime);
      await asCodeRoutes(api, runtime);
      await maintenanceRoutes(api, runtime);
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api/v1' },
  );

  await app.register(async (ping) => {
    // Server-side latency of the hot path, as a client would see it minus the network: arrival → answer sent.
    ping.addHook('onResponse', (_request, reply, done) => {
      runtime.metrics.pingAnswered(reply.elapsedTime);
      done();
    });
    await nativePingRoutes(ping, runtime);
  });
  // Other services' wire formats (protocol.md §4): one module each, all over the same ingest and check operations.
  await app.register(async (dialect) => hexcoveryRoutes(dialect, runtime));
  await app.register(async (dialect) => kodoRoutes(dialect, runtime));
  await app.register(async (dialect) => exemplarRoutes(dialect, runtime));
  await app.register(async (dialect) => pinghomeRoutes(dialect, runtime));
  await app.register(async (dialect) => healthchecksV3Routes(dialect, runtime));
  await app.register(async (dialect) => uptimeKumaRoutes(dialect, runtime));
  await app.register(async (dialect) => cronitorRoutes(dialect, runtime));
  await app.register(async (dialect) => sentryRoutes(dialect, runtime));
  await app.register(async (health) => healthRoutes(health, runtime));
  await app.register(async (ops) => processMetricsRoutes(ops, runtime));
  await app.register(async (install) => clientRoutes(install, config.publicUrl));
  await app.register(async (published) => {
    await badgeRoutes(published, runtime);
    await publicStatusPageRoutes(published, runtime);
  });
  dashboard = dashboardRoutes(app);
  return app;
}
