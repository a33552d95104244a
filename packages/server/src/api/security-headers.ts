// Headers every answer carries, whatever route (or error, or 404) produced it.
import type { FastifyInstance } from 'fastify';

/** `nosniff` on every answer: a text/plain error or ping body echoing a client's bytes is never run as HTML or script. */
export function installSecurityHeaders(app: FastifyInstance): void {
  // A callback hook, not an async one: no promise and no extra turn per answer (it runs on every ping).
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    done(null, payload);
  });
}
