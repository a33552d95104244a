// Hosts that checks' jobs reported from (Hexcovery attribution), and the per-project roll-up over them.
import { sql } from 'kysely';
import type { Db } from './db.js';
import type { CheckRow } from './schema.js';

/** Notes that `host` ran a job of this check at `at` (insert, or move last_seen_at and count). */
export async function recordHost(db: Db, check: Pick<CheckRow, 'id' | 'workspace_id'>, host: string, at: number): Promise<void> {
  await db
    .insertInto('check_hosts')
    .values({ check_id: check.id, workspace_id: check.workspace_id, host, first_seen_at: at, last_seen_at: at, signal_count: 1 })
    .onConflict((oc) =>
      oc.columns(['check_id', 'host']).doUpdateSet({
        last_seen_at: sql`case when check_hosts.last_seen_at > ${at} then check_hosts.last_seen_at else ${at} end`,
        signal_count: sql`check_hosts.signal_count + 1`,
      }),
    )
    .execute();
}

export interface HostCheck {
  host: string;
  first_seen_at: number;
  last_seen_at: number;
  signal_count: number;
  check: CheckRow;
}

/** Every (host, check) pair of a project's checks in this workspace, hosts in name order. */
export async function hostsOfProject(db: Db, workspaceId: string, project: string): Promise<HostCheck[]> {
  const rows = await db
    .selectFrom('check_hosts')
    .innerJoin('checks', 'checks.id', 'check_hosts.check_id')
    .selectAll('checks')
    .select([
      'check_hosts.host as host_name',
      'check_hosts.first_seen_at as host_first_seen_at',
      'check_hosts.last_seen_at as host_last_seen_at',
      'check_hosts.signal_count as host_signal_count',
    ])
    .where('check_hosts.workspace_id', '=', workspaceId)
    .where('checks.workspace_id', '=', workspaceId)
    .where('checks.project', '=', project)
    .orderBy('check_hosts.host')
    .orderBy('checks.name')
    .execute();
  return rows.map(({ host_name, host_first_seen_at, host_last_seen_at, host_signal_count, ...check }) => ({
    host: host_name,
    first_seen_at: Number(host_first_seen_at),
    last_seen_at: Number(host_last_seen_at),
    signal_count: Number(host_signal_count),
    check: check as CheckRow,
  }));
}

/** The workspace's projects with how many checks each holds. */
export async function listProjects(db: Db, workspaceId: string): Promise<Array<{ project: string; checks: number }>> {
  const rows = await db
    .selectFrom('checks')
    .select(['project', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('project', 'is not', null)
    .groupBy('project')
    .orderBy('project')
    .execute();
  return rows.map((r) => ({ project: r.project!, checks: Number(r.n) }));
}

/** The hosts a check has heard from (a quorum period that ends short names those that did not report). */
export async function hostNamesOf(db: Db, checkId: string): Promise<string[]> {
  const rows = await db.selectFrom('check_hosts').select('host').where('check_id', '=', checkId).orderBy('host').limit(1000).execute();
  return rows.map((r) => r.host);
}
