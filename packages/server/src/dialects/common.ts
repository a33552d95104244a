// What every dialect of another service needs: bodies read the way curl and SDKs send them, field checks that
// answer 400, the rate limit, and ingest outcomes turned into HTTP errors. Parsing and formatting only.
import type { FastifyRequest } from 'fastify';
import type { Runtime } from '../runtime.js';
import { JSON_DEPTH_MAX, nestsDeeperThan, type IncomingSignal } from '../ingest/incoming-signal.js';
import type { IngestOutcome } from '../ingest/apply-batch.js';
import { badRequest, notFound, OverdueError } from '../errors.js';
import { requireKey, type Caller } from '../api/auth.js';
import { rawBody } from './raw-body.js';

export type Fields = Record<string, unknown>;

/**
 * A body's fields: a JSON object whatever the Content-Type says (curl -d sends JSON as a form), else
 * form fields (status=down&message=…). Empty → {}; null when the body is neither; a 400 when it nests too deep to parse.
 */
export function bodyFields(request: FastifyRequest): Fields | null {
  const raw = rawBody(request.body);
  if (!raw || raw.length === 0) return {};
  const text = raw
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trim();
  if (text === '') return {};
  if (text[0] === '{' || text[0] === '[') {
    if (nestsDeeperThan(text, JSON_DEPTH_MAX))
      throw badRequest('invalid_json', `The JSON body nests more than ${JSON_DEPTH_MAX} levels deep; send flatter JSON.`);
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Fields) : null;
    } catch {
      return null;
    }
  }
  if (/^[^=&\s]+=/.test(text)) return Object.fromEntries(new URLSearchParams(text));
  return null;
}

/** Like bodyFields, for management calls: a body that is not a JSON object is a 400. */
export function requireJsonFields(request: FastifyRequest): Fields {
  const fields = bodyFields(request);
  if (fields == null) throw badRequest('invalid_json', 'The body must be a JSON object, e.g. {"name": "backup"}.');
  return fields;
}

/** Query parameters as fields (the first value of a repeated one). */
/** The query string as the parser left it (a repeated name gives a list): dialects read free-form fields, no schema. */
export function rawQuery(request: FastifyRequest): Fields {
  const query: unknown = request.query;
  return query && typeof query === 'object' ? { ...query } : {};
}

export function queryFields(request: FastifyRequest): Fields {
  const out: Fields = {};
  for (const [name, value] of Object.entries(rawQuery(request))) {
    out[name] = Array.isArray(value) ? value[0] : value;
  }
  return out;
}

/** An optional string field; a 400 naming the field when it is something else or too long. */
export function optionalText(fields: Fields, name: string, max: number): string | null {
  const value = fields[name];
  if (value == null || value === '') return null;
  if (typeof value !== 'string') throw badRequest('invalid_field', `${name} must be a string.`);
  if (value.length > max) throw badRequest('invalid_field', `${name} must be at most ${max} characters.`);
  return value;
}

/** A header's trimmed value, or null; a 400 when it is longer than `max`. */
export function headerText(request: FastifyRequest, name: string, max: number): string | null {
  const raw = request.headers[name.toLowerCase()];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return null;
  if (value.length > max) throw badRequest('invalid_header', `${name} must be at most ${max} characters.`);
  return value;
}

/** One of the allowed words (case-insensitive), `fallback` when absent; a 400 listing them otherwise. */
export function oneOf<T extends string>(fields: Fields, name: string, allowed: Record<string, T>, fallback: T): T {
  const value = fields[name];
  if (value == null || value === '') return fallback;
  const found = typeof value === 'string' ? allowed[value.trim().toLowerCase()] : undefined;
  if (found == null)
    throw badRequest('invalid_field', `${name} must be one of ${Object.keys(allowed).join(', ')}; got ${JSON.stringify(value)}.`);
  return found;
}

const rateLimited = (retryAfterS: number, what: string) =>
  new OverdueError(429, 'rate_limited', `Too many requests for this ${what}; retry in ${retryAfterS}s.`, {
    'retry-after': String(retryAfterS),
  });

/**
 * The caller of a dialect's management call (requireKey), which then takes a token from its key's bucket (the ping
 * rate limit's rate); 429 with Retry-After when it is empty. Signals need no bucket: ingest limits them per check.
 */
export async function managementCaller(runtime: Runtime, request: FastifyRequest, scope: 'read' | 'write'): Promise<Caller> {
  const caller = await requireKey(runtime.store.db, request, scope);
  const decision = runtime.pingLimiter.take(`api-key:${caller.id}`, runtime.clock.now());
  if (!decision.allowed) throw rateLimited(decision.retryAfterS, 'API key');
  return caller;
}

/** What a dialect calls a check, in its not-found code (`{what}_not_found`) and messages. */
export type CheckNoun = 'check' | 'job' | 'monitor' | 'heartbeat';

/** Submits a signal and waits for it to be stored; errors are thrown as the HTTP answer they mean. */
export async function submit(
  runtime: Runtime,
  sig: IncomingSignal,
  what: CheckNoun = 'check',
): Promise<Extract<IngestOutcome, { kind: 'ok' }>> {
  const outcome = await runtime.ingest.submit(sig);
  switch (outcome.kind) {
    case 'ok':
      return outcome;
    // A keyless gateway call names no workspace: the sentence then does not mention one.
    case 'not_found':
      throw notFound(
        `${what}_not_found`,
        `No ${what} with that id${sig.workspaceId != null ? ' in this workspace' : ''}, or it is disabled.`,
      );
    case 'rejected':
      throw outcome.error;
    case 'rate_limited':
      throw rateLimited(outcome.retryAfterS, what);
    case 'method_not_allowed':
      throw new OverdueError(405, 'method_not_allowed', `This ${what} accepts only ${outcome.allowed.join(', ')}.`, {
        allow: outcome.allowed.join(', '),
      });
  }
}

/** The parts of a request every signal records. */
export function origin(request: FastifyRequest): Pick<IncomingSignal, 'method' | 'sourceIp' | 'userAgent'> {
  const ua = request.headers['user-agent'];
  return { method: request.method, sourceIp: request.ip, userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null };
}
