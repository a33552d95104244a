// Ajv (with coerceTypes) turns a string such as "1e309" into Infinity and then skips its numeric limits, which
// only apply to finite numbers: `?limit=1e309` would reach the store as Infinity and fail there with a 500.
// After validation, any non-finite number in the query, the path or the body is refused as a 400.
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../errors.js';

function nonFinitePath(value: unknown, path: string, depth: number): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (depth <= 0 || value == null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const found = nonFinitePath(item, path ? `${path}.${key}` : key, depth - 1);
    if (found) return found;
  }
  return null;
}

export function refuseNonFiniteNumbers(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    for (const [where, value] of [
      ['query', request.query],
      ['path', request.params],
      ['body', request.body],
    ] as const) {
      // Raw bodies (ping routes) are Buffers: bytes, not numbers.
      if (Buffer.isBuffer(value)) continue;
      const found = nonFinitePath(value, '', 6);
      if (found)
        return done(
          badRequest('invalid_request', `Invalid ${where}: ${found} is not a finite number; use a number within the documented range.`),
        );
    }
    done();
  });
}
