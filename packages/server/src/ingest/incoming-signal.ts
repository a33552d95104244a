// The dialect-neutral signal every wire format is parsed into, and the body rules of protocol.md §3.
import type { SignalKind } from '../core/index.js';
import type { CheckRef } from '../store/checks.js';
import type { CheckInput } from '../checks/settings.js';
import { badRequest } from '../errors.js';

/** Bytes of a body kept as the signal's log. */
export const BODY_KEEP_BYTES = 100 * 1024;
export const PROGRESS_MESSAGE_MAX = 255;
export const MESSAGE_MAX = 4000;
/** Characters of serialised metadata a signal keeps; more is a 400 (the raw body is kept apart, up to 100 KB). */
export const METADATA_MAX = 64_000;
/** Nesting levels metadata may have: deeper JSON parses (V8's parser is iterative) but cannot be serialised. */
export const METADATA_DEPTH_MAX = 32;
/** Nesting levels a JSON body may have before it is parsed at all: parsing 20,000 levels costs ~10–30 ms of CPU. */
export const JSON_DEPTH_MAX = 64;

export interface IncomingSignal {
  ref: CheckRef;
  kind: SignalKind;
  rid: string | null;
  exitCode: number | null;
  progress: number | null;
  message: string | null;
  degraded: boolean;
  body: string | null;
  /** Serialised JSON, validated when the signal was built: nothing about a signal can fail inside a batch. */
  metadata: string | null;
  method: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  dialect: string;
  /** When the check does not exist: create it with these settings (slug + create=1, Hexcovery names). */
  createWith: CheckInput | null;
  /** Host that ran the job (Hexcovery attribution), kept on the run and in the check's hosts. */
  host: string | null;
  /** Keyed dialects: the key's workspace. A check of another workspace is answered as not found. */
  workspaceId: string | null;
  /** Project and service the sender attributes the check to; the check adopts them when they differ. */
  attribution: { project?: string; service?: string } | null;
  /**
   * Whether the check's own rate limit applies. Off only for clients that turn a 429 into a lost signal and come
   * a few times per run anyway (Sentry's check-ins); the per-client limit still bounds a flood.
   */
  perCheckLimit: boolean;
}

/** What a dialect gives signal(): metadata as an object, serialised and checked there. */
export type SignalInput = Pick<IncomingSignal, 'ref' | 'kind' | 'dialect'> &
  Partial<Omit<IncomingSignal, 'metadata'>> & { metadata?: Record<string, unknown> | null };

/**
 * Builds a signal in the route, before it is queued: metadata is serialised and checked (400 when it is too deep or
 * too big) and every text is made storable (NUL → U+FFFD), so a batch never meets a value it cannot write, and a
 * name is looked up exactly as it will be stored.
 */
export function signal(partial: SignalInput): IncomingSignal {
  const sig: IncomingSignal = {
    rid: null,
    exitCode: null,
    progress: null,
    message: null,
    degraded: false,
    body: null,
    method: null,
    sourceIp: null,
    userAgent: null,
    createWith: null,
    host: null,
    workspaceId: null,
    attribution: null,
    perCheckLimit: true,
    ...partial,
    metadata: serialisedMetadata(partial.metadata),
  };
  sig.ref = storableRef(sig.ref);
  for (const field of ['rid', 'message', 'body', 'method', 'sourceIp', 'userAgent', 'host'] as const) {
    const value = sig[field];
    if (value != null) sig[field] = withoutNul(value);
  }
  if (sig.attribution) sig.attribution = storableTexts(sig.attribution);
  if (sig.createWith) {
    const input = storableTexts(sig.createWith);
    if (input.tags) input.tags = input.tags.map((tag) => (typeof tag === 'string' ? withoutNul(tag) : tag));
    sig.createWith = input;
  }
  return sig;
}

function storableRef(ref: CheckRef): CheckRef {
  switch (ref.by) {
    case 'name':
      return { ...ref, name: withoutNul(ref.name) };
    case 'slug':
      return { ...ref, slug: withoutNul(ref.slug), pingKey: withoutNul(ref.pingKey) };
    default:
      return ref;
  }
}

/** A copy with NUL replaced in every top-level string field. */
function storableTexts<T extends object>(value: T): T {
  const copy = { ...value } as Record<string, unknown>;
  for (const [key, field] of Object.entries(copy)) if (typeof field === 'string') copy[key] = withoutNul(field);
  return copy as T;
}

/**
 * Metadata as the JSON text that is stored; a 400 when it nests deeper than METADATA_DEPTH_MAX or serialises to more
 * than `max` characters. The depth is measured without recursion, so a 20,000-deep array costs a loop, not the stack.
 */
export function serialisedMetadata(value: Record<string, unknown> | null | undefined, max = METADATA_MAX): string | null {
  if (value == null) return null;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > METADATA_DEPTH_MAX) {
      throw badRequest('invalid_metadata', `metadata nests more than ${METADATA_DEPTH_MAX} levels deep; send flatter JSON.`);
    }
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    throw badRequest('invalid_metadata', 'metadata cannot be stored as JSON; send plain JSON values.');
  }
  if (text.length > max) throw badRequest('invalid_metadata', `metadata must be at most ${max} characters of JSON.`);
  return text;
}

/** The kept part of a raw body: at most 100 KB, decoded as UTF-8 with invalid bytes replaced. */
export function keptBody(raw: Buffer | string | null | undefined): string | null {
  if (raw == null) return null;
  const buffer = typeof raw === 'string' ? Buffer.from(raw) : raw;
  if (buffer.length === 0) return null;
  return withoutNul(buffer.subarray(0, BODY_KEEP_BYTES).toString('utf8'));
}

/**
 * Whether JSON text nests more than `max` arrays/objects deep, found by one scan of its characters (strings
 * skipped) without parsing: so a deeply nested body is refused for the cost of reading it, not of building it.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string, escapes included.
      for (i += 1; i < text.length && text.charCodeAt(i) !== 0x22; i += 1) if (text.charCodeAt(i) === 0x5c) i += 1;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}

/** Largest metadata object kept from a ping's JSON body, as JSON text (what is larger stays in the body). */
const BODY_METADATA_MAX = 16_000;

/**
 * What a JSON object body says, parsed once: its `message`/`msg`, and its `metadata` object (what the SDK's heartbeats
 * send: {"metadata": {"hostname": …}}). Never a reason to refuse the ping: anything else is just kept as the body.
 */
export function fieldsFromBody(body: string | null): { message: string | null; metadata: Record<string, unknown> | null } {
  const none = { message: null, metadata: null };
  if (!body || body[0] !== '{' || nestsDeeperThan(body, JSON_DEPTH_MAX)) return none;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return none;
  }
  const text = parsed.message ?? parsed.msg;
  const message = typeof text === 'string' ? text : null;
  const metadata = parsed.metadata;
  if (metadata == null || typeof metadata !== 'object' || Array.isArray(metadata)) return { message, metadata: null };
  // Metadata signal() would refuse (too deep or too long) is left in the body instead: it must not cost the ping.
  const keep = !nestsDeeperThan(body, METADATA_DEPTH_MAX) && JSON.stringify(metadata).length <= BODY_METADATA_MAX;
  return { message, metadata: keep ? (metadata as Record<string, unknown>) : null };
}

export function clip(text: string | null | undefined, max: number): string | null {
  if (text == null || text === '') return null;
  return withoutNul(text.length > max ? text.slice(0, max) : text);
}

/** NUL cannot be stored in a PostgreSQL text column; it becomes U+FFFD, as an invalid byte does. */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}
