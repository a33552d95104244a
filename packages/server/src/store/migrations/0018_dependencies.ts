// Dependencies and learned schedules (issue 16). A check may depend on checks of its workspace; a child's incident
// opened while a parent is down is folded into the parent's incident (folded_into) and pages on its own only when
// the parent recovers first (unfolded_at). A check created by a ping proposes its schedule until accepted or dismissed.
import { sql } from 'kysely';
import type { MigrationDb } from './column-types.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('check_dependencies')
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('check_dependencies_pk', ['check_id', 'parent_id'])
    .execute();
  // A deleted parent's edges, and "who depends on me", are found by parent.
  await db.schema.createIndex('check_dependencies_parent').on('check_dependencies').column('parent_id').execute();

  await db.schema.alterTable('incidents').addColumn('folded_into', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('unfolded_at', 'bigint').execute();
  await db.schema
    .createIndex('incidents_folded_into')
    .on('incidents')
    .column('folded_into')
    .where(sql.ref('folded_into'), 'is not', null)
    .execute();

  // 'pending' while a check created by a ping may propose its schedule; 'accepted' or 'dismissed' after; null: never.
  await db.schema.alterTable('checks').addColumn('schedule_proposal', 'text').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('checks').dropColumn('schedule_proposal').execute();
  await db.schema.dropIndex('incidents_folded_into').execute();
  await db.schema.alterTable('incidents').dropColumn('unfolded_at').execute();
  await db.schema.alterTable('incidents').dropColumn('folded_into').execute();
  await db.schema.dropTable('check_dependencies').execute();
}
