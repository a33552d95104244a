// Ingest never rejects a signal for how its body is formatted: every content type arrives as raw bytes.
import type { FastifyInstance } from 'fastify';

const MEDIA_TYPE = /^\s*[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+\s*$/;

/** In this (encapsulated) context, bodies of any type — or none — are handed over as a Buffer. */
export function acceptAnyBody(app: FastifyInstance): void {
  // Fastify answers 415 to a Content-Type it cannot parse ("text", "", "a, b") before any parser runs;
  // the body is raw bytes here whatever the header says, so such a header is replaced instead.
  app.addHook('onRequest', (request, _reply, done) => {
    const type = request.raw.headers['content-type'];
    if (type !== undefined && !MEDIA_TYPE.test(type.split(';')[0])) request.raw.headers['content-type'] = 'application/octet-stream';
    done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}

/** The request's body as bytes, whatever the parser did. */
export function rawBody(body: unknown): Buffer | null {
  if (body == null) return null;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

export function wantsJson(accept: string | undefined): boolean {
  return accept != null && accept.includes('application/json');
}
