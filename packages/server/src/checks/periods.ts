// A check's status periods over a range, read from its flips: what timelines, stats and status pages draw.
import { timeline, type Period, type Status } from '../core/index.js';
import type { Db } from '../store/db.js';
import type { CheckRow } from '../store/schema.js';
import { flipsOfChecksInRange, statusesBefore } from '../store/flips.js';

/** Periods covering [max(from, created_at), to); the status at the start is the last flip before it (else new). */
export async function periodsOf(db: Db, check: Pick<CheckRow, 'id' | 'created_at'>, from: number, to: number): Promise<Period[]> {
  return (await periodsOfMany(db, [check], from, to)).get(check.id)!;
}

/** The periods of several checks in two queries (a status page's rows, or one check's timeline), keyed by check id. */
export async function periodsOfMany(
  db: Db,
  checks: Array<Pick<CheckRow, 'id' | 'created_at'>>,
  from: number,
  to: number,
): Promise<Map<string, Period[]>> {
  const ids = checks.map((c) => c.id);
  const before = await statusesBefore(db, ids, from);
  const flips = new Map<string, Array<{ at: number; to: Status }>>();
  for (const f of await flipsOfChecksInRange(db, ids, from, to)) {
    const list = flips.get(f.check_id) ?? [];
    list.push({ at: f.at, to: f.to_status as Status });
    flips.set(f.check_id, list);
  }
  const periods = new Map<string, Period[]>();
  for (const check of checks) {
    const start = Math.max(from, check.created_at);
    if (start >= to) {
      periods.set(check.id, []);
      continue;
    }
    // A check created within the range starts later than `from`: flips before its start set its first status.
    let status = (before.get(check.id) ?? 'new') as Status;
    const inRange = [];
    for (const flip of flips.get(check.id) ?? []) {
      if (flip.at < start) status = flip.to;
      else inRange.push(flip);
    }
    periods.set(check.id, timeline(status, inRange, start, to));
  }
  return periods;
}
