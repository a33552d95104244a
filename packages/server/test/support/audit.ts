// Reads a store directly (the server stopped or killed) — a SQLite file or a PostgreSQL database — and lists every
// way its rows disagree with each other: the consistency a crash must never break.
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { nextDeadline } from '../../src/core/index.js';
import { stateOf, timingOf } from '../../src/store/check-rows.js';
import type { CheckRow } from '../../src/store/schema.js';

export type Sqlite = Database.Database;

/** Opens the data dir's SQLite file the way a restarting server would (recovering its WAL). */
export function openStoreFile(dataDir: string): Sqlite {
  return new Database(path.join(dataDir, 'overdue.db'));
}

/** Read-only SQL over a store, SQLite file or PostgreSQL database alike (`?` placeholders). */
export interface StoreReader {
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A reader over an open SQLite file (close() closes it). */
export function sqliteReader(db: Sqlite): StoreReader {
  return {
    all: async <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[],
    close: async () => {
      db.close();
    },
  };
}

/** A reader over a PostgreSQL database; 64-bit integers and counts arrive as numbers, as from the server's store. */
export async function postgresReader(url: string): Promise<StoreReader> {
  const numeric = new Set([20, 1700]);
  const client = new pg.Client({
    connectionString: url,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        numeric.has(oid) ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  await client.connect();
  return {
    async all<T>(sql: string, ...params: unknown[]) {
      let n = 0;
      return (
        await client.query(
          sql.replace(/\?/g, () => `$${(n += 1)}`),
          params,
        )
      ).rows as T[];
    },
    close: () => client.end(),
  };
}

/**
 * Problems found, as sentences; empty when the store is consistent. Per check: the signal chain, the counters,
 * the open runs, the derived deadline, the last flip and the open incident all agree with each other.
 */
export async function auditStore(db: StoreReader): Promise<string[]> {
  const problems: string[] = [];
  const checks = await db.all<CheckRow>('select * from checks');
  const grouped = async (sql: string) => new Map((await db.all<{ id: string; n: number }>(sql)).map((r) => [r.id, Number(r.n)]));
  const signals = await grouped('select check_id as id, count(*) as n from signals group by check_id');
  const newest = await grouped('select check_id as id, max(id) as n from signals group by check_id');
  const runs = await grouped('select check_id as id, count(*) as n from runs group by check_id');
  const openRuns = await grouped('select check_id as id, count(*) as n from runs where ended_at is null group by check_id');
  const openIncidents = await grouped('select check_id as id, count(*) as n from incidents where resolved_at is null group by check_id');
  const lastFlips = new Map(
    (
      await db.all<{ id: string; status: string }>(
        'select f.check_id as id, f.to_status as status from flips f join (select check_id, max(id) as id from flips group by check_id) m on m.id = f.id',
      )
    ).map((r) => [r.id, r.status]),
  );
  // Every chain link at once: walking them one query at a time costs a round trip per signal on PostgreSQL.
  const links = new Map(
    (await db.all<{ id: number; prev_id: number | null; check_id: string }>('select id, prev_id, check_id from signals')).map((r) => [
      Number(r.id),
      r,
    ]),
  );
  for (const row of checks) {
    const name = `check ${row.name} (${row.id})`;
    const stored = signals.get(row.id) ?? 0;
    let chain = 0;
    for (let id = row.last_signal_id; id != null && chain <= stored; chain += 1) {
      const step = links.get(Number(id));
      if (!step || step.check_id !== row.id) {
        problems.push(`${name}: its signal chain points at signal ${id}, which is missing or another check's`);
        break;
      }
      id = step.prev_id;
    }
    if (row.signal_count !== stored) problems.push(`${name}: signal_count ${row.signal_count} but ${stored} signal rows`);
    if (chain !== stored) problems.push(`${name}: its signal chain has ${chain} links but ${stored} signal rows`);
    if ((newest.get(row.id) ?? null) !== row.last_signal_id)
      problems.push(`${name}: last_signal_id ${row.last_signal_id} but the newest signal is ${newest.get(row.id)}`);
    if (row.run_count !== (runs.get(row.id) ?? 0))
      problems.push(`${name}: run_count ${row.run_count} but ${runs.get(row.id) ?? 0} run rows`);
    if (row.open_runs !== (openRuns.get(row.id) ?? 0))
      problems.push(`${name}: open_runs ${row.open_runs} but ${openRuns.get(row.id) ?? 0} open run rows`);
    const expected = row.enabled === 1 ? nextDeadline(timingOf(row), stateOf(row)) : null;
    // The scheduler moves a deadline the core left in the past to now + 1 s (see scheduler/due-checks.ts).
    const guarded = expected != null && expected <= row.updated_at && row.next_deadline === row.updated_at + 1000;
    if (row.next_deadline !== expected && !guarded)
      problems.push(`${name}: next_deadline ${row.next_deadline} but the core computes ${expected}`);
    const lastFlip = lastFlips.get(row.id);
    if (lastFlip && lastFlip !== row.status) problems.push(`${name}: status ${row.status} but its last flip went to ${lastFlip}`);
    const incidents = openIncidents.get(row.id) ?? 0;
    if (incidents > 1) problems.push(`${name}: ${incidents} open incidents at once`);
    if ((row.status === 'down') !== (incidents === 1)) problems.push(`${name}: status ${row.status} with ${incidents} open incidents`);
  }
  const orphanSignals = Number(
    (
      await db.all<{ n: number }>(
        'select count(*) as n from signals s where s.run_id is not null and not exists (select 1 from runs r where r.id = s.run_id)',
      )
    )[0].n,
  );
  if (orphanSignals > 0) problems.push(`${orphanSignals} signals point at runs that do not exist`);
  const doubled = await db.all(
    'select incident_id, channel_id, event, count(*) as n from outbox group by incident_id, channel_id, event having count(*) > 1',
  );
  if (doubled.length > 0) problems.push(`${doubled.length} notifications queued twice for one incident, channel and event`);
  return problems;
}
