// Retention queries: each deletes one small batch, so a pruning pass is many short transactions, never a long one.
import { sql } from 'kysely';
import type { Db } from './db.js';
import { timeOrderedIdPrefix } from './ids.js';
import { inTransaction } from './transaction.js';
import { isSqlite } from './db.js';

export interface OverLimitCheck {
  id: string;
}

/** Where a scan for over-limit checks resumes: SQLite walks the table in rowid order, PostgreSQL in id order. */
export type OverLimitCursor = { rowid: number } | { id: string };

export interface OverLimitPage {
  checks: OverLimitCheck[];
  /** Null once the whole table was looked at. */
  next: OverLimitCursor | null;
}

/**
 * SQLite rowids looked at per statement. The table's own order reads pages in sequence (in id order, each row is a
 * random read: seconds of CPU and tens of seconds on a cold cache for a million checks), and a window keeps each
 * statement — which holds the event loop — to a few milliseconds however few checks match.
 */
export const ROWIDS_PER_WINDOW = 20_000;

/**
 * One page of candidates for signal pruning: checks whose chains hold more than `threshold` signals
 * (signal_count − pruned), from `cursor` on (null: from the start). A page may be empty while `next` is not.
 */
export async function checksOverSignalLimit(
  db: Db,
  threshold: number,
  cursor: OverLimitCursor | null,
  limit: number,
  window = ROWIDS_PER_WINDOW,
): Promise<OverLimitPage> {
  const candidates = () => db.selectFrom('checks').leftJoin('signal_retention', 'signal_retention.check_id', 'checks.id');
  const over = (q: ReturnType<typeof candidates>) =>
    q
      .where('checks.last_signal_id', 'is not', null)
      .where(sql<number>`checks.signal_count - coalesce(signal_retention.pruned, 0)`, '>', threshold);
  if (isSqlite(db)) {
    const from = cursor && 'rowid' in cursor ? cursor.rowid : 0;
    const to = from + window;
    const rows = await over(candidates())
      .select([sql<number>`checks.rowid`.as('rowid'), 'checks.id'])
      .where(sql`checks.rowid`, '>', from)
      .where(sql`checks.rowid`, '<=', to)
      .orderBy(sql`checks.rowid`)
      .limit(limit)
      .execute();
    if (rows.length === limit) return { checks: rows.map((r) => ({ id: r.id })), next: { rowid: Number(rows[rows.length - 1].rowid) } };
    const last = await db
      .selectFrom('checks')
      .select(sql<number | null>`max(rowid)`.as('last'))
      .executeTakeFirst();
    return { checks: rows.map((r) => ({ id: r.id })), next: Number(last?.last ?? 0) > to ? { rowid: to } : null };
  }
  const afterId = cursor && 'id' in cursor ? cursor.id : '';
  const rows = await over(candidates()).select('checks.id').where('checks.id', '>', afterId).orderBy('checks.id').limit(limit).execute();
  return { checks: rows, next: rows.length < limit ? null : { id: rows[rows.length - 1].id } };
}

/** What a check has received (signal_count) and how many of those retention deleted; undefined for no such check. */
export async function heldSignals(db: Db, checkId: string): Promise<{ count: number; pruned: number } | undefined> {
  const row = await db
    .selectFrom('checks')
    .leftJoin('signal_retention', 'signal_retention.check_id', 'checks.id')
    .select(['checks.signal_count', 'signal_retention.pruned'])
    .where('checks.id', '=', checkId)
    .executeTakeFirst();
  return row && { count: Number(row.signal_count), pruned: Number(row.pruned ?? 0) };
}

interface ChainLink {
  id: number;
  prev_id: number | null;
}

/** The first `limit` signals of a check's chain, newest first (a link to a deleted row ends the chain). */
async function walkChain(db: Db, head: number, limit: number): Promise<ChainLink[]> {
  const { rows } = await sql<{ id: number; prev_id: number | null; depth: number }>`with recursive chain(id, prev_id, depth) as (
      select id, prev_id, 1 from signals where id = ${head}
      union all
      select s.id, s.prev_id, chain.depth + 1 from signals s join chain on s.id = chain.prev_id where chain.depth < ${limit}
    )
    select id, prev_id, depth from chain order by depth`.execute(db);
  return rows.map((r) => ({ id: Number(r.id), prev_id: r.prev_id == null ? null : Number(r.prev_id) }));
}

export interface SignalPruneStep {
  deleted: number;
  /** True when the check's chain now holds at most `keep` signals (plus any that arrived during the pass). */
  done: boolean;
  /** Where the next step of the same pass resumes: the oldest kept signal, and signal_count when it was found. */
  resume: { anchor: number; countAtAnchor: number } | null;
}

/**
 * Deletes up to `batch` of a check's signals older than its newest `keep`, in one transaction: walks the chain,
 * deletes the links after the keep-th, and points the keep-th (the anchor) at the first survivor so the chain stays
 * whole. The first step walks from the head; later steps of the same pass resume at the anchor instead of walking
 * the kept signals again. Signals arriving meanwhile only make the kept part longer: nothing newer than the anchor
 * is ever deleted.
 */
export async function pruneSignalsOfCheck(
  db: Db,
  checkId: string,
  keep: number,
  batch: number,
  resume: SignalPruneStep['resume'] = null,
): Promise<SignalPruneStep> {
  return inTransaction(db, async (trx) => {
    const check = await trx.selectFrom('checks').select(['last_signal_id', 'signal_count']).where('id', '=', checkId).executeTakeFirst();
    if (!check || check.last_signal_id == null) return { deleted: 0, done: true, resume: null };
    const signalCount = Number(check.signal_count);
    let kept: number;
    let anchor: ChainLink | undefined;
    let doomed: ChainLink[];
    if (resume) {
      const chain = await walkChain(trx, resume.anchor, batch + 1);
      if (chain.length === 0) return { deleted: 0, done: true, resume: null };
      [anchor, ...doomed] = chain;
      kept = keep + (signalCount - resume.countAtAnchor);
    } else {
      const chain = await walkChain(trx, Number(check.last_signal_id), keep + batch);
      anchor = chain.length >= keep ? chain[keep - 1] : undefined;
      doomed = chain.slice(keep);
      kept = Math.min(chain.length, keep);
    }
    if (doomed.length > 0) {
      await trx
        .deleteFrom('signals')
        .where(
          'id',
          'in',
          doomed.map((l) => l.id),
        )
        .where('check_id', '=', checkId)
        .execute();
      await trx
        .updateTable('signals')
        .set({ prev_id: doomed[doomed.length - 1].prev_id })
        .where('id', '=', anchor!.id)
        .execute();
    }
    const done = doomed.length === 0 || doomed[doomed.length - 1].prev_id == null;
    const row = await trx.selectFrom('signal_retention').select('pruned').where('check_id', '=', checkId).executeTakeFirst();
    // When the chain is fully walked, what it holds is known exactly; in between, count what was deleted.
    const pruned = done ? signalCount - kept : Number(row?.pruned ?? 0) + doomed.length;
    await trx
      .insertInto('signal_retention')
      .values({ check_id: checkId, pruned })
      .onConflict((oc) => oc.column('check_id').doUpdateSet({ pruned }))
      .execute();
    const next = done || !anchor ? null : { anchor: anchor.id, countAtAnchor: resume?.countAtAnchor ?? signalCount };
    return { deleted: doomed.length, done, resume: next };
  });
}

/** Deletes up to `batch` runs that ended before `cutoff` (open runs are never touched). */
export async function pruneRuns(db: Db, cutoff: number, batch: number): Promise<number> {
  // Run ids start with their start time, so the primary key finds old runs without a scan.
  const ids = db
    .selectFrom('runs')
    .select('id')
    .where('id', '<', timeOrderedIdPrefix(cutoff))
    .where('ended_at', 'is not', null)
    .where('ended_at', '<', cutoff)
    .orderBy('id')
    .limit(batch);
  const result = await db.deleteFrom('runs').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes up to `batch` flips older than `cutoff`, except each check's newest flip before it: that one says which
 * status the check had at the cutoff, so timelines and uptime bars still start from a known status.
 */
export async function pruneFlips(db: Db, cutoff: number, batch: number): Promise<number> {
  const ids = db
    .selectFrom('flips as f')
    .select('f.id')
    .where('f.at', '<', cutoff)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('flips as g')
          .select('g.id')
          .whereRef('g.check_id', '=', 'f.check_id')
          .where('g.at', '<', cutoff)
          .whereRef('g.id', '>', 'f.id'),
      ),
    )
    .orderBy('f.id')
    .limit(batch);
  const result = await db.deleteFrom('flips').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes up to `batch` sent or failed notifications created before `cutoff`, with their delivery attempts. */
export async function pruneSettledNotifications(db: Db, cutoff: number, batch: number): Promise<number> {
  return inTransaction(db, async (trx) => {
    // The newest row stays, so SQLite never hands its id out again (see 0001_core).
    const newest = await trx
      .selectFrom('outbox')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    if (newest?.id == null) return 0;
    const rows = await trx
      .selectFrom('outbox')
      .select('id')
      .where('status', 'in', ['sent', 'failed'])
      .where('created_at', '<', cutoff)
      .where('id', '<', Number(newest.id))
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => Number(r.id));
    await trx.deleteFrom('delivery_attempts').where('outbox_id', 'in', ids).execute();
    await trx.deleteFrom('outbox').where('id', 'in', ids).execute();
    return ids.length;
  });
}
