// The HTTP body filter of the check a ping names, read before the signal is built (so classifying stays out of
// the ingest batch). One narrow indexed read per ping, compiled once; null when the check is unknown or does not filter.
import { keywordFilterOf, type KeywordFilter } from '../core/keyword-filter.js';
import type { CheckRef, Db } from './checks.js';
import { prepared } from './prepared.js';

type Extra = { extra: string | null };
const extraById = prepared<'id', Extra>((db, p) => db.selectFrom('checks').select('extra').where('id', '=', p('id')));
const extraByKey = prepared<'key', Extra>((db, p) => db.selectFrom('checks').select('extra').where('key', '=', p('key')));
const extraBySlug = prepared<'ping_key' | 'slug', Extra>((db, p) => db.selectFrom('checks').select('checks.extra')
  .innerJoin('workspaces', 'workspaces.id', 'checks.workspace_id')
  .where('workspaces.ping_key', '=', p('ping_key')).where('checks.slug', '=', p('slug')));

/** The keyword filter of the check `ref` names, or null. */
export async function keywordFilterFor(db: Db, ref: CheckRef): Promise<KeywordFilter | null> {
  let rows: Extra[];
  switch (ref.by) {
    case 'id': rows = await extraById(db, { id: ref.id }); break;
    case 'key': rows = await extraByKey(db, { key: ref.key }); break;
    case 'slug': rows = await extraBySlug(db, { ping_key: ref.pingKey, slug: ref.slug }); break;
    case 'name': return null;
  }
  const extra = rows[0]?.extra;
  // Cheap test first: most checks have no kept settings at all, and of those that do few filter HTTP bodies.
  if (!extra || !extra.includes('filter_http_body')) return null;
  try {
    return keywordFilterOf(JSON.parse(extra) as Record<string, unknown>);
  } catch {
    return null;
  }
}
