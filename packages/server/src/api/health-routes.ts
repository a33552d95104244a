// GET /healthz: 200 when the store can be read and written, 503 otherwise.
import fs from 'node:fs';
import { sql } from 'kysely';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { errorBody } from '../errors.js';
import { inTransaction } from '../store/transaction.js';

/** Below this much free space next to the SQLite file, the store is about to refuse writes: unhealthy. */
const MIN_FREE_BYTES = 1024 * 1024;
/** Bytes the SQLite write probe stores and deletes: more than a page, so the write needs pages it may not get. */
const PROBE_BYTES = 16 * 1024;

export async function healthRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  /** Health for load balancers and monitors: proves a real write (a full disk is not healthy). */
  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      const now = runtime.clock.now();
      const db = runtime.store.db;
      await db
        .insertInto('health')
        .values({ id: 1, checked_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({ checked_at: now }))
        .execute();
      await db.selectFrom('health').select('checked_at').where('id', '=', 1).executeTakeFirstOrThrow();
      if (runtime.store.engine === 'sqlite') {
        // Rewriting row 1 fits in the page it has, even on a full disk. A row larger than a page must allocate:
        // SQLite keeps any value in any column, so the probe row carries a blob and is deleted again at once.
        await inTransaction(db, async (trx) => {
          await sql`insert into health (id, checked_at) values (2, zeroblob(${PROBE_BYTES}))`.execute(trx);
          await sql`delete from health where id = 2`.execute(trx);
        });
        const free = fs.statfsSync(runtime.config.dataDir);
        if (free.bavail * free.bsize < MIN_FREE_BYTES) {
          runtime.log.error({ free_bytes: free.bavail * free.bsize }, 'health check failed: the disk is almost full');
          return reply
            .code(503)
            .header('retry-after', '30')
            .send(
              errorBody(
                'store_unavailable',
                `Less than 1 MB is free on the disk of ${runtime.config.dataDir}; free space or grow the volume.`,
              ),
            );
        }
      }
      return { ok: true, store: runtime.store.engine };
    } catch (error) {
      runtime.log.error({ err: error }, 'health check failed');
      return reply
        .code(503)
        .header('retry-after', '5')
        .send(errorBody('store_unavailable', 'The store cannot be read or written right now.'));
    }
  });
}
