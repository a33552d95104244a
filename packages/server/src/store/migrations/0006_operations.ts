// Operations: per-check retention bookkeeping, badge tokens, public status pages.
import type { MigrationDb } from './column-types.js';

export async function up(db: MigrationDb): Promise<void> {
  // How many of a check's signals retention has deleted: signal_count − pruned is what its chain still holds,
  // so a pruning pass finds the checks over their limit without walking every chain.
  await db.schema
    .createTable('signal_retention')
    .addColumn('check_id', 'text', (c) => c.primaryKey())
    .addColumn('pruned', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  // One unguessable read-only token per workspace: /badge/{token}/{slug}.svg.
  await db.schema
    .createTable('badge_tokens')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // A workspace's public status page (opt-in): /status/{slug}, showing the checks it names.
  await db.schema
    .createTable('status_pages')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('check_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('status_pages').execute();
  await db.schema.dropTable('badge_tokens').execute();
  await db.schema.dropTable('signal_retention').execute();
}
