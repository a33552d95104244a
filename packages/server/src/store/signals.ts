// Signal rows: every thing a client told us. An append-only log; each check's signals form a chain
// (checks.last_signal_id → signals.prev_id → …), walked newest first.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from './db.js';
import type { SignalRow } from './schema.js';
import { prepared, placeholders } from './prepared.js';

export type NewSignal = Omit<Insertable<SignalRow>, 'id'>;
export const SIGNAL_COLUMNS = [
  'check_id',
  'prev_id',
  'run_id',
  'at',
  'kind',
  'method',
  'source_ip',
  'user_agent',
  'body',
  'message',
  'progress',
  'exit_code',
  'metadata',
  'dialect',
] as const;

const insertQuery = prepared<(typeof SIGNAL_COLUMNS)[number], { id: number }>((db, param) =>
  db.insertInto('signals').values(placeholders(SIGNAL_COLUMNS, param)).returning('id'),
);

/** Appends a signal (its prev_id is the check's current head) and returns its id: the check's new head. */
export async function insertSignal(db: Db, row: NewSignal): Promise<number> {
  const [inserted] = await insertQuery(db, row as Record<(typeof SIGNAL_COLUMNS)[number], unknown>);
  return Number(inserted.id);
}

/** A depth no chain reaches: walk it whole (retention bounds how long chains get). */
const WHOLE_CHAIN = 1_000_000_000;

/** `WITH RECURSIVE chain(id, depth)`: ids along a check's chain from `head`, newest first, while `at >= since`. */
function chainFrom(head: number, limit: number, since: number | null) {
  return sql`with recursive chain(id, depth) as (
      select cast(${head} as bigint), 1
      union all
      select s.prev_id, chain.depth + 1 from signals s join chain on s.id = chain.id
      where s.prev_id is not null and chain.depth < ${limit} and s.at >= ${since ?? -1}
    )`;
}

/**
 * What a listing reads of each body: all of it, its first n characters, nothing, or nothing past it ('size': in
 * SQLite every column after a large body costs a walk over its overflow pages; 'size' reads only those before it).
 */
export type BodyRead = 'full' | 'none' | 'size' | { excerpt: number };
/** A listed signal: `body` as asked for, `body_size` the stored body's size in bytes. */
export type ListedSignal = Selectable<SignalRow> & { body_size: number };

function listedColumns(read: BodyRead) {
  const head = sql`signals.id, signals.check_id, signals.prev_id, signals.run_id, signals.at, signals.kind, signals.method,
    signals.source_ip, signals.user_agent, coalesce(octet_length(signals.body), 0) as body_size`;
  if (read === 'size') {
    return sql`${head}, cast(null as text) as body, cast(null as text) as message, cast(null as integer) as progress,
      cast(null as integer) as exit_code, cast(null as text) as metadata, cast('' as text) as dialect`;
  }
  const body =
    read === 'full' ? sql`signals.body` : read === 'none' ? sql`cast(null as text)` : sql`substr(signals.body, 1, ${read.excerpt})`;
  return sql`${head}, ${body} as body, signals.message, signals.progress, signals.exit_code, signals.metadata, signals.dialect`;
}

/** Signals of a check, newest first; `before` is an id cursor from a previous page. */
export async function listSignals(
  db: Db,
  check: { id: string; last_signal_id: number | null },
  limit: number,
  before: number | null,
  runId?: string,
  read: BodyRead = 'full',
): Promise<ListedSignal[]> {
  if (runId) {
    const { rows } = await sql<ListedSignal>`select ${listedColumns(read)} from signals
      where signals.run_id = ${runId} and signals.check_id = ${check.id} ${before != null ? sql`and signals.id < ${before}` : sql``}
      order by signals.id desc limit ${limit}`.execute(db);
    return rows;
  }
  let head = check.last_signal_id;
  if (head != null && before != null) {
    const cursor = await db
      .selectFrom('signals')
      .select('prev_id')
      .where('id', '=', before)
      .where('check_id', '=', check.id)
      .executeTakeFirst();
    head = cursor ? cursor.prev_id : null;
  }
  if (head == null) return [];
  const { rows } = await sql<ListedSignal>`${chainFrom(head, limit, null)}
    select ${listedColumns(read)} from chain join signals on signals.id = chain.id
    where signals.check_id = ${check.id} order by signals.id desc`.execute(db);
  return rows;
}

/** Some signals of a check by id, newest first, with their bodies read as asked. */
export async function signalsByIds(db: Db, checkId: string, ids: number[], read: BodyRead): Promise<ListedSignal[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<ListedSignal>`select ${listedColumns(read)} from signals
    where signals.check_id = ${checkId} and signals.id in (${sql.join(ids)}) order by signals.id desc`.execute(db);
  return rows;
}

/** The leading rows whose bodies fit in `budget` bytes (always at least one row). */
export function withinBodyBudget<T extends { body_size: number }>(rows: T[], budget: number): T[] {
  let bytes = 0;
  let n = 0;
  for (; n < rows.length; n += 1) {
    bytes += Number(rows[n].body_size);
    if (n > 0 && bytes > budget) break;
  }
  return rows.slice(0, n);
}

/** How many signals of each kind a check has per `bucket` ms from `from`, with `from <= at < to`. */
export async function signalCountsInRange(
  db: Db,
  check: { id: string; last_signal_id: number | null },
  from: number,
  to: number,
  bucket: number,
): Promise<{ bucket: number; kind: string; n: number }[]> {
  if (check.last_signal_id == null) return [];
  const { rows } = await sql<{ bucket: number; kind: string; n: number }>`${chainFrom(check.last_signal_id, WHOLE_CHAIN, from)}
    select cast((signals.at - ${from}) / ${bucket} as bigint) as bucket, signals.kind as kind, count(*) as n
    from chain join signals on signals.id = chain.id
    where signals.check_id = ${check.id} and signals.at >= ${from} and signals.at < ${to} group by 1, 2`.execute(db);
  return rows.map((r) => ({ bucket: Number(r.bucket), kind: r.kind, n: Number(r.n) }));
}

/**
 * A check's oldest `limit` signals with `from <= at < to`, oldest first (an event feed read forwards), without
 * bodies; `complete` is false when the page ended early because the bodies stored beside them passed `maxBodyBytes`.
 */
export async function oldestSignalsInRange(
  db: Db,
  check: { id: string; last_signal_id: number | null },
  from: number,
  to: number,
  limit: number,
  maxBodyBytes = Infinity,
): Promise<{ rows: ListedSignal[]; complete: boolean }> {
  if (check.last_signal_id == null) return { rows: [], complete: true };
  const { rows: heads } = await sql<ListedSignal>`${chainFrom(check.last_signal_id, WHOLE_CHAIN, from)}
    select ${listedColumns('size')} from chain join signals on signals.id = chain.id
    where signals.check_id = ${check.id} and signals.at >= ${from} and signals.at < ${to} order by signals.at asc, signals.id asc limit ${limit}`.execute(
    db,
  );
  const page = withinBodyBudget(heads, maxBodyBytes);
  const full = new Map(
    (
      await signalsByIds(
        db,
        check.id,
        page.map((r) => Number(r.id)),
        'none',
      )
    ).map((r) => [Number(r.id), r]),
  );
  return { rows: page.map((r) => full.get(Number(r.id)) ?? r), complete: page.length === heads.length };
}

/** Deletes every signal of a check by walking its chain. */
export async function deleteSignalsOfCheck(db: Db, check: { id: string; last_signal_id: number | null }): Promise<void> {
  if (check.last_signal_id == null) return;
  await sql`${chainFrom(check.last_signal_id, WHOLE_CHAIN, null)}
    delete from signals where id in (select id from chain) and check_id = ${check.id}`.execute(db);
}
