// Uptime Kuma push monitors: `/api/push/{token}?status=up|down&msg=…&ping=…`, any method, body ignored, answered
// as Kuma answers ({"ok":true} / {"ok":false,"msg":…}). The token is a check's push_token (kept on import), its
// 8-character key or its UUID. Parsing and formatting only; the signal goes through the common ingest.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { parseCheckRef } from '../store/checks.js';
import { PUSH_TOKEN_PATTERN } from '../checks/settings.js';
import { clip, MESSAGE_MAX, signal } from '../ingest/incoming-signal.js';
import { acceptAnyBody } from './raw-body.js';
import { origin, rawQuery } from './common.js';
import { allowAnyOrigin, answerPreflight } from './cors.js';
import { submitIgnoringRefusedMethod } from './refused-method.js';

/** Kuma's bound on the response time a push may report. */
const PING_MAX_MS = 100_000_000_000;
const NOT_FOUND = 'Monitor not found or not active.';

export type KumaPush = { up: boolean; message: string | null; pingMs: number | null };

/** A push's query as Kuma reads it: status exactly "up" is up, anything else down; msg "OK" by default; ping in ms. */
export function parseKumaPush(query: Record<string, unknown>): KumaPush | string {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : null);
  const status = text('status') ?? 'up';
  const msg = text('msg') ?? 'OK';
  // Kuma: parseFloat(ping) || null, so "", "0" and text mean "no response time".
  const ping = Number.parseFloat(text('ping') ?? '') || null;
  if (ping != null && (ping < 0 || ping > PING_MAX_MS)) return `Invalid ping value. Must be between 0 and ${PING_MAX_MS} ms.`;
  // The default "OK" says nothing: only a message someone wrote becomes the signal's message.
  return { up: status === 'up', message: msg === 'OK' ? null : clip(msg, MESSAGE_MAX), pingMs: ping };
}

/** The check a push token names: a kept push_token first, else the check's key or UUID. */
async function checkIdOf(runtime: Runtime, token: string): Promise<string | null> {
  const db = runtime.store.db;
  if (PUSH_TOKEN_PATTERN.test(token)) {
    const kept = await db.selectFrom('checks').select('id').where('push_token', '=', token).executeTakeFirst();
    if (kept) return kept.id;
  }
  const ref = parseCheckRef(token);
  if (!ref) return null;
  const row =
    ref.by === 'id'
      ? await db.selectFrom('checks').select('id').where('id', '=', ref.id).executeTakeFirst()
      : await db
          .selectFrom('checks')
          .select('id')
          .where('key', '=', (ref as { key: string }).key)
          .executeTakeFirst();
  return row?.id ?? null;
}

export async function uptimeKumaRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  acceptAnyBody(app);
  allowAnyOrigin(app);
  const fail = (reply: FastifyReply, status: number, msg: string) => reply.code(status).send({ ok: false, msg });

  /** An Uptime Kuma push: up → success, anything else → fail; `ping` kept as metadata.ping_ms. */
  const push = async (request: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply) => {
    if (answerPreflight(request, reply)) return reply;
    const parsed = parseKumaPush(rawQuery(request));
    // Kuma answers a bad ping value as an error too (404 in 2.x); 400 says what it is.
    if (typeof parsed === 'string') return fail(reply, 400, parsed);
    const token = request.params.token;
    const checkId = token.length <= 64 ? await checkIdOf(runtime, token) : null;
    if (!checkId) return fail(reply, 404, NOT_FOUND);
    const outcome = await submitIgnoringRefusedMethod(
      runtime,
      signal({
        ref: { by: 'id', id: checkId },
        kind: parsed.up ? 'success' : 'fail',
        dialect: 'uptime-kuma',
        message: parsed.message,
        metadata: parsed.pingMs != null ? { ping_ms: parsed.pingMs } : null,
        ...origin(request),
      }),
    );
    switch (outcome.kind) {
      case 'ok':
        return reply.send({ ok: true });
      case 'not_found':
        return fail(reply, 404, NOT_FOUND);
      case 'rate_limited':
        reply.header('retry-after', String(outcome.retryAfterS));
        return fail(reply, 429, `Too many pushes for this monitor; retry in ${outcome.retryAfterS}s.`);
      case 'rejected':
        return fail(reply, outcome.error.status, outcome.error.message);
      case 'method_not_allowed':
        return fail(reply, 405, `This monitor accepts only ${outcome.allowed.join(', ')}.`);
    }
  };

  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/api/push/:token',
    exposeHeadRoute: false,
    schema: { hide: true, params: Type.Object({ token: Type.String() }) },
    handler: push,
  });
}
