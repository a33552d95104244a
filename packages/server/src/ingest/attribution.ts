// A signal that says which project and service its job belongs to moves the check there (Hexcovery headers).
import type { Db } from '../store/db.js';
import type { CheckRow } from '../store/schema.js';
import { resolveService } from '../store/services.js';
import { updateCheck } from '../store/checks.js';

/** The check with the signal's project and service (created on first use); unchanged rows cost no write. */
export async function adoptAttribution(
  db: Db,
  row: CheckRow,
  attribution: { project?: string; service?: string },
  at: number,
): Promise<CheckRow> {
  const change: Partial<CheckRow> = {};
  if (attribution.project != null && attribution.project !== row.project) change.project = attribution.project;
  if (attribution.service != null) {
    const service = await resolveService(db, row.workspace_id, attribution.service, at);
    if (service.id !== row.service_id) change.service_id = service.id;
  }
  if (Object.keys(change).length === 0) return row;
  change.updated_at = at;
  await updateCheck(db, row.id, change);
  return { ...row, ...change };
}
