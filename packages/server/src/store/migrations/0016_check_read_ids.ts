// Read ids (issue 12): viewers and read keys see a check's read id instead of its UUID, since whoever knows the
// UUID can ping /ping/{uuid}. Routes find a check by read id through this unique index.
import { readIdOf } from '../ids.js';
import type { MigrationDb } from './column-types.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('checks').addColumn('read_id', 'text').execute();
  // Existing checks get theirs here; new ones on insert (insertCheck).
  let after = '';
  for (;;) {
    const rows = (await db.selectFrom('checks').select('id').where('id', '>', after).orderBy('id').limit(1000).execute()) as Array<{
      id: string;
    }>;
    if (rows.length === 0) break;
    for (const row of rows)
      await db
        .updateTable('checks')
        .set({ read_id: readIdOf(row.id) })
        .where('id', '=', row.id)
        .execute();
    after = rows[rows.length - 1].id;
  }
  await db.schema.createIndex('checks_read_id').unique().on('checks').column('read_id').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropIndex('checks_read_id').execute();
  await db.schema.alterTable('checks').dropColumn('read_id').execute();
}
