// Dialects (issue 4): the hosts a check's jobs ran on (project hosts roll-up), and settings other services keep.
import type { MigrationDb } from './column-types.js';

export async function up(db: MigrationDb): Promise<void> {
  // One row per (check, host) that reported: written only by signals that name a host (Hexcovery's
  // X-Hexcovery-Host), so plain pings never touch it. The project roll-up joins it with checks.
  await db.schema
    .createTable('check_hosts')
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('signal_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('check_hosts_pk', ['check_id', 'host'])
    .execute();
  await db.schema.createIndex('check_hosts_workspace_host').on('check_hosts').columns(['workspace_id', 'host']).execute();

  // Settings a replaced service keeps on a check that Overdue stores and returns unchanged but does not act on
  // (healthchecks.io's e-mail keywords and filters): JSON, null when there are none.
  await db.schema.alterTable('checks').addColumn('extra', 'text').execute();
  // Projects are labels on checks; the roll-up and the project filter look them up per workspace.
  await db.schema.createIndex('checks_workspace_project').on('checks').columns(['workspace_id', 'project']).execute();
}

export async function down(): Promise<void> {
  throw new Error('the dialect schema cannot be rolled back; restore a backup instead');
}
