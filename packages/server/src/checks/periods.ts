// A check's status periods over a range, read from its flips: what timelines, stats and status pages draw.
import { timeline, type Period, type Status } from '../core/index.js';
import type { Db } from '../store/checks.js';
import type { CheckRow } from '../store/schema.js';
import { flipBefore, listFlips } from '../store/flips.js';

/** Periods covering [max(from, created_at), to); the status at the start is the last flip before it (else new). */
export async function periodsOf(db: Db, check: Pick<CheckRow, 'id' | 'created_at'>, from: number, to: number): Promise<Period[]> {
  const start = Math.max(from, check.created_at);
  if (start >= to) return [];
  const before = await flipBefore(db, check.id, start);
  const flips = (await listFlips(db, check.id, 10_000, start, to)).reverse();
  return timeline((before?.to_status ?? 'new') as Status, flips.map((f) => ({ at: f.at, to: f.to_status as Status })), start, to);
}
