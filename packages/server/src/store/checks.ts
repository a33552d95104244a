// Check queries. Every read that serves a workspace filters by workspace_id: nothing crosses tenants.
import { type Expression, type SqlBool, sql } from 'kysely';
import type { CheckRow } from './schema.js';
import { CHECK_KEY_PATTERN, READ_ID_PATTERN, UUID_PATTERN, readIdOf } from './ids.js';
import { prepared } from './prepared.js';
import { deleteSignalsOfCheck } from './signals.js';
import { isSqlite, type Db } from './db.js';
import { lockRows } from './dialect.js';

/** How a ping URL or a dialect names a check. */
export type CheckRef =
  | { by: 'id'; id: string }
  | { by: 'key'; key: string }
  | { by: 'slug'; pingKey: string; slug: string }
  | { by: 'name'; workspaceId: string; name: string };

/** Parses "{uuid}" or "{8-char key}"; null when it is neither. */
export function parseCheckRef(text: string): CheckRef | null {
  if (UUID_PATTERN.test(text)) return { by: 'id', id: text.toLowerCase() };
  if (CHECK_KEY_PATTERN.test(text)) return { by: 'key', key: text };
  return null;
}

export function refKey(ref: CheckRef): string {
  switch (ref.by) {
    case 'id':
      return `i:${ref.id}`;
    case 'key':
      return `k:${ref.key}`;
    case 'slug':
      return `s:${ref.pingKey}/${ref.slug}`;
    case 'name':
      return `n:${ref.workspaceId}/${ref.name}`;
  }
}

// One prepared lookup per way of naming a check. Only SQLite ingest uses them: on PostgreSQL a batch locks all its
// checks at once with lockChecksForSignals.
const byId = prepared<'id', CheckRow>((db, p) => db.selectFrom('checks').selectAll().where('id', '=', p('id')));
const byKey = prepared<'key', CheckRow>((db, p) => db.selectFrom('checks').selectAll().where('key', '=', p('key')));
const byName = prepared<'workspace_id' | 'name', CheckRow>((db, p) =>
  db.selectFrom('checks').selectAll().where('workspace_id', '=', p('workspace_id')).where('name', '=', p('name')).orderBy('id').limit(1),
);
const bySlug = prepared<'ping_key' | 'slug', CheckRow>((db, p) =>
  db
    .selectFrom('checks')
    .selectAll('checks')
    .innerJoin('workspaces', 'workspaces.id', 'checks.workspace_id')
    .where('workspaces.ping_key', '=', p('ping_key'))
    .where('checks.slug', '=', p('slug')),
);

/** Finds the check a signal is for, on SQLite (one writer at a time: no lock needed). */
export async function findCheckForSignal(db: Db, ref: CheckRef): Promise<CheckRow | undefined> {
  let rows: CheckRow[];
  switch (ref.by) {
    case 'id':
      rows = await byId(db, { id: ref.id });
      break;
    case 'key':
      rows = await byKey(db, { key: ref.key });
      break;
    case 'name':
      rows = await byName(db, { workspace_id: ref.workspaceId, name: ref.name });
      break;
    case 'slug':
      rows = await bySlug(db, { ping_key: ref.pingKey, slug: ref.slug });
      break;
  }
  return rows[0];
}

/**
 * PostgreSQL: finds and locks the checks a batch of signals names, all at once and in id order, so that instances
 * applying batches that share checks wait for each other instead of deadlocking. Returns the locked rows by
 * refKey (a ref with no check is absent). SQLite has one writer at a time and needs none of this: null.
 */
export async function lockChecksForSignals(db: Db, refs: CheckRef[]): Promise<Map<string, CheckRow> | null> {
  if (isSqlite(db)) return null;
  const unique = [...new Map(refs.map((r) => [refKey(r), r])).values()];
  const of = <K extends CheckRef['by']>(by: K) => unique.filter((r): r is Extract<CheckRef, { by: K }> => r.by === by);
  // Ids and keys go straight into the locking query; slugs and names are resolved to ids first, without locks.
  const idOf = new Map<string, string>(of('id').map((r) => [refKey(r), r.id]));
  const slugs = of('slug');
  if (slugs.length) {
    const rows = await db
      .selectFrom('checks')
      .innerJoin('workspaces', 'workspaces.id', 'checks.workspace_id')
      .select(['checks.id', 'workspaces.ping_key', 'checks.slug'])
      .where((eb) => eb.or(slugs.map((r) => eb.and([eb('workspaces.ping_key', '=', r.pingKey), eb('checks.slug', '=', r.slug)]))))
      .execute();
    for (const row of rows) idOf.set(refKey({ by: 'slug', pingKey: row.ping_key, slug: row.slug }), row.id);
  }
  const names = of('name');
  if (names.length) {
    // A name with no check yet is created by the first signal that names it. Lanes (and instances) creating by
    // name take a transaction lock per name first, in sorted order (so never in a cycle), and look names up only
    // then: a name another lane is creating is found once that lane commits, instead of being created twice.
    const lockKeys = [...new Set(names.map((r) => `${r.workspaceId}/${r.name}`))].sort();
    await sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(cast(${lockKeys} as text[])) as u(k)`.execute(db);
    // Names need not be unique; as in findCheckForSignal, a name means the check with the smallest id.
    const rows = await db
      .selectFrom('checks')
      .select(['id', 'workspace_id', 'name'])
      .where((eb) => eb.or(names.map((r) => eb.and([eb('workspace_id', '=', r.workspaceId), eb('name', '=', r.name)]))))
      .orderBy('id', 'desc')
      .execute();
    for (const row of rows) idOf.set(refKey({ by: 'name', workspaceId: row.workspace_id, name: row.name }), row.id);
  }
  const keys = of('key').map((r) => r.key);
  const result = new Map<string, CheckRow>();
  if (idOf.size === 0 && keys.length === 0) return result;
  const ids = [...new Set(idOf.values())];
  const locked = await db
    .selectFrom('checks')
    .selectAll()
    .where((eb) => eb.or([...(ids.length ? [eb('id', 'in', ids)] : []), ...(keys.length ? [eb('key', 'in', keys)] : [])]))
    .orderBy('id')
    .forUpdate()
    .execute();
  const byId = new Map(locked.map((row) => [row.id, row]));
  for (const [key, id] of idOf) {
    const row = byId.get(id);
    if (row) result.set(key, row);
  }
  for (const row of locked) result.set(refKey({ by: 'key', key: row.key }), row);
  return result;
}

/**
 * A check of this workspace by UUID, 8-character key or read id (what viewers and read keys see; never accepted
 * for signals: parseCheckRef knows no read ids). Inside a transaction on PostgreSQL the row is locked until commit,
 * so a change computed from it cannot overwrite a signal another instance applied meanwhile.
 */
export async function findCheck(db: Db, workspaceId: string, ref: string): Promise<CheckRow | undefined> {
  const q = db
    .selectFrom('checks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .$if(db.isTransaction, (qb) => lockRows(db, qb));
  if (READ_ID_PATTERN.test(ref)) return q.where('read_id', '=', ref).executeTakeFirst();
  const parsed = parseCheckRef(ref);
  if (!parsed || (parsed.by !== 'id' && parsed.by !== 'key')) return undefined;
  return (parsed.by === 'id' ? q.where('id', '=', parsed.id) : q.where('key', '=', parsed.key)).executeTakeFirst();
}

/** Stores a new check; its read id follows from its UUID. */
export async function insertCheck(db: Db, row: Omit<CheckRow, 'read_id'> & { read_id?: string }): Promise<void> {
  await db
    .insertInto('checks')
    .values({ ...row, read_id: readIdOf(row.id) })
    .execute();
}

export async function updateCheck(db: Db, id: string, columns: Partial<CheckRow>): Promise<void> {
  await db.updateTable('checks').set(columns).where('id', '=', id).execute();
}

/** Deletes a check and everything recorded about it. */
export async function deleteCheck(db: Db, check: CheckRow): Promise<void> {
  const id = check.id;
  // The chain head as of now (locked on PostgreSQL): signals stored since `check` was read are deleted too.
  const current = await db
    .selectFrom('checks')
    .select(['id', 'last_signal_id'])
    .where('id', '=', id)
    .$call((qb) => lockRows(db, qb))
    .executeTakeFirst();
  if (!current) return;
  await deleteSignalsOfCheck(db, current);
  await db.deleteFrom('runs').where('check_id', '=', id).execute();
  await db.deleteFrom('flips').where('check_id', '=', id).execute();
  await db.deleteFrom('incidents').where('check_id', '=', id).execute();
  await db.deleteFrom('check_channels').where('check_id', '=', id).execute();
  await db.deleteFrom('check_hosts').where('check_id', '=', id).execute();
  await db.deleteFrom('maintenance_windows').where('check_id', '=', id).execute();
  await db.deleteFrom('signal_retention').where('check_id', '=', id).execute();
  await db.deleteFrom('outbox').where('check_id', '=', id).where('status', 'in', ['pending', 'draft']).execute();
  await db.deleteFrom('checks').where('id', '=', id).execute();
}

export interface CheckFilters {
  status?: string;
  tag?: string;
  project?: string;
  serviceId?: string;
  q?: string;
}

/** One page of a workspace's checks ordered by name, then id; `after` is the last (name, id) of the previous page. */
export async function listChecks(
  db: Db,
  workspaceId: string,
  filters: CheckFilters,
  limit: number,
  after: { name: string; id: string } | null,
): Promise<CheckRow[]> {
  let q = db.selectFrom('checks').selectAll().where('workspace_id', '=', workspaceId);
  if (filters.status === 'running') q = q.where('open_runs', '>', 0);
  else if (filters.status === 'degraded') q = q.where('degraded', '=', 1);
  else if (filters.status) q = q.where('status', '=', filters.status);
  if (filters.tag) q = q.where(contains(sql.ref('tags'), JSON.stringify(filters.tag)));
  if (filters.project) q = q.where('project', '=', filters.project);
  if (filters.serviceId) q = q.where('service_id', '=', filters.serviceId);
  if (filters.q) {
    const needle = filters.q.toLowerCase();
    q = q.where((eb) => eb.or(['name', 'slug', 'description'].map((c) => contains(sql`lower(${sql.ref(c)})`, needle))));
  }
  if (after) {
    q = q.where((eb) => eb.or([eb('name', '>', after.name), eb.and([eb('name', '=', after.name), eb('id', '>', after.id)])]));
  }
  return q.orderBy('name').orderBy('id').limit(limit).execute();
}

/** `column LIKE '%needle%'` with the needle's wildcards escaped, spelled the same on both engines. */
function contains(column: Expression<unknown>, needle: string): Expression<SqlBool> {
  const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`${column} like ${pattern} escape '\\'`;
}

export async function slugTaken(db: Db, workspaceId: string, slug: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('checks').select('id').where('workspace_id', '=', workspaceId).where('slug', '=', slug);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) != null;
}

/**
 * The next numeric suffix for `base` in a workspace (2 the first time), from its counter: one statement, however
 * many checks share the base. A fresh counter is moved past suffixes checks already carry (created before counters
 * existed, or chosen by hand) with one scan, once per base.
 */
export async function nextSlugSuffix(db: Db, workspaceId: string, base: string): Promise<number> {
  const { last } = await db
    .insertInto('slug_counters')
    .values({ workspace_id: workspaceId, base, last: 2 })
    .onConflict((oc) => oc.columns(['workspace_id', 'base']).doUpdateSet((eb) => ({ last: eb(eb.ref('slug_counters.last'), '+', 1) })))
    .returning('last')
    .executeTakeFirstOrThrow();
  if (Number(last) !== 2) return Number(last);
  const pattern = `${base.replace(/[\\%_]/g, (c) => `\\${c}`)}-%`;
  const taken = await db
    .selectFrom('checks')
    .select('slug')
    .where('workspace_id', '=', workspaceId)
    .where(sql<SqlBool>`slug like ${pattern} escape '\\'`)
    .execute();
  const suffix = new RegExp(`^${base.replace(/[^a-z0-9]/g, (c) => `\\${c}`)}-(\\d{1,15})$`);
  const highest = Math.max(1, ...taken.map((r) => Number(suffix.exec(r.slug)?.[1] ?? 0)));
  if (highest < 2) return 2;
  await db
    .updateTable('slug_counters')
    .set({ last: highest + 1 })
    .where('workspace_id', '=', workspaceId)
    .where('base', '=', base)
    .execute();
  return highest + 1;
}

/** How many checks a workspace has (for its quota). */
export async function countChecks(db: Db, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('checks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
