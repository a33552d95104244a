// Maintenance windows and snooze (issue 16): windows per check, tag or workspace; a check's timed pause; and why
// a check's new incident is held back (a cooldown, or a maintenance window), so the alert at the hold's end says so.
import type { MigrationDb } from './column-types.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // Scope: a check, a tag, or (both NULL) the whole workspace.
    .addColumn('check_id', 'text')
    .addColumn('tag', 'text')
    // Recurring: cron + duration + zone; one-off: starts_at and ends_at. The other pair is NULL.
    .addColumn('cron_expr', 'text')
    .addColumn('tz', 'text')
    .addColumn('duration_s', 'integer')
    .addColumn('starts_at', 'bigint')
    .addColumn('ends_at', 'bigint')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // A name is how people and monitors-as-code files tell windows apart.
  await db.schema
    .createIndex('maintenance_windows_workspace_name')
    .on('maintenance_windows')
    .columns(['workspace_id', 'name'])
    .unique()
    .execute();
  // Snooze: a paused check resumes by itself then (the scheduler's next_deadline for it).
  await db.schema.alterTable('checks').addColumn('snoozed_until', 'bigint').execute();
  // 'maintenance' when incident_hold_until is a maintenance window's end (NULL: a cooldown).
  await db.schema.alterTable('checks').addColumn('hold_cause', 'text').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('checks').dropColumn('hold_cause').execute();
  await db.schema.alterTable('checks').dropColumn('snoozed_until').execute();
  await db.schema.dropTable('maintenance_windows').execute();
}
