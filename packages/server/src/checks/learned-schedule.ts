// Learned schedules (docs/api.md "Learned schedules"): a check a ping created proposes the schedule its first beats
// suggest, computed when it is presented (never on the ingest path), for checks whose proposal is still pending.
import { proposeSchedule, sameSchedule, type ScheduleProposal } from '../core/learned-schedule.js';
import { conflict } from '../errors.js';
import type { Db } from '../store/db.js';
import type { CheckRow } from '../store/schema.js';
import { listSignals } from '../store/signals.js';
import { scheduleOf } from '../store/check-rows.js';
import { changeCheck, type CheckOps } from './operations.js';

/** Signals read back to find beats: a few more than the beats used, since starts and logs are among them. */
const SIGNALS_READ = 30;
/** Beats a proposal rests on at most: the latest, so a job that changed its rhythm is read as it is now. */
const BEATS_USED = 12;

/**
 * Proposals already computed, by check, newest signal and schedule: a proposal changes only when a signal arrives or
 * the schedule does, so lists and live updates read the chain once per new signal, not once per presentation.
 */
const computed = new Map<string, ScheduleProposal | null>();
const CACHE_MAX = 10_000;

/** The proposal of one check, or null (none pending, not enough evidence, or it says what the check already does). */
export async function proposalOf(db: Db, row: CheckRow): Promise<ScheduleProposal | null> {
  if (row.schedule_proposal !== 'pending' || row.signal_count < 4) return null;
  const key = `${row.id}:${row.last_signal_id}:${row.schedule_kind}:${row.period_s}:${row.cron_expr}:${row.tz}`;
  if (computed.has(key)) return computed.get(key)!;
  const proposal = await computeProposal(db, row);
  if (computed.size >= CACHE_MAX) computed.clear();
  computed.set(key, proposal);
  return proposal;
}

async function computeProposal(db: Db, row: CheckRow): Promise<ScheduleProposal | null> {
  const signals = await listSignals(db, row, SIGNALS_READ, null, undefined, 'none');
  const beats = signals
    .filter((s) => s.kind === 'success' || s.kind === 'fail')
    .slice(0, BEATS_USED)
    .map((s) => Number(s.at));
  const current = scheduleOf(row);
  const proposal = proposeSchedule(beats, current.kind === 'interval' ? 'UTC' : current.tz);
  return proposal && !sameSchedule(proposal.schedule, current) ? proposal : null;
}

/** Proposals of the checks among `rows` that have one: one read per pending check, nothing for the others. */
export async function proposalsOf(db: Db, rows: CheckRow[]): Promise<Map<string, ScheduleProposal>> {
  const result = new Map<string, ScheduleProposal>();
  for (const row of rows) {
    if (row.schedule_proposal !== 'pending') continue;
    const proposal = await proposalOf(db, row);
    if (proposal) result.set(row.id, proposal);
  }
  return result;
}

/** Sets the proposed schedule (re-timing the check as any schedule change does) and ends the proposal. */
export async function acceptProposal(ops: CheckOps, row: CheckRow, now: number): Promise<CheckRow> {
  const proposal = await proposalOf(ops.db, row);
  if (!proposal) {
    throw conflict(
      'no_proposed_schedule',
      row.schedule_proposal === 'pending'
        ? 'This check has no schedule to propose yet: it needs at least 4 pings at a regular rhythm. Set its schedule by hand, or wait for more pings.'
        : 'This check has no proposed schedule (only checks created by a ping propose one, until it is accepted or dismissed); set its schedule with PATCH /api/v1/checks/{id}.',
    );
  }
  const next = await changeCheck(ops, row, { schedule: proposal.schedule }, now);
  await ops.db.updateTable('checks').set({ schedule_proposal: 'accepted' }).where('id', '=', row.id).execute();
  return { ...next, schedule_proposal: 'accepted' };
}

/** Stops proposing a schedule for this check. */
export async function dismissProposal(db: Db, row: CheckRow): Promise<CheckRow> {
  if (row.schedule_proposal !== 'pending')
    throw conflict(
      'no_proposed_schedule',
      'This check proposes no schedule (it was not created by a ping, or its proposal was accepted or dismissed), so there is nothing to dismiss.',
    );
  await db.updateTable('checks').set({ schedule_proposal: 'dismissed' }).where('id', '=', row.id).execute();
  return { ...row, schedule_proposal: 'dismissed' };
}
