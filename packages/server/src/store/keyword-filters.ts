// The HTTP body filter of the check a ping names, read before the signal is built (so classifying stays out of
// the ingest batch). One narrow indexed read, compiled once; null when the check is unknown or does not filter.
import { keywordFilterOf, type KeywordFilter } from '../core/keyword-filter.js';
import type { CheckRef } from './checks.js';
import type { Db } from './db.js';
import { prepared } from './prepared.js';

/** A check's id and its kept settings (JSON), where healthchecks.io's keyword fields live. */
export type KeptSettings = { id: string; extra: string | null };
const byId = prepared<'id', KeptSettings>((db, p) => db.selectFrom('checks').select(['id', 'extra']).where('id', '=', p('id')));
const byKey = prepared<'key', KeptSettings>((db, p) => db.selectFrom('checks').select(['id', 'extra']).where('key', '=', p('key')));
const bySlug = prepared<'ping_key' | 'slug', KeptSettings>((db, p) =>
  db
    .selectFrom('checks')
    .select(['checks.id', 'checks.extra'])
    .innerJoin('workspaces', 'workspaces.id', 'checks.workspace_id')
    .where('workspaces.ping_key', '=', p('ping_key'))
    .where('checks.slug', '=', p('slug')),
);

/** The id and kept settings of the check `ref` names, or undefined when there is none. */
export async function keptSettingsFor(db: Db, ref: CheckRef): Promise<KeptSettings | undefined> {
  switch (ref.by) {
    case 'id':
      return (await byId(db, { id: ref.id }))[0];
    case 'key':
      return (await byKey(db, { key: ref.key }))[0];
    case 'slug':
      return (await bySlug(db, { ping_key: ref.pingKey, slug: ref.slug }))[0];
    case 'name':
      return undefined;
  }
}

/** The HTTP body filter kept settings describe, or null. */
export function keywordFilterIn(extra: string | null): KeywordFilter | null {
  // Cheap test first: most checks have no kept settings at all, and of those that do few filter HTTP bodies.
  if (!extra || !extra.includes('filter_http_body')) return null;
  try {
    return keywordFilterOf(JSON.parse(extra) as Record<string, unknown>);
  } catch {
    return null;
  }
}
