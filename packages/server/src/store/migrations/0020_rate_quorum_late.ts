// Issue 16, three rules: failure rate over a window, quorum of hosts, and the early "late" warning a channel opts into.
// Settings are nullable (null = off); the rules' state rides on the check row with the other state columns.
import type { MigrationDb } from './column-types.js';

const CHECK_COLUMNS: Array<[string, 'integer' | 'text']> = [
  ['failure_rate_count', 'integer'],
  ['failure_rate_window', 'integer'],
  ['quorum_hosts', 'integer'],
  // 's'/'f' per beat, oldest first (core/failure-rate.ts); JSON {at, hosts} of the period being collected (core/quorum.ts).
  ['recent_outcomes', 'text'],
  ['quorum_period', 'text'],
];

export async function up(db: MigrationDb): Promise<void> {
  for (const [name, type] of CHECK_COLUMNS) await db.schema.alterTable('checks').addColumn(name, type).execute();
  await db.schema
    .alterTable('channels')
    .addColumn('notify_late', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('channels').dropColumn('notify_late').execute();
  for (const [name] of [...CHECK_COLUMNS].reverse()) await db.schema.alterTable('checks').dropColumn(name).execute();
}
