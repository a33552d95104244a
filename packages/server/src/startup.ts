// Readying a store before serving: migrations, then the first-run bootstrap, under one lock across instances.
import type { Store } from './store/database.js';
import { migrate } from './store/database.js';
import { bootstrap, type Bootstrapped } from './auth/bootstrap.js';

/** The advisory lock migrations and the first-run bootstrap take on PostgreSQL. */
export const STARTUP_LOCK = 'overdue:startup';

export interface Prepared {
  /** Migrations this call applied (empty when the schema was up to date). */
  applied: string[];
  /** The first-run result, when this call created the first workspace. */
  bootstrapped: Bootstrapped | null;
}

/**
 * Brings the schema up to date and, on a first start, creates the first workspace. Several instances starting at once
 * on one PostgreSQL database take turns (an advisory lock), so the schema is migrated once and one workspace is made.
 */
export function prepareStore(store: Store, bootstrapKey: string | undefined, now: number): Promise<Prepared> {
  return store.exclusive(STARTUP_LOCK, async () => {
    const applied = await migrate(store);
    const bootstrapped = await bootstrap(store.db, bootstrapKey, now);
    return { applied, bootstrapped };
  });
}
