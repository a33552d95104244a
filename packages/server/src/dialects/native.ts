// The native ping protocol (protocol.md §3): a superset of the healthchecks.io and CronBeats ping URLs.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { SignalKind } from '../core/index.js';
import { iso } from '../core/index.js';
import { parseCheckRef, type CheckRef } from '../store/checks.js';
import { PING_KEY_PATTERN } from '../store/ids.js';
import { clip, fieldsFromBody, keptBody, MESSAGE_MAX, PROGRESS_MESSAGE_MAX, signal } from '../ingest/incoming-signal.js';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { PRESETS } from '../checks/presets.js';
import { acceptAnyBody, rawBody, wantsJson } from './raw-body.js';
import { origin } from './common.js';
import { allowAnyOrigin, answerPreflight } from './cors.js';
import { answerTelemetry, isCronitorQuery, monitorSlug, telemetrySignal } from './cronitor.js';
import { submitIgnoringRefusedMethod } from './refused-method.js';
import { KeywordFilterCache } from './keyword-filter-cache.js';
import { classifyBody } from '../core/keyword-filter.js';

type Action = { kind: SignalKind; exitCode: number | null; progress: number | null };

/** Parses what follows the check in a ping URL: "", "start", "fail", "end/success", "42", "progress/50", … */
function parseSuffix(parts: string[]): Action | string {
  const plain = (kind: SignalKind): Action => ({ kind, exitCode: null, progress: null });
  const [first, second] = parts;
  if (parts.length === 0) return plain('success');
  if (parts.length === 1) {
    if (first === 'start') return plain('start');
    if (first === 'fail') return plain('fail');
    if (first === 'log') return plain('log');
    if (first === 'progress') return plain('progress');
    if (first === 'success') return plain('success');
    if (/^\d{1,3}$/.test(first)) {
      const code = Number(first);
      if (code > 255) return 'exit status must be between 0 and 255';
      return { kind: code === 0 ? 'success' : 'fail', exitCode: code, progress: null };
    }
  }
  if (parts.length === 2 && first === 'end' && (second === 'success' || second === 'fail')) return plain(second);
  if (parts.length === 2 && first === 'progress') {
    if (!/^\d{1,3}$/.test(second) || Number(second) > 100) return 'progress must be a whole number from 0 to 100';
    return { kind: 'progress', exitCode: null, progress: Number(second) };
  }
  return `unknown ping action "/${parts.join('/')}"; use start, fail, log, end/success, end/fail, progress/{0-100} or an exit status 0-255`;
}

/** Splits "/ping/…" segments into the check reference and the action suffix. */
function parsePingPath(segments: string[]): { ref: CheckRef; suffix: string[]; byKey: boolean } | null {
  const [first, ...rest] = segments;
  if (!first) return null;
  if (PING_KEY_PATTERN.test(first)) {
    const [slug, ...suffix] = rest;
    if (!slug) return null;
    return { ref: { by: 'slug', pingKey: first, slug: slug.toLowerCase() }, suffix, byKey: false };
  }
  const ref = parseCheckRef(first);
  return ref ? { ref, suffix: rest, byKey: ref.by === 'key' } : null;
}

function queryText(query: unknown, ...names: string[]): string | null {
  const q = (query ?? {}) as Record<string, unknown>;
  for (const name of names) {
    const value = q[name];
    if (typeof value === 'string' && value !== '') return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  }
  return null;
}

/** The host a heartbeat's metadata names (hostname or host), if it is a string. */
function hostFromMetadata(metadata: Record<string, unknown> | null): string | null {
  const value = metadata?.hostname ?? metadata?.host;
  return typeof value === 'string' ? value : null;
}

function headerValue(raw: string | string[] | undefined): string | null {
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value || null;
}

export async function nativePingRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  acceptAnyBody(app);
  allowAnyOrigin(app);
  const filters = new KeywordFilterCache(runtime.store.db, runtime.clock, runtime.feed, runtime.store.checkRowCache);
  const answer = (reply: FastifyReply, json: boolean, status: number, code: string, message: string) => {
    reply.code(status);
    return json ? reply.send({ ok: false, error: { code, message } }) : reply.type('text/plain; charset=utf-8').send(message);
  };

  const handler = async (request: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply) => {
    const started = performance.now();
    if (answerPreflight(request, reply)) return reply;
    const path = request.params['*'] ?? '';
    const segments = path.split('/').filter(Boolean);
    const parsed = parsePingPath(segments);
    const json = wantsJson(request.headers.accept) || parsed?.byKey === true;
    if (!parsed)
      return answer(reply, json, 404, 'not_found', 'not found: use /ping/{uuid}, /ping/{8-character key} or /ping/{ping key}/{slug}');
    if (!['GET', 'HEAD', 'POST'].includes(request.method)) {
      reply.header('allow', 'GET, HEAD, POST');
      return answer(reply, json, 405, 'method_not_allowed', `method ${request.method} not allowed: use GET, HEAD or POST`);
    }
    if (parsed.suffix.length === 0 && isCronitorQuery(request.query)) {
      // Cronitor's SDKs send /ping/{key}/{monitor}?state=…: its events, not a plain success (and its monitors are created).
      const ref = parsed.ref.by === 'slug' ? { ...parsed.ref, slug: monitorSlug(segments[1]) } : parsed.ref;
      const sig = telemetrySignal(request, ref, parsed.ref.by === 'slug' ? segments[1] : null);
      if (typeof sig === 'string') return answer(reply, json, 400, 'bad_request', sig);
      return answerTelemetry(runtime, sig, reply);
    }
    const action = parseSuffix(parsed.suffix);
    if (typeof action === 'string') return answer(reply, json, 400, 'bad_request', action);

    const body = keptBody(rawBody(request.body));
    if (action.kind !== 'progress') {
      // healthchecks.io's HTTP body filter: the body's keywords decide what the ping means, whatever the URL said.
      const filter = await filters.filterFor(parsed.ref);
      if (filter) action.kind = classifyBody(body ?? '', filter);
    }
    const max = action.kind === 'progress' ? PROGRESS_MESSAGE_MAX : MESSAGE_MAX;
    const fromBody = fieldsFromBody(body);
    const message = clip(queryText(request.query, 'msg', 'message') ?? fromBody.message, max);
    const create = queryText(request.query, 'create') === '1' && parsed.ref.by === 'slug';
    const metadata = fromBody.metadata;
    const outcome = await submitIgnoringRefusedMethod(
      runtime,
      signal({
        // The 8-character key is the check's own key in Overdue's ping URLs (the README's form), so it is native too,
        // although its JSON answer is shaped for CronBeats clients.
        ref: parsed.ref,
        kind: action.kind,
        dialect: 'native',
        rid: clip(queryText(request.query, 'rid', 'run_id'), 200),
        exitCode: action.exitCode,
        progress: action.progress,
        message,
        body,
        ...origin(request),
        // The machine the job ran on (`overdue exec` sends it), kept on the run and in the check's hosts.
        host: clip(queryText(request.query, 'host') ?? headerValue(request.headers['x-overdue-host']) ?? hostFromMetadata(metadata), 200),
        metadata,
        createWith: create ? { ...PRESETS.healthchecks, learn_schedule: true } : null,
      }),
    );

    if (outcome.kind === 'not_found') return answer(reply, json, 404, 'not_found', 'not found: no such check, or it is disabled');
    if (outcome.kind === 'rate_limited') {
      reply.header('retry-after', String(outcome.retryAfterS));
      return answer(reply, json, 429, 'rate_limited', `too many pings for this check; retry in ${outcome.retryAfterS}s`);
    }
    if (outcome.kind === 'rejected') {
      reply.headers(outcome.error.headers);
      return answer(reply, json, outcome.error.status, outcome.error.code, outcome.error.message);
    }
    if (outcome.kind === 'method_not_allowed') {
      reply.header('allow', outcome.allowed.join(', '));
      return answer(
        reply,
        json,
        405,
        'method_not_allowed',
        `method ${request.method} not allowed for this check: use ${outcome.allowed.join(', ')}`,
      );
    }
    reply.code(outcome.created ? 201 : 200);
    if (!json) return reply.type('text/plain; charset=utf-8').send(outcome.created ? 'Created' : 'OK');
    return reply.send({
      ok: true,
      action: outcome.ignored ? 'ignored' : action.kind,
      job_key: outcome.check.key,
      timestamp: iso(outcome.at),
      processing_time_ms: Math.round((performance.now() - started) * 100) / 100,
      next_expected: iso(outcome.check.expected_at),
    });
  };

  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/ping/*',
    exposeHeadRoute: false,
    schema: { hide: true, params: Type.Object({ '*': Type.String() }) },
    handler,
  });
}
