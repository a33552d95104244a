// Sentry's envelope format (what every Sentry SDK and sentry-cli POST to /api/{project}/envelope/): a JSON header
// line, then items, each a JSON header line and a payload of `length` bytes or up to the next newline.
// Parsing and decoding only; which items mean what is sentry-checkin.ts's business.
import zlib from 'node:zlib';
import { badRequest, OverdueError } from '../errors.js';

/** Decoded envelope bytes kept in memory at most: SDKs send kilobytes; events with attachments are ignored anyway. */
export const ENVELOPE_MAX_BYTES = 8 * 1024 * 1024;
/** Items in one envelope at most (an SDK sends one check-in per envelope). */
export const ENVELOPE_MAX_ITEMS = 1000;

export interface EnvelopeItem {
  type: string;
  header: Record<string, unknown>;
  payload: Buffer;
}

export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

const tooLarge = () =>
  new OverdueError(
    413,
    'envelope_too_large',
    `The envelope is larger than ${ENVELOPE_MAX_BYTES / 1024 / 1024} MB once decompressed; send check-ins in envelopes of their own.`,
  );

/** The body with its Content-Encoding (gzip, deflate, br; or none) undone, bounded in size; 400 when it does not decode. */
export function decodeBody(body: Buffer, contentEncoding: string | undefined): Buffer {
  const encodings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e && e !== 'identity');
  let bytes = body;
  // Encodings are listed in the order they were applied: undo them from the last.
  for (const encoding of encodings.reverse()) {
    const options = { maxOutputLength: ENVELOPE_MAX_BYTES };
    try {
      if (encoding === 'gzip' || encoding === 'x-gzip') bytes = zlib.gunzipSync(bytes, options);
      else if (encoding === 'deflate') bytes = inflate(bytes, options);
      else if (encoding === 'br') bytes = zlib.brotliDecompressSync(bytes, options);
      else
        throw new OverdueError(
          415,
          'unsupported_encoding',
          `Content-Encoding "${encoding}" is not supported; send gzip, deflate, br or no encoding.`,
        );
    } catch (error) {
      if (error instanceof OverdueError) throw error;
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw tooLarge();
      throw badRequest('invalid_encoding', `The body is not valid ${encoding} data, though Content-Encoding says so.`);
    }
  }
  if (bytes.length > ENVELOPE_MAX_BYTES) throw tooLarge();
  return bytes;
}

/** "deflate" is zlib-wrapped by the standard, but some clients send raw deflate: accept both. */
function inflate(bytes: Buffer, options: zlib.ZlibOptions): Buffer {
  try {
    return zlib.inflateSync(bytes, options);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw error;
    return zlib.inflateRawSync(bytes, options);
  }
}

const malformed = (why: string) => badRequest('invalid_envelope', `The body is not a Sentry envelope: ${why}.`);

function jsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  const text = bytes.toString('utf8').trim();
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    throw malformed(`the ${what} is not JSON`);
  }
  if (parsed == null || typeof parsed !== 'object' || Array.isArray(parsed)) throw malformed(`the ${what} is not a JSON object`);
  return parsed as Record<string, unknown>;
}

/** Index of the next "\n" at or after `from`, or the end. */
function lineEnd(bytes: Buffer, from: number): number {
  const at = bytes.indexOf(0x0a, from);
  return at === -1 ? bytes.length : at;
}

/** Parses a (decoded) envelope; a 400 naming what is wrong when it is not one. */
export function parseEnvelope(bytes: Buffer): Envelope {
  if (bytes.length === 0) throw malformed('the body is empty');
  let end = lineEnd(bytes, 0);
  const header = jsonObject(bytes.subarray(0, end), 'envelope header (first line)');
  const items: EnvelopeItem[] = [];
  let at = end + 1;
  while (at < bytes.length) {
    end = lineEnd(bytes, at);
    const line = bytes.subarray(at, end);
    // Blank lines between items (a trailing newline, "\r\n" line ends) carry nothing.
    if (line.toString('utf8').trim() === '') {
      at = end + 1;
      continue;
    }
    if (items.length >= ENVELOPE_MAX_ITEMS) throw malformed(`it has more than ${ENVELOPE_MAX_ITEMS} items`);
    const itemHeader = jsonObject(line, `header of item ${items.length + 1}`);
    const type = itemHeader.type;
    if (typeof type !== 'string' || type === '') throw malformed(`item ${items.length + 1} has no "type"`);
    const length = itemHeader.length;
    let payload: Buffer;
    if (length != null) {
      if (!Number.isSafeInteger(length) || (length as number) < 0)
        throw malformed(`item ${items.length + 1}'s "length" is not a whole number of bytes`);
      const start = end + 1;
      if (start + (length as number) > bytes.length)
        throw malformed(`item ${items.length + 1} says it is ${length} bytes long, but the body ends before that`);
      payload = bytes.subarray(start, start + (length as number));
      at = start + (length as number);
      // The payload may be followed by a newline before the next item.
      if (bytes[at] === 0x0a) at += 1;
    } else {
      const start = Math.min(end + 1, bytes.length);
      const payloadEnd = lineEnd(bytes, start);
      payload = bytes.subarray(start, payloadEnd);
      at = payloadEnd + 1;
    }
    items.push({ type, header: itemHeader, payload });
  }
  return { header, items };
}
