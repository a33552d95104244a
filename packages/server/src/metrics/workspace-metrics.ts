// GET /api/v1/metrics: every check of one workspace as Prometheus series, for a read key (scrape it with
// `authorization: {credentials: <key>}`). Label values come from users, so the writer escapes them.
import type { Db } from '../store/db.js';
import { ExpositionWriter, type Labels } from './exposition.js';

const STATUSES = ['new', 'up', 'late', 'down', 'paused'] as const;

/**
 * The workspace's series. `withPingCredentials` (the write scope) labels checks by UUID and key; the read scope, which
 * must not be able to ping, gets the read id as `id` and no `key`.
 */
export async function workspaceMetrics(db: Db, workspaceId: string, withPingCredentials = false): Promise<string> {
  const rows = await db
    .selectFrom('checks')
    .select([
      'id',
      'read_id',
      'key',
      'slug',
      'name',
      'tags',
      'status',
      'open_runs',
      'last_signal_at',
      'next_deadline',
      'signal_count',
      'run_count',
      'last_duration_ms',
    ])
    .where('workspace_id', '=', workspaceId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  const labelsOf = (r: (typeof rows)[number]): Labels =>
    withPingCredentials ? { check: r.slug, name: r.name, key: r.key, id: r.id } : { check: r.slug, name: r.name, id: r.read_id };
  const tagDown = new Map<string, boolean>();
  for (const r of rows) {
    for (const tag of JSON.parse(r.tags) as string[]) tagDown.set(tag, (tagDown.get(tag) ?? false) || r.status === 'down');
  }
  const seconds = (ms: number | null) => (ms == null ? [] : [ms / 1000]);
  const counts = new Map<string, number>(STATUSES.map((s) => [s, 0]));
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);

  return new ExpositionWriter()
    .family(
      'overdue_check_up',
      'gauge',
      '1 when the check is up or late (inside its grace period), 0 when down, new or paused.',
      rows.map((r) => ({ labels: labelsOf(r), value: r.status === 'up' || r.status === 'late' ? 1 : 0 })),
    )
    .family(
      'overdue_check_status',
      'gauge',
      "The check's status: 1 on the series of its current status, 0 on the others.",
      rows.flatMap((r) => STATUSES.map((status) => ({ labels: { ...labelsOf(r), status }, value: r.status === status ? 1 : 0 }))),
    )
    .family(
      'overdue_check_running',
      'gauge',
      '1 while the check has a run open (started, not yet finished).',
      rows.map((r) => ({ labels: labelsOf(r), value: r.open_runs > 0 ? 1 : 0 })),
    )
    .family(
      'overdue_check_last_signal_timestamp_seconds',
      'gauge',
      'When the check last received a signal (Unix time).',
      rows.flatMap((r) => seconds(r.last_signal_at).map((value) => ({ labels: labelsOf(r), value }))),
    )
    .family(
      'overdue_check_next_deadline_timestamp_seconds',
      'gauge',
      'When the check next changes status if nothing arrives (Unix time).',
      rows.flatMap((r) => seconds(r.next_deadline).map((value) => ({ labels: labelsOf(r), value }))),
    )
    .family(
      'overdue_check_last_duration_seconds',
      'gauge',
      "Duration of the check's last finished run.",
      rows.flatMap((r) => seconds(r.last_duration_ms).map((value) => ({ labels: labelsOf(r), value }))),
    )
    .family(
      'overdue_check_signals_total',
      'counter',
      'Signals the check has received.',
      rows.map((r) => ({ labels: labelsOf(r), value: Number(r.signal_count) })),
    )
    .family(
      'overdue_check_runs_total',
      'counter',
      'Runs the check has had.',
      rows.map((r) => ({ labels: labelsOf(r), value: Number(r.run_count) })),
    )
    .family(
      'overdue_tag_up',
      'gauge',
      '1 when no check with this tag is down.',
      [...tagDown].sort(([a], [b]) => a.localeCompare(b)).map(([tag, down]) => ({ labels: { tag }, value: down ? 0 : 1 })),
    )
    .family(
      'overdue_workspace_checks',
      'gauge',
      'Checks of this workspace by status.',
      [...counts].map(([status, n]) => ({ labels: { status }, value: n })),
    )
    .toString();
}
