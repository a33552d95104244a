// Run rows: the open run a signal belongs to, and writes of runs the core created or changed.
import { ANOMALY_HISTORY_RUNS, type RunState, type RunResult } from '../core/index.js';
import type { Db } from './db.js';
import type { RunRow } from './schema.js';
import { prepared, placeholders } from './prepared.js';

export function runStateOf(row: RunRow): RunState {
  return {
    id: row.id,
    rid: row.rid,
    started_at: row.started_at,
    ended_at: row.ended_at,
    duration_ms: row.duration_ms,
    result: row.result as RunResult | null,
    exit_code: row.exit_code,
    progress: row.progress,
    last_message: row.last_message,
    deadline_at: row.deadline_at ?? null,
    rule_violation: row.rule_violation ?? null,
  };
}

const openRun = prepared<'check_id', RunRow>((db, p) =>
  db
    .selectFrom('runs')
    .selectAll()
    .where('check_id', '=', p('check_id'))
    .where('ended_at', 'is', null)
    .orderBy('started_at', 'desc')
    .limit(1),
);
const openRunWithRid = prepared<'check_id' | 'rid', RunRow>((db, p) =>
  db
    .selectFrom('runs')
    .selectAll()
    .where('check_id', '=', p('check_id'))
    .where('ended_at', 'is', null)
    .where('rid', '=', p('rid'))
    .orderBy('started_at', 'desc')
    .limit(1),
);
const RUN_COLUMNS = [
  'id',
  'check_id',
  'rid',
  'started_at',
  'ended_at',
  'duration_ms',
  'result',
  'exit_code',
  'progress',
  'last_message',
  'host',
] as const;
const insertRun = prepared<(typeof RUN_COLUMNS)[number]>((db, p) => db.insertInto('runs').values(placeholders(RUN_COLUMNS, p)));
type RunUpdate =
  'id' | 'ended_at' | 'duration_ms' | 'result' | 'exit_code' | 'progress' | 'last_message' | 'deadline_at' | 'rule_violation';
const updateRun = prepared<RunUpdate>((db, p) =>
  db
    .updateTable('runs')
    .set({
      ended_at: p('ended_at'),
      duration_ms: p('duration_ms'),
      result: p('result'),
      exit_code: p('exit_code'),
      progress: p('progress'),
      last_message: p('last_message'),
      deadline_at: p('deadline_at'),
      rule_violation: p('rule_violation'),
    })
    .where('id', '=', p('id')),
);
const recentSuccesses = prepared<'check_id', { duration_ms: number }>((db, p) =>
  db
    .selectFrom('runs')
    .select('duration_ms')
    .where('check_id', '=', p('check_id'))
    .where('result', '=', 'success')
    .where('duration_ms', 'is not', null)
    .orderBy('started_at', 'desc')
    .limit(ANOMALY_HISTORY_RUNS),
);

/** The open run with this rid, or (without a rid) the latest open run. */
export async function findOpenRun(db: Db, checkId: string, rid: string | null): Promise<RunRow | undefined> {
  const rows = rid == null ? await openRun(db, { check_id: checkId }) : await openRunWithRid(db, { check_id: checkId, rid });
  return rows[0];
}

export async function listOpenRuns(db: Db, checkId: string): Promise<RunRow[]> {
  return db.selectFrom('runs').selectAll().where('check_id', '=', checkId).where('ended_at', 'is', null).execute();
}

/** Inserts or updates a run the core produced; `isNew` says which. */
export async function saveRun(db: Db, checkId: string, run: RunState, isNew: boolean, host: string | null = null): Promise<void> {
  if (isNew) {
    await insertRun(db, { ...run, check_id: checkId, host });
    return;
  }
  await updateRun(db, { ...run, deadline_at: run.deadline_at ?? null, rule_violation: run.rule_violation ?? null });
}

/**
 * Durations of a check's latest successful runs, newest first: the history the duration anomaly rule learns from.
 * Read only for checks with that rule on, when a success closes a run (one walk of runs_check_started).
 */
export async function recentSuccessDurations(db: Db, checkId: string): Promise<number[]> {
  return (await recentSuccesses(db, { check_id: checkId })).map((r) => Number(r.duration_ms));
}

/** Closes every open run of a check as abandoned (the check was paused or resumed). */
export async function abandonOpenRuns(db: Db, checkId: string, now: number): Promise<void> {
  await db
    .updateTable('runs')
    .set((eb) => ({ ended_at: now, result: 'abandoned', duration_ms: eb(eb.val(now), '-', eb.ref('started_at')) }))
    .where('check_id', '=', checkId)
    .where('ended_at', 'is', null)
    .execute();
}

/** Runs of a check, newest first (open runs and runs with a start before runs without). */
export async function listRuns(db: Db, checkId: string, limit: number, before: number | null): Promise<RunRow[]> {
  let q = db.selectFrom('runs').selectAll().where('check_id', '=', checkId);
  if (before != null) q = q.where('started_at', '<', before);
  return q.orderBy('started_at', 'desc').orderBy('id').limit(limit).execute();
}

/** The latest open run of each of these checks (the one a dashboard shows as running). */
export async function currentRunsOf(db: Db, checkIds: string[]): Promise<Map<string, RunRow>> {
  const result = new Map<string, RunRow>();
  if (checkIds.length === 0) return result;
  const rows = await db.selectFrom('runs').selectAll().where('check_id', 'in', checkIds).where('ended_at', 'is', null).execute();
  for (const row of rows) {
    const seen = result.get(row.check_id);
    if (!seen || (row.started_at ?? 0) > (seen.started_at ?? 0)) result.set(row.check_id, row);
  }
  return result;
}

/** The host of each check's latest run (one index step per check), for checks that have runs. */
export async function lastHostsOf(db: Db, checkIds: string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (checkIds.length === 0) return result;
  const rows = await db
    .selectFrom('checks')
    .select((eb) => [
      'checks.id',
      eb
        .selectFrom('runs')
        .select('runs.host')
        .whereRef('runs.check_id', '=', 'checks.id')
        .where('runs.started_at', 'is not', null)
        .orderBy('runs.started_at', 'desc')
        .limit(1)
        .as('host'),
    ])
    .where('checks.id', 'in', checkIds)
    .execute();
  for (const row of rows) if (row.host) result.set(row.id, row.host);
  return result;
}
