// Workspaces (tenants) and their API keys.
import type { Db } from './db.js';
import type { ApiKeyRow, WorkspaceRow } from './schema.js';
import { prepared } from './prepared.js';

export async function findWorkspace(db: Db, id: string): Promise<WorkspaceRow | undefined> {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countWorkspaces(db: Db): Promise<number> {
  const row = await db
    .selectFrom('workspaces')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function firstWorkspace(db: Db): Promise<WorkspaceRow | undefined> {
  return db.selectFrom('workspaces').selectAll().orderBy('created_at').limit(1).executeTakeFirst();
}

export async function insertWorkspace(db: Db, row: WorkspaceRow): Promise<void> {
  await db.insertInto('workspaces').values(row).execute();
}

export async function findApiKeyByLookup(db: Db, lookup: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('lookup', '=', lookup).executeTakeFirst();
}

export async function insertApiKey(db: Db, row: ApiKeyRow): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

export async function listApiKeys(db: Db, workspaceId: string): Promise<ApiKeyRow[]> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

export async function revokeApiKey(db: Db, workspaceId: string, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// Prepared: read once for every incident opened (a cron minute can open a hundred thousand).
const settingsQuery = prepared<'id', { settings: string }>((db, p) =>
  db.selectFrom('workspaces').select('settings').where('id', '=', p('id')),
);

export async function workspaceSettings(db: Db, id: string): Promise<string> {
  const [row] = await settingsQuery(db, { id });
  return row?.settings ?? '{}';
}

export async function saveWorkspaceSettings(db: Db, id: string, settings: string): Promise<void> {
  await db.updateTable('workspaces').set({ settings }).where('id', '=', id).execute();
}

/** Gives a workspace a new ping key; the old one stops working with this commit (every ping looks the key up). */
export async function setPingKey(db: Db, id: string, pingKey: string): Promise<void> {
  await db.updateTable('workspaces').set({ ping_key: pingKey }).where('id', '=', id).execute();
}
