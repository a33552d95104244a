// Helpers every route module shares: the workspace's check by reference, presenters' context, commit effects.
import type { FastifyRequest } from 'fastify';
import type { Runtime } from '../runtime.js';
import type { Db } from '../store/db.js';
import { findCheck } from '../store/checks.js';
import type { CheckRow } from '../store/schema.js';
import { notFound } from '../errors.js';
import { servicesById } from '../store/services.js';
import { channelIdsOfChecks } from '../store/channels.js';
import { currentRunsOf, lastHostsOf } from '../store/runs.js';
import { ROWS_PER_TURN } from './turns.js';
import { nextTurn } from '../next-turn.js';
import { maintenanceOfChecks } from '../store/maintenance-windows.js';
import { foldedOpenIncidentsOf, parentsOf } from '../store/dependencies.js';
import { proposalsOf } from '../checks/learned-schedule.js';
import { presentCheck, withoutPingCredentials, type PingCredentialAudience } from './present.js';

export function workspaceOf(request: FastifyRequest): string {
  return request.auth!.workspaceId;
}

/** The check named in the URL, in the caller's workspace only; 404 otherwise (even if it exists elsewhere). */
export async function loadCheck(db: Db, request: FastifyRequest, ref: string): Promise<CheckRow> {
  const row = await findCheck(db, workspaceOf(request), ref);
  if (!row) throw notFound('check_not_found', `No check "${ref}" in this workspace; use the check's UUID, 8-character key or read id.`);
  return row;
}

/**
 * Checks of one workspace as the API shows them: a fixed number of queries per 100 rows, a slice per event-loop
 * turn. Readers (viewers, read keys; the default) get them without ping credentials; pass `writer` for editors
 * and write keys.
 */
export async function presentChecks(runtime: Runtime, workspaceId: string, rows: CheckRow[], audience: PingCredentialAudience = 'reader') {
  const db = runtime.store.db;
  const presented: ReturnType<typeof presentCheck>[] = [];
  const maintenance = await maintenanceOfChecks(db, workspaceId, rows, runtime.clock.now());
  for (let i = 0; i < rows.length; i += ROWS_PER_TURN) {
    if (i > 0) await nextTurn();
    const slice = rows.slice(i, i + ROWS_PER_TURN);
    const [serviceRows, channels, runs, hosts, parents, folded, proposals] = await Promise.all([
      servicesById(
        db,
        workspaceId,
        slice.map((r) => r.service_id).filter((id): id is string => id != null),
      ),
      channelIdsOfChecks(
        db,
        slice.map((r) => r.id),
      ),
      currentRunsOf(
        db,
        slice.filter((r) => r.open_runs > 0).map((r) => r.id),
      ),
      lastHostsOf(
        db,
        slice.filter((r) => r.run_count > 0).map((r) => r.id),
      ),
      parentsOf(
        db,
        slice.map((r) => r.id),
      ),
      // Only a down check can be folded; only a check a ping created proposes a schedule.
      foldedOpenIncidentsOf(
        db,
        slice.filter((r) => r.status === 'down').map((r) => r.id),
      ),
      proposalsOf(db, slice),
    ]);
    for (const row of slice) {
      const check = presentCheck(row, {
        publicUrl: runtime.config.publicUrl,
        services: serviceRows,
        channels,
        runs,
        hosts,
        maintenance,
        parents,
        folded,
        proposals,
      });
      presented.push(audience === 'writer' ? check : withoutPingCredentials(check));
    }
  }
  return presented;
}
