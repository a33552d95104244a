// GET /healthz: 200 when the store can be read and written, 503 otherwise.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { errorBody } from '../errors.js';

export async function healthRoutes(app: FastifyInstance, services: Services): Promise<void> {
  app.get('/healthz', { schema: { hide: true } as object }, async (_request, reply) => {
    try {
      const now = services.clock.now();
      await services.store.db.insertInto('health').values({ id: 1, checked_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({ checked_at: now })).execute();
      await services.store.db.selectFrom('health').select('checked_at').where('id', '=', 1).executeTakeFirstOrThrow();
      return { ok: true, store: services.store.engine };
    } catch (error) {
      services.log.error({ err: error }, 'health check failed');
      return reply.code(503).send(errorBody('store_unavailable', 'The store cannot be read or written right now.'));
    }
  });
}
