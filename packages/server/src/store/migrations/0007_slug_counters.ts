// Slug suffix counters: a check named like an existing one gets name-2, name-3, … from a counter, in a constant
// number of queries however many share the name (probing name-2, name-3, … cost one query per existing check).
import type { MigrationDb } from './column-types.js';

export async function up(db: MigrationDb): Promise<void> {
  // The last suffix handed out for a wanted slug in a workspace. Never decremented: a deleted check's suffix is not
  // reused, which keeps old links from pointing at a new check.
  await db.schema
    .createTable('slug_counters')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('base', 'text', (c) => c.notNull())
    .addColumn('last', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('slug_counters_pk', ['workspace_id', 'base'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('slug_counters').execute();
}
