// Sentry Crons: a DSN of http://{workspace ping key}@{overdue host}/{any project id} works unchanged. The SDKs'
// envelope endpoint and the HTTP check-in API, both read into the same check-ins (sentry-checkin.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { PING_KEY_PATTERN } from '../store/ids.js';
import { badRequest, notFound, OverdueError } from '../errors.js';
import { acceptAnyBody, rawBody } from './raw-body.js';
import { bodyFields, queryFields } from './common.js';
import { decodeBody, parseEnvelope } from './sentry-envelope.js';
import { applyCheckIn, dsnWorkspace, parseCheckIn, type CheckIn } from './sentry-checkin.js';

const Params = Type.Object({ projectId: Type.String(), slug: Type.Optional(Type.String()), sentryKey: Type.Optional(Type.String()) });
type SentryRequest = FastifyRequest<{ Params: Static<typeof Params> }>;

/** The comma-separated `k=v` pairs of an X-Sentry-Auth (or "Authorization: Sentry …") header. */
function authPairs(header: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const part of header.replace(/^\s*Sentry\s+/i, '').split(',')) {
    const at = part.indexOf('=');
    if (at > 0) pairs[part.slice(0, at).trim().toLowerCase()] = part.slice(at + 1).trim();
  }
  return pairs;
}

/** The public key of a DSN (http://{key}@host/1), or null when it is not a URL with a user part. */
function dsnKey(dsn: unknown): string | null {
  if (typeof dsn !== 'string') return null;
  try {
    return decodeURIComponent(new URL(dsn).username) || null;
  } catch {
    return null;
  }
}

/**
 * The DSN's public key, wherever this client put it: the URL path (HTTP check-ins), ?sentry_key= (the JS SDK),
 * X-Sentry-Auth (sentry-cli and most SDKs), Authorization (Sentry, Basic as curl sends a DSN's user, or DSN),
 * or the envelope header's dsn (the SDKs' tunnel option).
 */
function presentedDsnKey(request: SentryRequest, envelopeHeader: Record<string, unknown> | null): string | null {
  const params = request.params;
  if (params.sentryKey) return params.sentryKey;
  const query = queryFields(request);
  if (typeof query.sentry_key === 'string' && query.sentry_key) return query.sentry_key;
  const sentryAuth = request.headers['x-sentry-auth'];
  if (typeof sentryAuth === 'string' && authPairs(sentryAuth).sentry_key) return authPairs(sentryAuth).sentry_key;
  const authorization = request.headers.authorization?.trim() ?? '';
  if (/^Sentry\s/i.test(authorization) && authPairs(authorization).sentry_key) return authPairs(authorization).sentry_key;
  const basic = /^Basic\s+(\S+)$/i.exec(authorization);
  if (basic) {
    const user = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
    if (user) return user;
  }
  const dsn = /^DSN\s+(\S+)$/i.exec(authorization);
  return dsnKey(dsn?.[1]) ?? dsnKey(envelopeHeader?.dsn);
}

/** The workspace of the request's DSN key; 401 when there is none or it is not a ping key. */
async function workspaceOf(runtime: Runtime, request: SentryRequest, envelopeHeader: Record<string, unknown> | null) {
  const key = presentedDsnKey(request, envelopeHeader);
  if (!key)
    throw new OverdueError(
      401,
      'missing_dsn_key',
      "No DSN key: send it as ?sentry_key=, in X-Sentry-Auth, or in the URL (/api/1/cron/{monitor}/{ping key}/); it is the workspace's ping key.",
    );
  if (!PING_KEY_PATTERN.test(key))
    throw new OverdueError(
      401,
      'invalid_dsn_key',
      "The DSN's public key must be the workspace's 22-character ping key (shown on the workspace settings page).",
    );
  return dsnWorkspace(runtime, key);
}

/** Sentry's DSN parser only makes digit project ids; anything else is not a Sentry URL. */
function projectOf(request: SentryRequest): string {
  const { projectId } = request.params;
  if (!/^\d{1,20}$/.test(projectId))
    throw notFound(
      'not_found',
      `No route ${request.method} ${request.url.split('?')[0]}: a Sentry project id is digits, e.g. /api/1/envelope/.`,
    );
  return projectId;
}

/** A rate-limited answer the SDK reads as "pause check-ins only, for this long" (Relay's header), not all telemetry. */
function sentryRateLimited(error: OverdueError): OverdueError {
  const retryAfterS = Number(error.headers['retry-after'] ?? 60);
  return new OverdueError(429, 'rate_limited', error.message, {
    'retry-after': String(retryAfterS),
    'x-sentry-rate-limits': `${retryAfterS}:monitor:organization`,
  });
}

/** A Sentry route whose every 429 (the check's budget, the auto-create budget) is in Sentry's terms: one mapping. */
function inSentryTerms<R extends FastifyRequest>(handler: (request: R, reply: FastifyReply) => Promise<unknown>) {
  return async (request: R, reply: FastifyReply) => {
    try {
      return await handler(request, reply);
    } catch (error) {
      throw error instanceof OverdueError && error.status === 429 ? sentryRateLimited(error) : error;
    }
  };
}

export async function sentryRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  acceptAnyBody(app);

  /** The envelope endpoint: check_in items become signals; every other item (events, sessions, reports) is ignored. */
  const envelope = async (request: SentryRequest, reply: FastifyReply) => {
    const project = projectOf(request);
    // A key in the URL or the headers is checked before the body is decoded: a caller without a valid one costs
    // no decompression. Only a key carried in the envelope itself (the tunnel option) needs the body first.
    const early = presentedDsnKey(request, null) != null ? await workspaceOf(runtime, request, null) : null;
    const raw = rawBody(request.body);
    if (!raw || raw.length === 0)
      throw badRequest('invalid_envelope', 'The body is empty; POST a Sentry envelope (header line, then items).');
    const parsed = parseEnvelope(decodeBody(raw, request.headers['content-encoding']));
    const workspace = early ?? (await workspaceOf(runtime, request, parsed.header));
    // Every check-in is read before any is stored: one malformed item refuses the envelope as a whole.
    const checkIns: CheckIn[] = [];
    for (const item of parsed.items) {
      if (item.type !== 'check_in') continue;
      let fields: unknown;
      try {
        fields = JSON.parse(item.payload.toString('utf8'));
      } catch {
        throw badRequest('invalid_check_in', "A check_in item's payload is not JSON.");
      }
      if (fields == null || typeof fields !== 'object' || Array.isArray(fields))
        throw badRequest('invalid_check_in', "A check_in item's payload must be a JSON object.");
      checkIns.push(parseCheckIn(fields as Record<string, unknown>));
    }
    for (const checkIn of checkIns) await applyCheckIn(runtime, workspace, checkIn, request, project);
    // Relay answers the envelope's event id when it has one, else an empty object.
    const eventId = parsed.header.event_id;
    return reply.code(200).send(typeof eventId === 'string' ? { id: eventId } : {});
  };

  /** The HTTP check-in API: status and the rest in the query, or in a JSON (or form) body; 202 without a body. */
  const cron = async (request: SentryRequest, reply: FastifyReply) => {
    const project = projectOf(request);
    const body = bodyFields(request);
    if (body == null) throw badRequest('invalid_json', 'The body must be a JSON object, e.g. {"status": "ok"}, or form fields.');
    const workspace = await workspaceOf(runtime, request, null);
    const { slug } = request.params;
    const checkIn = parseCheckIn({ ...queryFields(request), ...body, monitor_slug: slug });
    await applyCheckIn(runtime, workspace, checkIn, request, project);
    return reply.code(202).send();
  };

  const hide = { hide: true, params: Params };
  for (const url of ['/api/:projectId/envelope/', '/api/:projectId/envelope']) app.post(url, { schema: hide }, inSentryTerms(envelope));
  for (const url of [
    '/api/:projectId/cron/:slug/:sentryKey/',
    '/api/:projectId/cron/:slug/:sentryKey',
    '/api/:projectId/cron/:slug/',
    '/api/:projectId/cron/:slug',
  ]) {
    app.route({ method: ['GET', 'POST'], url, exposeHeadRoute: false, schema: hide, handler: inSentryTerms(cron) });
  }
}
