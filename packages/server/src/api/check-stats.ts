// A check's history summed up: status periods over a range, and per-bucket counts (native stats, Pinghome statistic).
import { sql } from 'kysely';
import { expectedBeatsPerBucket, iso, uptime, DAY_MS } from '../core/index.js';
import type { Db } from '../store/db.js';
import type { CheckRow } from '../store/schema.js';
import { signalCountsInRange } from '../store/signals.js';
import { scheduleOf } from '../store/check-rows.js';
import { periodsOf } from '../checks/periods.js';
import { nextTurn } from '../next-turn.js';

export interface StatsBucket {
  at: string;
  /** Beats the schedule expected in the bucket. */
  expected: number;
  runs: number;
  /** Failure signals plus runs that timed out. */
  fails: number;
  completes: number;
  signals: number;
}

/** Range of schedule counted per event-loop turn: a minutely cron's year in one go would hold up pings meanwhile. */
const SPAN_PER_TURN_MS = 28 * DAY_MS;

/**
 * Beats expected per bucket, one pass over the range (from the check's creation) cut at bucket edges into spans of
 * about four weeks, a turn apart: the work is bounded by the answer's size and no turn is long.
 */
async function expectedBeatsInTurns(check: CheckRow, from: number, to: number, bucket: number): Promise<number[]> {
  const schedule = scheduleOf(check);
  const bucketsPerTurn = Math.max(1, Math.floor(SPAN_PER_TURN_MS / bucket));
  const counts: number[] = [];
  for (let start = from; start < to; start += bucketsPerTurn * bucket) {
    if (start > from) await nextTurn();
    counts.push(...expectedBeatsPerBucket(schedule, start, Math.min(to, start + bucketsPerTurn * bucket), bucket, check.created_at));
  }
  return counts;
}

/** Per-bucket counts over [from, to) and the uptime of that range. */
export async function checkStats(
  db: Db,
  check: CheckRow,
  from: number,
  to: number,
  bucket: number,
): Promise<{ buckets: StatsBucket[]; uptime: number | null }> {
  const signalCounts = new Map<number, { fails: number; completes: number; signals: number }>();
  for (const { bucket: b, kind, n } of await signalCountsInRange(db, check, from, to, bucket)) {
    const counts = signalCounts.get(b) ?? { fails: 0, completes: 0, signals: 0 };
    counts.signals += n;
    if (kind === 'fail') counts.fails += n;
    if (kind === 'success') counts.completes += n;
    signalCounts.set(b, counts);
  }
  const runRows = await db
    .selectFrom('runs')
    .select([sql<number>`cast((started_at - ${from}) / ${bucket} as bigint)`.as('b'), sql<number>`count(*)`.as('runs')])
    .where('check_id', '=', check.id)
    .where('started_at', '>=', from)
    .where('started_at', '<', to)
    .groupBy('b')
    .execute();
  const timeoutRows = await db
    .selectFrom('runs')
    .select([sql<number>`cast((ended_at - ${from}) / ${bucket} as bigint)`.as('b'), sql<number>`count(*)`.as('n')])
    .where('check_id', '=', check.id)
    .where('result', '=', 'timeout')
    .where('ended_at', '>=', from)
    .where('ended_at', '<', to)
    .groupBy('b')
    .execute();
  const runCounts = new Map(runRows.map((r) => [Number(r.b), Number(r.runs)]));
  const timeouts = new Map(timeoutRows.map((r) => [Number(r.b), Number(r.n)]));
  const expected = await expectedBeatsInTurns(check, from, to, bucket);
  const buckets: StatsBucket[] = [];
  for (let start = from, i = 0; start < to; start += bucket, i += 1) {
    const s = signalCounts.get(i);
    buckets.push({
      at: iso(start)!,
      expected: expected[i],
      runs: runCounts.get(i) ?? 0,
      fails: (s?.fails ?? 0) + (timeouts.get(i) ?? 0),
      completes: s?.completes ?? 0,
      signals: s?.signals ?? 0,
    });
  }
  return { buckets, uptime: uptime(await periodsOf(db, check, from, to)) };
}
