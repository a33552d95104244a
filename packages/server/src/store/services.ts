// Services: named entities a check belongs to (Pinghome service_id, Hexcovery X-Hexcovery-Service).
import type { Db } from './db.js';
import type { ServiceRow } from './schema.js';
import { newId, UUID_PATTERN } from './ids.js';

/** The service of this workspace with this id, else with this name (a foreign UUID may be stored as a name). */
export async function findServiceByIdOrName(db: Db, workspaceId: string, idOrName: string): Promise<ServiceRow | undefined> {
  const isId = UUID_PATTERN.test(idOrName);
  const text = isId ? idOrName.toLowerCase() : idOrName;
  const q = db.selectFrom('services').selectAll().where('workspace_id', '=', workspaceId);
  return (isId ? await q.where('id', '=', text).executeTakeFirst() : undefined) ?? q.where('name', '=', text).executeTakeFirst();
}

/**
 * The service named by a UUID or a name in this workspace, created on first use. A UUID Overdue has not
 * seen becomes the new service's id, so ids from another tool keep working after a migration. (A UUID that
 * another workspace already uses becomes the new service's name instead: ids never collide across workspaces.)
 */
export async function resolveService(db: Db, workspaceId: string, idOrName: string, now: number): Promise<ServiceRow> {
  const existing = await findServiceByIdOrName(db, workspaceId, idOrName);
  if (existing) return existing;
  const isId = UUID_PATTERN.test(idOrName);
  const text = isId ? idOrName.toLowerCase() : idOrName;
  const idFree = isId && !(await db.selectFrom('services').select('id').where('id', '=', text).executeTakeFirst());
  // A service known only by its id is named after the id's first part: a whole UUID crowds lists and alert titles.
  // (When the id is taken elsewhere, the full UUID stays the name: lookups by that id find it by name.)
  const row: ServiceRow = {
    id: idFree ? text : newId(),
    workspace_id: workspaceId,
    name: idFree ? `service ${text.slice(0, 8)}` : text,
    created_at: now,
  };
  await db.insertInto('services').values(row).execute();
  return row;
}

export async function servicesById(db: Db, workspaceId: string, ids: string[]): Promise<Map<string, ServiceRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('services')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}
