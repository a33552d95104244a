// Invitations to a workspace: pending until the invited person accepts (or an admin revokes them).
import type { Db } from './db.js';
import type { InvitationRow } from './schema.js';

/** Stores an invitation, replacing the address's pending one in the same workspace (its old link stops working). */
export async function replaceInvitation(db: Db, row: InvitationRow): Promise<void> {
  await db.deleteFrom('invitations').where('workspace_id', '=', row.workspace_id).where('email', '=', row.email).execute();
  await db.insertInto('invitations').values(row).execute();
}

export async function findInvitationByToken(db: Db, tokenHash: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function findInvitation(db: Db, workspaceId: string, id: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('invitations').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** The workspace's invitations with the inviter's name, newest first. */
export async function invitationsOf(db: Db, workspaceId: string) {
  return db
    .selectFrom('invitations')
    .leftJoin('users', 'users.id', 'invitations.invited_by')
    .selectAll('invitations')
    .select('users.name as invited_by_name')
    .where('invitations.workspace_id', '=', workspaceId)
    .orderBy('invitations.created_at', 'desc')
    .orderBy('invitations.id')
    .execute();
}

/** Deletes one invitation if it still has this token (a link is used once); true when it did. */
export async function takeInvitation(db: Db, id: string, tokenHash: string): Promise<boolean> {
  const result = await db.deleteFrom('invitations').where('id', '=', id).where('token_hash', '=', tokenHash).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function deleteInvitation(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('invitations').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function updateInvitation(db: Db, id: string, columns: Pick<InvitationRow, 'token_hash' | 'expires_at'>): Promise<void> {
  await db.updateTable('invitations').set(columns).where('id', '=', id).execute();
}
