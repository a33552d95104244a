// Invitations: adding a member sends a single-use link the invited person accepts (audit finding 3), instead of
// creating an account or a membership on someone else's say.
import type { MigrationDb } from './column-types.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    // Lower-cased, like users.email.
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    // SHA-256 (hex) of the link's token: a stolen database holds no usable link.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // The admin who invited (null when an API key did).
    .addColumn('invited_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  // One pending invitation per address and workspace: inviting again replaces the link.
  await db.schema.createIndex('invitations_workspace_email').on('invitations').columns(['workspace_id', 'email']).unique().execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('invitations').execute();
}
