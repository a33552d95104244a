// Identifiers of deleted checks stay reserved for their workspace: old crontabs keep pinging a deleted check's
// UUID or key, and another workspace must not be able to claim it and read those pings.
import type { MigrationDb } from './column-types.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('retired_check_identifiers')
    .addColumn('identifier', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('retired_check_identifiers').execute();
}
