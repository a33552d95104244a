// The dialect-neutral signal every wire format is parsed into, and the body rules of PROTOCOLS §3.
import type { SignalKind } from '../core/index.js';
import type { CheckRef } from '../store/checks.js';
import type { CheckInput } from '../checks/settings.js';

/** Bytes of a body kept as the signal's log. */
export const BODY_KEEP_BYTES = 100 * 1024;
export const PROGRESS_MESSAGE_MAX = 255;
export const MESSAGE_MAX = 4000;

export interface IncomingSignal {
  ref: CheckRef;
  kind: SignalKind;
  rid: string | null;
  exitCode: number | null;
  progress: number | null;
  message: string | null;
  degraded: boolean;
  body: string | null;
  metadata: Record<string, unknown> | null;
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
}

export function signal(partial: Pick<IncomingSignal, 'ref' | 'kind' | 'dialect'> & Partial<IncomingSignal>): IncomingSignal {
  return {
    rid: null, exitCode: null, progress: null, message: null, degraded: false, body: null, metadata: null,
    method: null, sourceIp: null, userAgent: null, createWith: null, host: null, workspaceId: null, attribution: null, ...partial,
  };
}

/** The kept part of a raw body: at most 100 KB, decoded as UTF-8 with invalid bytes replaced. */
export function keptBody(raw: Buffer | string | null | undefined): string | null {
  if (raw == null) return null;
  const buffer = typeof raw === 'string' ? Buffer.from(raw) : raw;
  if (buffer.length === 0) return null;
  return withoutNul(buffer.subarray(0, BODY_KEEP_BYTES).toString('utf8'));
}

/** A JSON object body's message/msg, if the body is one; anything else yields null, never an error. */
export function messageFromBody(body: string | null): string | null {
  if (!body || body[0] !== '{') return null;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const value = parsed.message ?? parsed.msg;
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function clip(text: string | null | undefined, max: number): string | null {
  if (text == null || text === '') return null;
  return withoutNul(text.length > max ? text.slice(0, max) : text);
}

/** NUL cannot be stored in a PostgreSQL text column; it becomes U+FFFD, as an invalid byte does. */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replace(/\u0000/g, '\uFFFD') : text;
}
