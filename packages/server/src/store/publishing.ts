// What a workspace publishes without sign-in: its badge token and its status page.
import type { Db } from './db.js';
import type { BadgeTokenRow, StatusPageRow } from './schema.js';
import { randomBase62 } from './ids.js';

/** 22 base62 characters: 131 random bits, as unguessable as the workspace ping key. */
export const newBadgeToken = (): string => randomBase62(22);
export const BADGE_TOKEN_PATTERN = /^[0-9A-Za-z]{22}$/;

export async function badgeTokenOf(db: Db, workspaceId: string): Promise<BadgeTokenRow | undefined> {
  return db.selectFrom('badge_tokens').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
}

/** The workspace's badge token, made on first use (two concurrent first uses agree on one). */
export async function ensureBadgeToken(db: Db, workspaceId: string, now: number): Promise<BadgeTokenRow> {
  await db
    .insertInto('badge_tokens')
    .values({ workspace_id: workspaceId, token: newBadgeToken(), created_at: now })
    .onConflict((oc) => oc.column('workspace_id').doNothing())
    .execute();
  return (await badgeTokenOf(db, workspaceId))!;
}

/** Replaces the token: every badge URL handed out before stops working. */
export async function rotateBadgeToken(db: Db, workspaceId: string, now: number): Promise<BadgeTokenRow> {
  const row = { workspace_id: workspaceId, token: newBadgeToken(), created_at: now };
  await db
    .insertInto('badge_tokens')
    .values(row)
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ token: row.token, created_at: now }))
    .execute();
  return row;
}

export async function workspaceOfBadgeToken(db: Db, token: string): Promise<string | undefined> {
  if (!BADGE_TOKEN_PATTERN.test(token)) return undefined;
  const row = await db.selectFrom('badge_tokens').select('workspace_id').where('token', '=', token).executeTakeFirst();
  return row?.workspace_id;
}

export async function statusPageOf(db: Db, workspaceId: string): Promise<StatusPageRow | undefined> {
  return db.selectFrom('status_pages').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export async function statusPageBySlug(db: Db, slug: string): Promise<StatusPageRow | undefined> {
  return db.selectFrom('status_pages').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** True when another workspace's page already uses this slug. */
export async function statusSlugTaken(db: Db, slug: string, workspaceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('status_pages')
    .select('workspace_id')
    .where('slug', '=', slug)
    .where('workspace_id', '!=', workspaceId)
    .executeTakeFirst();
  return row != null;
}

export async function saveStatusPage(db: Db, row: StatusPageRow): Promise<void> {
  const { workspace_id: _id, created_at: _created, ...changes } = row;
  await db
    .insertInto('status_pages')
    .values(row)
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(changes))
    .execute();
}

export async function deleteStatusPage(db: Db, workspaceId: string): Promise<boolean> {
  const result = await db.deleteFrom('status_pages').where('workspace_id', '=', workspaceId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
