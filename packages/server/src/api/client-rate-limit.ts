// The per-client-address rate limit at the HTTP edge: one address flooding the server is answered 429 before
// its requests cost routing, body parsing or a store transaction, so other clients keep their latency.
import type { FastifyInstance } from 'fastify';
import { RateLimiter } from '../ingest/rate-limit.js';
import { errorBody } from '../errors.js';

/**
 * Limits every request by client address to `perSecond` (bursts of 10×). Elapsed time is measured on the
 * monotonic clock: a wall-clock jump neither unblocks a flood nor locks a client out.
 */
export function installClientRateLimit(app: FastifyInstance, perSecond: number): void {
  if (perSecond <= 0) return;
  const limiter = new RateLimiter(perSecond, perSecond * 10);
  app.addHook('onRequest', (request, reply, done) => {
    const decision = limiter.take(request.ip ?? 'unknown', performance.now());
    if (decision.allowed) return done();
    reply.code(429).header('retry-after', String(decision.retryAfterS))
      .send(errorBody('rate_limited', `Too many requests from ${request.ip}; retry in ${decision.retryAfterS}s (limit ${perSecond}/s per client address).`));
  });
}
