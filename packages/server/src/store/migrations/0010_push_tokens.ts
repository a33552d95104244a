// Uptime Kuma push tokens (issue 14): a check may keep the token its Kuma push monitor had, so the URL
// /api/push/{token} in crontabs keeps working after a move. Unique server-wide, like a check's key.
import type { MigrationDb } from './column-types.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('checks').addColumn('push_token', 'text').execute();
  // Both engines allow many NULLs under a unique index: checks without a token do not collide.
  await db.schema.createIndex('checks_push_token').unique().on('checks').column('push_token').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropIndex('checks_push_token').execute();
  await db.schema.alterTable('checks').dropColumn('push_token').execute();
}
