// Browsers may ping too (healthchecks.io's docs rely on it): ping answers allow any origin, and a preflight
// OPTIONS is answered here instead of being taken as a ping. Only ping routes; the management API stays same-origin.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const PING_METHODS_ALLOWED = 'GET, HEAD, POST';

/** In this (encapsulated) context, every answer carries Access-Control-Allow-Origin: *. */
export function allowAnyOrigin(app: FastifyInstance): void {
  // A callback hook, not an async one: no promise and no extra turn per answer (it runs on every ping).
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('access-control-allow-origin', '*');
    done(null, payload);
  });
}

/** Answers a CORS preflight (204 with the allowed methods and headers); false when `request` is not OPTIONS. */
export function answerPreflight(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.method !== 'OPTIONS') return false;
  const asked = request.headers['access-control-request-headers'];
  void reply
    .code(204)
    .header('access-control-allow-origin', '*')
    .header('access-control-allow-methods', PING_METHODS_ALLOWED)
    .header('access-control-allow-headers', typeof asked === 'string' && asked.length <= 1000 ? asked : '*')
    .header('access-control-max-age', '600')
    .send();
  return true;
}
