// Quorum of hosts (healthchecks #688): with `quorum_hosts` N, a beat is complete only when N distinct hosts have
// reported success for it; a period that ends with fewer is a missed beat whose reason names who reported.
//
// Periods are the schedule's expected beats, on a fixed grid: the beat expected at E collects the successes that
// arrive while the check waits for it (after the previous beat's period closed, up to E + grace), and closes at
// E + grace. Interval: E, E + period, E + 2 periods, … (the grid starts at the first success when nothing was
// expected yet); cron/OnCalendar: between ticks, the first success counting toward the tick whose grace it falls in.
// A success from a host of a beat already complete, still within that beat's grace, is counted there, not in the
// next period. Successes below the quorum move nothing (the beat is not there yet); failures count as usual.
import type { CheckState, QuorumPeriod, Timing } from './types.js';
import { graceMs, nextTick } from './schedule.js';

export const quorumOn = (timing: Timing): boolean => timing.quorum_hosts != null;

/** The largest quorum a check may ask for. */
export const MAX_QUORUM_HOSTS = 100;
/** Hosts remembered for one period (a bound on the row; far more than any quorum). */
const MAX_HOSTS_KEPT = 200;
/** What a success that names no host counts as: one more reporter, nameless. */
export const UNNAMED_HOST = '(no host)';

/** The beat a quorum check's success counts toward when nothing is expected yet. */
export function firstPeriodAt(timing: Timing, at: number): number {
  if (timing.schedule.kind === 'interval') return at;
  return nextTick(timing.schedule, at - graceMs(timing, at) - 1);
}

export interface QuorumStep {
  /** The period the success was counted in, as it is now. */
  period: QuorumPeriod;
  /** Whether this success completed the beat the check waits for (it is then a beat like any success). */
  complete: boolean;
}

/** What one success from `host` at `at` does to a quorum check's period. */
export function countQuorumSuccess(timing: Timing, state: CheckState, host: string | null | undefined, at: number): QuorumStep {
  const name = host?.trim() || UNNAMED_HOST;
  const waiting = state.expected_at ?? firstPeriodAt(timing, at);
  const current = state.quorum_period ?? null;
  const inCurrent = current != null && (current.at === waiting || at <= current.at + graceMs(timing, current.at));
  const base: QuorumPeriod = inCurrent ? current : { at: waiting, hosts: [] };
  const hosts = base.hosts.includes(name) || base.hosts.length >= MAX_HOSTS_KEPT ? base.hosts : [...base.hosts, name];
  const period = { at: base.at, hosts };
  const complete = period.at === waiting && hosts.length >= timing.quorum_hosts! && base.hosts.length < timing.quorum_hosts!;
  return { period, complete };
}

/** Where a quorum check expects its next beat after a complete one: the next point of its grid. */
export function nextQuorumBeat(timing: Timing, period: QuorumPeriod): number {
  return nextTick(timing.schedule, period.at);
}

function names(list: string[]): string {
  const shown = list.slice(0, 10).join(', ');
  return list.length > 10 ? `${shown} and ${list.length - 10} more` : shown;
}

/** "02:00" in the schedule's time zone (UTC for intervals): how people name a run. */
function clockOf(timing: Timing, at: number): string {
  const tz = timing.schedule.kind === 'interval' ? 'UTC' : timing.schedule.tz;
  try {
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz }).format(at);
  } catch {
    return new Date(at).toISOString().slice(11, 16);
  }
}

/**
 * Why a quorum period failed: "2 of 3 hosts reported in the 02:00 run: web1, web2; web3 did not". `knownHosts` are
 * the hosts the check has ever heard from (to name who is missing). Null when no host reported at all: that is a
 * plain missed beat, and its usual reason says so.
 */
export function quorumMissReason(
  timing: Timing,
  period: QuorumPeriod | null | undefined,
  missedAt: number,
  knownHosts: string[],
): string | null {
  if (!period || period.at !== missedAt || period.hosts.length === 0) return null;
  const wanted = timing.quorum_hosts!;
  const reported = [...period.hosts].sort();
  const missing = [...new Set(knownHosts)].filter((h) => !period.hosts.includes(h)).sort();
  const absent = missing.length > 0 ? `${names(missing)} did not` : `${wanted - reported.length} more needed`;
  return `${reported.length} of ${wanted} hosts reported in the ${clockOf(timing, missedAt)} run: ${names(reported)}; ${absent}`;
}
