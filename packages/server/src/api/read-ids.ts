// The read scope (viewers, read keys) sees checks by read id, never by UUID: /ping/{uuid} accepts a UUID, so whoever
// sees one can send signals. One hook over every answer rather than a rule in each presenter, so that no route,
// dialect view or error message that names a check can show its UUID to a reader by being forgotten.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../store/db.js';

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** UUIDs looked up per query: bounded so that an answer with many (runs, incidents) stays a few indexed queries. */
const CHUNK = 500;

/** Rewrites the answers to read-scope callers: every check UUID in them becomes that check's read id. */
export function installReadIds(app: FastifyInstance, db: Db): void {
  // A callback hook: answers that need no rewriting (every ping) pay no promise and no extra turn.
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (request.auth?.scope !== 'read' || typeof payload !== 'string') return done(null, payload);
    hideCheckIds(db, payload).then(
      (text) => done(null, text),
      (error: Error) => done(error),
    );
  });
}

/** `text` with each check UUID in it replaced by the check's read id; other UUIDs (runs, incidents, ...) stay. */
export async function hideCheckIds(db: Db, text: string): Promise<string> {
  const found = [...new Set(Array.from(text.matchAll(UUIDS), (m) => m[0].toLowerCase()))];
  if (found.length === 0) return text;
  const readIds = new Map<string, string>();
  for (let i = 0; i < found.length; i += CHUNK) {
    const rows = await db
      .selectFrom('checks')
      .select(['id', 'read_id'])
      .where('id', 'in', found.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) readIds.set(row.id, row.read_id);
  }
  return replaceCheckIds(text, readIds);
}

/** `text` with each UUID that `readIds` knows (lower-case keys) replaced by its read id. Pure. */
export function replaceCheckIds(text: string, readIds: ReadonlyMap<string, string>): string {
  if (readIds.size === 0) return text;
  return text.replace(UUIDS, (uuid) => readIds.get(uuid.toLowerCase()) ?? uuid);
}
