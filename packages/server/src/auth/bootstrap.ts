// First start: a workspace and its admin key, so a new user can act at once.
import type { Db } from '../store/db.js';
import { countWorkspaces, insertWorkspace } from '../store/workspaces.js';
import { newId, newPingKey } from '../store/ids.js';
import { createApiKey } from './api-keys.js';
import { inTransaction } from '../store/transaction.js';

export interface Bootstrapped {
  workspaceId: string;
  /** Set only when a key was generated (not taken from OVERDUE_BOOTSTRAP_KEY): print it once. */
  generatedKey: string | null;
}

/** Creates the first workspace and admin key if there is no workspace yet; otherwise does nothing. */
export async function bootstrap(db: Db, bootstrapKey: string | undefined, now: number): Promise<Bootstrapped | null> {
  return inTransaction(db, async (trx) => {
    if ((await countWorkspaces(trx)) > 0) return null;
    const workspaceId = newId();
    await insertWorkspace(trx, { id: workspaceId, name: 'Default', ping_key: newPingKey(), settings: '{}', created_at: now });
    const { key } = await createApiKey(trx, workspaceId, 'bootstrap admin', 'write', now, bootstrapKey);
    return { workspaceId, generatedKey: bootstrapKey ? null : key };
  });
}
