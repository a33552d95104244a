// Alerting (issue 3): per-check alert policy, incident acknowledgement / draft / re-alert timers, digests, attempt state.
import { sql } from 'kysely';
import type { MigrationDb } from './column-types.js';

export async function up(db: MigrationDb): Promise<void> {
  // Per-check alert policy. NULL means "not set": minor severity, no cooldown, no re-alerts.
  await db.schema.alterTable('checks').addColumn('severity', 'text').execute();
  await db.schema.alterTable('checks').addColumn('cooldown_s', 'integer').execute();
  await db.schema.alterTable('checks').addColumn('realert_s', 'integer').execute();
  // While a cooldown holds back a new incident: when the hold ends (the scheduler opens the incident then if still down).
  await db.schema.alterTable('checks').addColumn('incident_hold_until', 'bigint').execute();
  await db.schema
    .createIndex('checks_incident_hold')
    .on('checks')
    .column('incident_hold_until')
    .where(sql.ref('incident_hold_until'), 'is not', null)
    .execute();

  await db.schema.alterTable('incidents').addColumn('acknowledged_at', 'bigint').execute();
  await db.schema.alterTable('incidents').addColumn('acknowledged_by', 'text').execute();
  // Draft mode: 1 while the incident's notifications wait for a person to publish it.
  await db.schema
    .alterTable('incidents')
    .addColumn('draft', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('incidents').addColumn('published_at', 'bigint').execute();
  // Re-alerts: when the next reminder is due (NULL: none) and how many were sent.
  await db.schema.alterTable('incidents').addColumn('next_alert_at', 'bigint').execute();
  await db.schema
    .alterTable('incidents')
    .addColumn('realerts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('incidents_next_alert')
    .on('incidents')
    .column('next_alert_at')
    .where(sql.ref('next_alert_at'), 'is not', null)
    .execute();
  await db.schema.createIndex('incidents_check_opened').on('incidents').columns(['check_id', 'opened_at']).execute();

  // 1 when the row may be combined with others for the same channel into one digest (workspace batching).
  await db.schema
    .alterTable('outbox')
    .addColumn('digest', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // How many notifications the message carrying this row held (1 alone, n in a digest); set when it is claimed.
  await db.schema.alterTable('outbox').addColumn('sent_in', 'integer').execute();
  // Batching asks, per channel, whether a digest is gathering: pending rows of one channel by send time.
  await db.schema
    .createIndex('outbox_channel_pending')
    .on('outbox')
    .columns(['channel_id', 'next_attempt_at'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.createIndex('outbox_incident').on('outbox').column('incident_id').execute();
  await db.schema.createIndex('outbox_workspace_status').on('outbox').columns(['workspace_id', 'status', 'id']).execute();

  // An attempt is written when it starts (finished_at NULL) so one cut short by a crash is still on record.
  await db.schema.alterTable('delivery_attempts').addColumn('finished_at', 'bigint').execute();
  await db.schema
    .alterTable('delivery_attempts')
    .addColumn('digest_size', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('the alerting schema cannot be rolled back; restore a backup instead');
}
