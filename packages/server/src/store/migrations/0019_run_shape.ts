// Run-shape rules (issue 16): minimum run time, too-frequent runs, duration anomaly, progress extending a run's
// deadline. Four check settings (null / 0 = off), and on runs the deadline progress pushed and the rule a run broke.
import { floatType, type MigrationDb } from './column-types.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('checks').addColumn('min_runtime_s', 'integer').execute();
  await db.schema.alterTable('checks').addColumn('early_tolerance_s', 'integer').execute();
  await db.schema.alterTable('checks').addColumn('duration_anomaly_factor', floatType(db)).execute();
  await db.schema
    .alterTable('checks')
    .addColumn('extend_on_progress', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('runs').addColumn('deadline_at', 'bigint').execute();
  await db.schema.alterTable('runs').addColumn('rule_violation', 'text').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const column of ['deadline_at', 'rule_violation']) await db.schema.alterTable('runs').dropColumn(column).execute();
  for (const column of ['min_runtime_s', 'early_tolerance_s', 'duration_anomaly_factor', 'extend_on_progress']) {
    await db.schema.alterTable('checks').dropColumn(column).execute();
  }
}
