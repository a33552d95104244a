// A check's `depends_on`: parents named by id or slug, in the same workspace only, never closing a cycle.
import { cycleThrough, describeCycle } from '../core/dependencies.js';
import { badRequest } from '../errors.js';
import type { Db } from '../store/db.js';
import type { CheckRow } from '../store/schema.js';
import { edgesOfWorkspace, setParents } from '../store/dependencies.js';
import { UUID_PATTERN } from '../store/ids.js';
import { LIST_LIMITS, TEXT_LIMITS } from './limits.js';

/** Checks `depends_on` as given in the API (a list of ids or slugs); a clear 400 otherwise. */
export function validateDependsOn(value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0 || v.length > TEXT_LIMITS.slug)) {
    throw badRequest('invalid_field', 'depends_on must be a list of check ids or slugs of this workspace, such as ["db1-alive"].');
  }
  if (value.length > LIST_LIMITS.depends_on)
    throw badRequest('invalid_field', `depends_on names ${value.length} checks; a check may depend on at most ${LIST_LIMITS.depends_on}.`);
}

/** Resolves, checks and stores `check`'s parents: unknown names, itself, other workspaces' checks and cycles are refused. */
export async function applyDependsOn(db: Db, check: CheckRow, refs: string[]): Promise<void> {
  validateDependsOn(refs);
  const wanted = [...new Set(refs)];
  const rows =
    wanted.length === 0
      ? []
      : await db
          .selectFrom('checks')
          .select(['id', 'slug', 'name', 'workspace_id'])
          .where((eb) =>
            eb.or([
              eb('slug', 'in', wanted),
              ...(wanted.some((r) => UUID_PATTERN.test(r))
                ? [
                    eb(
                      'id',
                      'in',
                      wanted.filter((r) => UUID_PATTERN.test(r)).map((r) => r.toLowerCase()),
                    ),
                  ]
                : []),
            ]),
          )
          .where('workspace_id', '=', check.workspace_id)
          .execute();
  const parents: string[] = [];
  const names = new Map<string, string>([[check.id, check.name]]);
  for (const ref of wanted) {
    // A check of another workspace is not found here, as the API answers for any of its checks.
    const row = rows.find((r) => r.id === ref.toLowerCase()) ?? rows.find((r) => r.slug === ref);
    if (!row)
      throw badRequest(
        'unknown_dependency',
        `depends_on: no check "${ref}" in this workspace; name a check of this workspace by its id or slug.`,
      );
    names.set(row.id, row.name);
    if (!parents.includes(row.id)) parents.push(row.id);
  }
  if (parents.includes(check.id))
    throw badRequest('dependency_cycle', `depends_on: "${check.name}" cannot depend on itself; remove it from the list.`);
  const edges = await edgesOfWorkspace(db, check.workspace_id);
  edges.delete(check.id);
  const cycle = cycleThrough(edges, check.id, parents);
  if (cycle) {
    const missing = cycle.filter((id) => !names.has(id));
    if (missing.length)
      for (const r of await db.selectFrom('checks').select(['id', 'name']).where('id', 'in', missing).execute()) names.set(r.id, r.name);
    throw badRequest(
      'dependency_cycle',
      `depends_on would close a cycle: ${describeCycle(cycle, (id) => `"${names.get(id) ?? id}"`)}; a check cannot (even indirectly) depend on itself. Remove one of these dependencies.`,
    );
  }
  await setParents(db, check.workspace_id, check.id, parents);
}
