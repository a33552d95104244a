// Cronitor's telemetry API: `/p/{key}/{monitor}` (and the SDKs' `/ping/{key}/{monitor}`, which the native router
// hands over here when Cronitor's query parameters are present) with state=run|complete|fail|ok, message, series,
// host, env, metric, status_code. The key is the workspace ping key; an unknown monitor is created, as Cronitor does.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { SignalKind } from '../core/index.js';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import type { CheckRef } from '../store/checks.js';
import { PING_KEY_PATTERN } from '../store/ids.js';
import { PRESETS } from '../checks/presets.js';
import { slugify } from '../checks/settings.js';
import { clip, keptBody, MESSAGE_MAX, signal, type IncomingSignal } from '../ingest/incoming-signal.js';
import { acceptAnyBody, rawBody } from './raw-body.js';
import { bodyFields, origin, rawQuery, type Fields } from './common.js';
import { allowAnyOrigin, answerPreflight } from './cors.js';
import { submitIgnoringRefusedMethod } from './refused-method.js';

const STATES: Record<string, SignalKind> = { run: 'start', complete: 'success', fail: 'fail', ok: 'success' };
/** Parameters only Cronitor's clients send: their presence on a /ping/ URL means the request speaks Cronitor. */
const CRONITOR_ONLY = ['state', 'series', 'metric', 'stamp', 'env', 'status_code', 'host'];
const METRIC = /^([A-Za-z_][\w.-]{0,63})[:=](.+)$/;
const MAX_METRICS = 20;

export interface Telemetry {
  kind: SignalKind;
  rid: string | null;
  exitCode: number | null;
  message: string | null;
  host: string | null;
  metadata: Record<string, unknown> | null;
}

const all = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value == null ? [] : [value]).filter((v): v is string => typeof v === 'string');
const first = (fields: Fields, name: string): string | null => all(fields[name]).find((v) => v !== '') ?? null;

/** Whether a query carries Cronitor's telemetry parameters. */
export function isCronitorQuery(query: unknown): boolean {
  const q = (query ?? {}) as Record<string, unknown>;
  return CRONITOR_ONLY.some((name) => q[name] !== undefined);
}

/** Cronitor telemetry parameters → the parts of a signal; a sentence saying what is wrong otherwise. */
export function parseTelemetry(fields: Fields): Telemetry | string {
  const state = first(fields, 'state');
  const kind = state == null ? 'success' : STATES[state.toLowerCase()];
  if (kind == null) return `state must be run, complete, fail or ok; got "${clip(state, 50)}"`;
  const metadata: Record<string, unknown> = {};
  const metrics: Record<string, number> = {};
  const given = all(fields.metric);
  if (given.length > MAX_METRICS) return `at most ${MAX_METRICS} metric parameters`;
  for (const item of given) {
    const match = METRIC.exec(item);
    const value = match ? Number(match[2]) : NaN;
    if (!match || !Number.isFinite(value))
      return `metric must be name:number, e.g. duration:12.5, count:42 or error_count:0; got "${clip(item, 80)}"`;
    metrics[match[1]] = value;
  }
  if (given.length) metadata.metrics = metrics;
  let exitCode: number | null = null;
  const statusCode = first(fields, 'status_code');
  if (statusCode != null) {
    if (!/^-?\d{1,10}$/.test(statusCode))
      return `status_code must be a whole number (the job's exit status); got "${clip(statusCode, 50)}"`;
    metadata.status_code = Number(statusCode);
    if ((metadata.status_code as number) >= 0 && (metadata.status_code as number) <= 255) exitCode = Number(statusCode);
  }
  const env = first(fields, 'env');
  if (env != null) metadata.env = clip(env, 100);
  const stamp = first(fields, 'stamp');
  // The client's clock is kept for the record only: timing uses the time the signal arrived.
  if (stamp != null && Number.isFinite(Number(stamp))) metadata.stamp = Number(stamp);
  if (state != null) metadata.state = state.toLowerCase();
  return {
    kind,
    exitCode,
    metadata: Object.keys(metadata).length ? metadata : null,
    rid: clip(first(fields, 'series'), 200),
    message: clip(first(fields, 'message') ?? first(fields, 'msg'), MESSAGE_MAX),
    host: clip(first(fields, 'host'), 255),
  };
}

/** A Cronitor monitor key as a check slug: lowercased, and made URL-safe when it is not already a valid slug. */
export function monitorSlug(monitor: string): string {
  const lower = monitor.toLowerCase();
  return /^[a-z0-9][a-z0-9_-]{0,99}$/.test(lower) ? lower : slugify(monitor);
}

/** The signal of a Cronitor request for `ref`; a monitor named by slug is created on first use. */
export function telemetrySignal(request: FastifyRequest, ref: CheckRef, monitor: string | null): IncomingSignal | string {
  // POST may carry the parameters as a form or JSON body too; the query wins.
  const fields: Fields = { ...(request.method === 'POST' ? (bodyFields(request) ?? {}) : {}), ...rawQuery(request) };
  const telemetry = parseTelemetry(fields);
  if (typeof telemetry === 'string') return telemetry;
  return signal({
    ref,
    ...telemetry,
    dialect: 'cronitor',
    body: keptBody(rawBody(request.body)),
    ...origin(request),
    createWith: ref.by === 'slug' && monitor != null ? { ...PRESETS.healthchecks, name: clip(monitor, 200)!, learn_schedule: true } : null,
  });
}

/** Answers an ingest outcome as Cronitor's telemetry endpoint does: 200 "OK", errors as short text. */
export async function answerTelemetry(runtime: Runtime, sig: IncomingSignal, reply: FastifyReply) {
  const text = (status: number, body: string) => reply.code(status).type('text/plain; charset=utf-8').send(body);
  const outcome = await submitIgnoringRefusedMethod(runtime, sig);
  switch (outcome.kind) {
    case 'ok':
      return text(200, 'OK');
    case 'not_found':
      return text(404, 'not found: no such monitor, or it is disabled');
    case 'rate_limited':
      reply.header('retry-after', String(outcome.retryAfterS));
      return text(429, `too many pings for this monitor; retry in ${outcome.retryAfterS}s`);
    case 'rejected':
      return text(outcome.error.status, outcome.error.message);
    case 'method_not_allowed':
      return text(405, `method not allowed for this monitor: use ${outcome.allowed.join(', ')}`);
  }
}

export async function cronitorRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  acceptAnyBody(app);
  allowAnyOrigin(app);
  app.route({
    method: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    url: '/p/:key/:monitor',
    exposeHeadRoute: false,
    schema: { hide: true, params: Type.Object({ key: Type.String(), monitor: Type.String() }) },
    /** Cronitor telemetry: one event of the monitor (created on first use) in the workspace of the ping key. */
    handler: async (request, reply) => {
      if (answerPreflight(request, reply)) return reply;
      const { key, monitor } = request.params;
      if (!PING_KEY_PATTERN.test(key)) {
        return reply
          .code(404)
          .type('text/plain; charset=utf-8')
          .send('not found: use /p/{ping key}/{monitor}, with the 22-character ping key of your workspace');
      }
      if (monitor.length > 100) return reply.code(400).type('text/plain; charset=utf-8').send('monitor key must be at most 100 characters');
      const sig = telemetrySignal(request, { by: 'slug', pingKey: key, slug: monitorSlug(monitor) }, monitor);
      if (typeof sig === 'string') return reply.code(400).type('text/plain; charset=utf-8').send(sig);
      return answerTelemetry(runtime, sig, reply);
    },
  });
}
