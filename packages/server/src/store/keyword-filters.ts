// The HTTP body filter of the check a ping names, read before the signal is built (so classifying stays out of
// the ingest batch). One narrow indexed read; null when the check is unknown or does not filter.
import { keywordFilterOf, type KeywordFilter } from '../core/keyword-filter.js';
import type { CheckRef, Db } from './checks.js';

/** The keyword filter of the check `ref` names, or null. */
export async function keywordFilterFor(db: Db, ref: CheckRef): Promise<KeywordFilter | null> {
  let row: { extra: string | null } | undefined;
  switch (ref.by) {
    case 'id': row = await db.selectFrom('checks').select('extra').where('id', '=', ref.id).executeTakeFirst(); break;
    case 'key': row = await db.selectFrom('checks').select('extra').where('key', '=', ref.key).executeTakeFirst(); break;
    case 'slug':
      row = await db.selectFrom('checks').innerJoin('workspaces', 'workspaces.id', 'checks.workspace_id').select('checks.extra')
        .where('workspaces.ping_key', '=', ref.pingKey).where('checks.slug', '=', ref.slug).executeTakeFirst();
      break;
    case 'name': return null;
  }
  // Cheap test first: most checks have no settings at all, and of those that do few filter HTTP bodies.
  if (!row?.extra || !row.extra.includes('filter_http_body')) return null;
  try {
    return keywordFilterOf(JSON.parse(row.extra) as Record<string, unknown>);
  } catch {
    return null;
  }
}
