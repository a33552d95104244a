// A fake world for the pure core: a check, a scheduler that wakes at nextDeadline, and a job that sends
// signals. The clock is a number this file moves by hand; nothing here reads the real time.
import {
  ANOMALY_HISTORY_RUNS,
  applyDeadline,
  applySignal,
  initialState,
  lateWarningOf,
  needsDurationHistory,
  nextDeadline,
  pause,
  resume,
  retime,
  type CheckState,
  type LateWarning,
  type Flip,
  type RunState,
  type SignalEvent,
  type SignalKind,
  type Timing,
} from '../../src/core/index.js';

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** Epoch ms of an ISO 8601 instant; always write the offset (Z or +02:00) so the test reads unambiguously. */
export function t(isoWithOffset: string): number {
  if (!/(Z|[+-]\d\d:\d\d)$/.test(isoWithOffset)) throw new Error(`give ${isoWithOffset} an explicit offset`);
  return Date.parse(isoWithOffset);
}

export function iso(ms: number | null): string | null {
  return ms == null ? null : new Date(ms).toISOString();
}

/** Every five minutes with one minute of grace, one failure to go down, one success to come back. */
export function timing(over: Partial<Timing> = {}): Timing {
  return {
    schedule: { kind: 'interval', period_s: 300 },
    grace_s: 60,
    grace_multiplier: null,
    max_runtime_s: null,
    failure_threshold: 1,
    recovery_threshold: 1,
    manual_resume: false,
    alert_before_first_ping: false,
    ...over,
  };
}

export function cron(expr: string, tz: string, over: Partial<Timing> = {}): Timing {
  return timing({ schedule: { kind: 'cron', expr, tz }, ...over });
}

export type SignalOptions = Partial<Omit<SignalEvent, 'kind' | 'at'>>;

export function signal(kind: SignalKind, at: number, over: SignalOptions = {}): SignalEvent {
  return { kind, at, exit_code: null, progress: null, message: null, degraded: false, rid: null, ...over };
}

/**
 * One check living through fake time. `advanceTo` behaves as the scheduler does: it wakes at each
 * nextDeadline in turn and applies applyDeadline there. `jumpTo` is a scheduler that slept through
 * everything (a clock leap): one applyDeadline at the new time.
 */
export class World {
  state: CheckState;
  now: number;
  readonly flips: Flip[] = [];
  /** Every status change, late included (late is not a flip, but the tests watch when it happens). */
  readonly changes: Array<{ at: number; from: CheckState['status']; to: CheckState['status'] }> = [];
  /** Every run the check ever had, by id, in creation order. */
  readonly runs = new Map<string, RunState>();
  /** The times the scheduler woke up for this check. */
  readonly wakeups: number[] = [];
  /** Hosts the check has heard from (the store's check_hosts), for quorum reasons. */
  knownHosts: string[] = [];
  /** Early "late" warnings the scheduler would queue for channels that opted in. */
  readonly lateWarnings: LateWarning[] = [];
  private seq = 0;

  constructor(
    public timing: Timing,
    createdAt: number,
  ) {
    this.now = createdAt;
    this.state = initialState(timing, createdAt);
  }

  get status() {
    return this.state.status;
  }

  get lastFlip(): Flip | undefined {
    return this.flips[this.flips.length - 1];
  }

  openRuns(): RunState[] {
    return [...this.runs.values()].filter((r) => r.ended_at == null);
  }

  run(id: string): RunState {
    const run = this.runs.get(id);
    if (!run) throw new Error(`no run ${id}`);
    return run;
  }

  /** What the store does: with a rid, the open run with that rid; without, the latest open run. */
  private match(rid: string | null): RunState | null {
    const open = this.openRuns().filter((r) => rid == null || r.rid === rid);
    open.sort((a, b) => (b.started_at ?? 0) - (a.started_at ?? 0));
    return open[0] ?? null;
  }

  /** The job tells us something, now (or at `at`, after the scheduler has caught up to it). */
  send(kind: SignalKind, over: SignalOptions = {}, at = this.now) {
    this.advanceTo(at);
    const sig = signal(kind, at, over);
    const newRunId = `run-${this.seq + 1}`;
    const outcome = applySignal(this.timing, this.state, sig, this.match(sig.rid), newRunId, this.history(kind));
    if (outcome.runs.some((r) => r.id === newRunId)) this.seq += 1;
    this.setState(outcome.state, at);
    for (const run of outcome.runs) this.runs.set(run.id, run);
    if (outcome.flip) this.flips.push(outcome.flip);
    return outcome;
  }

  /** What the store reads for the duration anomaly rule: the latest successful runs' durations, newest first. */
  private history(kind: SignalKind): number[] | null {
    if (kind !== 'success' || !needsDurationHistory(this.timing)) return null;
    const done = [...this.runs.values()].filter((r) => r.result === 'success' && r.duration_ms != null);
    return done
      .sort((a, b) => b.started_at! - a.started_at!)
      .slice(0, ANOMALY_HISTORY_RUNS)
      .map((r) => r.duration_ms!);
  }

  deadline(): number | null {
    return nextDeadline(this.timing, this.state);
  }

  /** Lets time pass until `until`, waking at every deadline on the way, like the scheduler. */
  advanceTo(until: number): void {
    if (until < this.now) throw new Error(`time runs forward: ${iso(until)} < ${iso(this.now)}`);
    for (let d = this.deadline(); d != null && d <= until; d = this.deadline()) {
      this.wake(Math.max(d, this.now));
      // The scheduler's invariant: applying a deadline always moves the next one past it.
      const next = this.deadline();
      if (next != null && next <= this.now) throw new Error(`deadline did not move past ${iso(this.now)}`);
    }
    this.now = until;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.now + ms);
  }

  /** The scheduler slept (or the clock leapt) and wakes once at `to`. */
  jumpTo(to: number): void {
    this.wake(to);
  }

  private wake(at: number): void {
    this.now = at;
    this.wakeups.push(at);
    const outcome = applyDeadline(this.timing, this.state, this.openRuns(), at, this.knownHosts);
    const late = lateWarningOf(this.timing, this.state, outcome.state);
    if (late) this.lateWarnings.push(late);
    this.setState(outcome.state, at);
    for (const run of outcome.timedOut) this.runs.set(run.id, run);
    if (outcome.flip) this.flips.push(outcome.flip);
  }

  private setState(next: CheckState, at: number): void {
    if (next.status !== this.state.status) this.changes.push({ at, from: this.state.status, to: next.status });
    this.state = next;
  }

  /** As the store does when pausing or resuming drops open_runs to zero: open runs are closed as abandoned. */
  private abandonRunsIfDropped(before: CheckState): void {
    if (before.open_runs === 0 || this.state.open_runs > 0) return;
    for (const run of this.openRuns())
      this.runs.set(run.id, { ...run, ended_at: this.now, duration_ms: this.now - run.started_at!, result: 'abandoned' });
  }

  pause(): Flip | null {
    const before = this.state;
    const { state, flip } = pause(this.state, this.now);
    this.setState(state, this.now);
    this.abandonRunsIfDropped(before);
    if (flip) this.flips.push(flip);
    return flip;
  }

  resume(): Flip | null {
    const before = this.state;
    const { state, flip } = resume(this.timing, this.state, this.now);
    this.setState(state, this.now);
    this.abandonRunsIfDropped(before);
    if (flip) this.flips.push(flip);
    return flip;
  }

  retime(next: Timing): Flip | null {
    this.timing = next;
    const { state, flip } = retime(next, this.state, this.now);
    this.setState(state, this.now);
    if (flip) this.flips.push(flip);
    return flip;
  }

  /** The flips as "<UTC time> from→to [alert]" lines: short enough to compare a whole story at once. */
  story(): string[] {
    return this.flips.map((f) => `${iso(f.at)} ${f.from}→${f.to}${f.alert ? ` [${f.alert}]` : ''}`);
  }
}
