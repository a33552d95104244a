// Headers every answer carries, whatever route (or error, or 404) produced it.
import type { FastifyInstance } from 'fastify';

/** `nosniff` on every answer: a text/plain error or ping body echoing a client's bytes is never run as HTML or script. */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });
}
