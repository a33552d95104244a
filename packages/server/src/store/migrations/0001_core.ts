// The core service's tables: workspaces, keys, checks, runs, signals, flips, incidents, channels, outbox.
import { type CreateTableBuilder, sql } from 'kysely';
import { floatType, serialType, type MigrationDb } from './column-types.js';

export async function up(db: MigrationDb): Promise<void> {
  // SQLite: a plain INTEGER PRIMARY KEY (rowid) grows monotonically as long as the newest row is never deleted,
  // which retention never does; AUTOINCREMENT would add a write to sqlite_sequence on every insert.
  const serialPk =
    (name: string) =>
    <T extends string>(t: CreateTableBuilder<T, string>) =>
      t.addColumn(name, serialType(db), (c) => c.primaryKey());

  // /healthz writes here to prove the store accepts writes.
  await db.schema
    .createTable('health')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('ping_key', 'text', (c) => c.notNull().unique())
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('lookup', 'text', (c) => c.notNull().unique())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('api_keys_workspace').on('api_keys').column('workspace_id').execute();

  await db.schema
    .createTable('services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('services_workspace_name', ['workspace_id', 'name'])
    .execute();

  await db.schema
    .createTable('checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('project', 'text')
    .addColumn('service_id', 'text')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('schedule_kind', 'text', (c) => c.notNull())
    .addColumn('period_s', 'integer')
    .addColumn('cron_expr', 'text')
    .addColumn('tz', 'text')
    .addColumn('grace_s', 'integer')
    .addColumn('grace_multiplier', floatType(db))
    .addColumn('max_runtime_s', 'integer')
    .addColumn('failure_threshold', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('recovery_threshold', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('manual_resume', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alert_before_first_ping', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('methods', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('degraded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_signal_at', 'bigint')
    .addColumn('last_beat_at', 'bigint')
    .addColumn('last_success_at', 'bigint')
    .addColumn('expected_at', 'bigint')
    .addColumn('run_deadline', 'bigint')
    .addColumn('next_deadline', 'bigint')
    .addColumn('open_runs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consecutive_successes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('signal_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('run_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_duration_ms', 'bigint')
    .addColumn('last_message', 'text')
    .addColumn('last_signal_id', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('checks_workspace_slug', ['workspace_id', 'slug'])
    .execute();
  // The scheduler's only index: due checks in deadline order. Idle checks (null deadline) are not in it.
  await db.schema.createIndex('checks_due').on('checks').column('next_deadline').where('next_deadline', 'is not', null).execute();
  await db.schema.createIndex('checks_workspace_name').on('checks').columns(['workspace_id', 'name']).execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('rid', 'text')
    .addColumn('started_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('duration_ms', 'bigint')
    .addColumn('result', 'text')
    .addColumn('exit_code', 'integer')
    .addColumn('progress', 'integer')
    .addColumn('last_message', 'text')
    .addColumn('host', 'text')
    .execute();
  await db.schema.createIndex('runs_check_started').on('runs').columns(['check_id', 'started_at']).execute();
  await db.schema.createIndex('runs_open').on('runs').columns(['check_id', 'rid']).where(sql.ref('ended_at'), 'is', null).execute();

  // Signals are an append-only log. Each check links its own signals newest-first (checks.last_signal_id →
  // signals.prev_id → …) instead of indexing (check_id, id): an index in check order takes a random page write
  // per ping, which at high rates costs more than everything else in ingest together (see docs/design-notes.md).
  await db.schema
    .createTable('signals')
    .$call(serialPk('id'))
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('prev_id', 'bigint')
    .addColumn('run_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('method', 'text')
    .addColumn('source_ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('body', 'text')
    .addColumn('message', 'text')
    .addColumn('progress', 'integer')
    .addColumn('exit_code', 'integer')
    .addColumn('metadata', 'text')
    .addColumn('dialect', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('signals_run').on('signals').column('run_id').where('run_id', 'is not', null).execute();

  await db.schema
    .createTable('flips')
    .$call(serialPk('id'))
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('flips_check').on('flips').columns(['check_id', 'at']).execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('resolve_reason', 'text')
    .addColumn('severity', 'text', (c) => c.notNull().defaultTo('minor'))
    .execute();
  await db.schema.createIndex('incidents_workspace').on('incidents').columns(['workspace_id', 'opened_at']).execute();
  await db.schema.createIndex('incidents_open').on('incidents').column('check_id').where(sql.ref('resolved_at'), 'is', null).execute();

  await db.schema
    .createTable('channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('channels_workspace').on('channels').column('workspace_id').execute();

  await db.schema
    .createTable('check_channels')
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('check_channels_pk', ['check_id', 'channel_id'])
    .execute();
  await db.schema.createIndex('check_channels_channel').on('check_channels').column('channel_id').execute();

  await db.schema
    .createTable('outbox')
    .$call(serialPk('id'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text')
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('outbox_pending')
    .on('outbox')
    .columns(['next_attempt_at'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.createIndex('outbox_channel').on('outbox').columns(['channel_id', 'id']).execute();

  await db.schema
    .createTable('delivery_attempts')
    .$call(serialPk('id'))
    .addColumn('outbox_id', 'bigint', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('delivery_attempts_outbox').on('delivery_attempts').column('outbox_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('the core schema cannot be rolled back; restore a backup instead');
}
