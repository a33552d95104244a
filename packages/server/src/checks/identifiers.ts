// Caller-chosen check identifiers (a UUID or key kept when moving from another service). Ping URLs by UUID or key
// are global, so an identifier is accepted only when nothing uses it: no check of any workspace, and no deleted
// check of another workspace (whose old crontabs may still ping it). The refusal is the same whoever holds it, so
// it says "taken" and nothing about whose.
import { conflict } from '../errors.js';
import type { Db } from '../store/db.js';
import type { CheckRow } from '../store/schema.js';

/** Throws 409 identifier_taken when `id` or `key` (either may be absent) is used anywhere else. */
export async function requireFreeIdentifiers(
  db: Db,
  workspaceId: string,
  wanted: { id?: string | null; key?: string | null },
): Promise<void> {
  const identifiers = [wanted.id, wanted.key].filter((v): v is string => typeof v === 'string' && v !== '');
  if (identifiers.length === 0) return;
  const [live, retired] = await Promise.all([
    db
      .selectFrom('checks')
      .select(['id', 'key'])
      .where((eb) => eb.or([eb('id', 'in', identifiers), eb('key', 'in', identifiers)]))
      .execute(),
    db
      .selectFrom('retired_check_identifiers')
      .select('identifier')
      .where('identifier', 'in', identifiers)
      .where('workspace_id', '!=', workspaceId)
      .execute(),
  ]);
  const used = new Set([...live.flatMap((r) => [r.id, r.key]), ...retired.map((r) => r.identifier)]);
  const taken = identifiers.find((v) => used.has(v));
  if (taken) {
    throw conflict('identifier_taken', `The identifier ${taken} is taken; leave id and key out to get new ones, or choose others.`);
  }
}

/** Reserves a deleted check's UUID and key for its workspace (which may use them again; nobody else may). */
export async function retireIdentifiers(db: Db, check: CheckRow): Promise<void> {
  await db
    .insertInto('retired_check_identifiers')
    .values([
      { identifier: check.id, workspace_id: check.workspace_id },
      { identifier: check.key, workspace_id: check.workspace_id },
    ])
    .onConflict((oc) => oc.column('identifier').doNothing())
    .execute();
}
