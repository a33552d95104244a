// One row of the checks list: status, name with project and service, what is happening now, and the numbers.
import type { Check } from '../api/types';
import { Link } from '../router';
import { StatusBadge, ProgressBar } from '../components/status';
import { absolute, count, duration, elapsed, relative } from '../format/time';
import { scheduleInWords } from '../format/schedule';
import { quietText } from '../format/quiet';

export const ROW_HEIGHT = 64;
export const ROW_HEIGHT_NARROW = 72;
export const GROUP_HEIGHT = 40;

export function whereOf(check: Pick<Check, 'project' | 'service'>): string {
  return [check.project, check.service?.name].filter(Boolean).join(' › ');
}

/** The second line: a live progress bar while running, else tags and the last message. */
function NowLine({ check, now, slug }: { check: Check; now: number; slug: boolean }) {
  const run = check.current_run;
  if (check.running && run) {
    return (
      <span class="line2" data-running="true">
        <ProgressBar value={run.progress} label={`Progress of ${check.name}`} />
        {run.progress != null && <span class="num c-running">{run.progress}%</span>}
        <span class="truncate msg">{run.last_message ?? 'Running'}</span>
        <span class="num" title="elapsed">
          {elapsed(run.started_at, now)}
        </span>
      </span>
    );
  }
  const message = currentMessage(check);
  return (
    <span class="line2">
      {slug && <span class="mono show-sm">{check.slug}</span>}
      {check.tags.slice(0, 3).map((t) => (
        <span key={t} class="tag">
          {t}
        </span>
      ))}
      <span class={`truncate${message ? ` c-${check.status}` : ''}`}>{message ?? check.description}</span>
    </span>
  );
}

/**
 * The last message, where it says something about now: on a check that is down or late (it likely explains why).
 * A healthy check shows its description instead, so an old error does not sit beside "Up" (the check page lists
 * every message with its time).
 */
export function currentMessage(check: Pick<Check, 'status' | 'last_message'>): string | null {
  return check.status === 'down' || check.status === 'late' ? check.last_message : null;
}

/** "Next expected" as it reads for the check's status: nothing while paused, "overdue" while down (the schedule's
 * next beat keeps moving on while nothing arrives, and a ticking countdown on a down check misleads). */
export function nextExpected(check: Pick<Check, 'status' | 'next_expected'>, now: number, paused = '—'): string {
  const quiet = quietText(check);
  if (quiet) return quiet;
  if (check.status === 'paused') return paused;
  if (check.status === 'down') return 'overdue';
  return relative(check.next_expected, now);
}

/** `showSlug`: other checks have the same name, so the slug tells them apart. */
export function CheckRow({ check, now, showSlug = false }: { check: Check; now: number; showSlug?: boolean }) {
  const where = whereOf(check);
  return (
    <Link
      class="check-row"
      href={`/checks/${check.id}`}
      data-check={check.id}
      aria-label={`${check.name}${showSlug ? ` (${check.slug})` : ''}, ${check.running ? 'running' : check.status}`}
    >
      <span>
        <StatusBadge check={check} />
      </span>
      <span class="cell">
        <span class="name-line">
          <span class="name truncate">{check.name}</span>
          {showSlug && (
            <span class="mono xs muted hide-sm" data-testid="slug">
              {check.slug}
            </span>
          )}
          {where && <span class="muted small truncate hide-sm">{where}</span>}
        </span>
        <NowLine check={check} now={now} slug={showSlug} />
      </span>
      <span class="cell truncate hide-sm" title={check.schedule.kind !== 'interval' ? check.schedule.expr : undefined}>
        {scheduleInWords(check.schedule)}
      </span>
      <span class="cell" title={absolute(check.last_signal_at)}>
        {relative(check.last_signal_at, now)}
      </span>
      <span class={`cell hide-sm${check.status === 'down' ? ' c-down' : ''}`} title={absolute(check.next_expected)}>
        {nextExpected(check, now)}
      </span>
      <span class="cell r hide-sm">{duration(check.last_duration_ms)}</span>
      <span class="cell r hide-sm">{count(check.run_count)}</span>
    </Link>
  );
}

export function ListHead() {
  return (
    <div class="list-head" aria-hidden="true">
      <span>Status</span>
      <span>Check</span>
      <span>Schedule</span>
      <span>Last signal</span>
      <span>Next expected</span>
      <span class="r">Duration</span>
      <span class="r">Runs</span>
    </div>
  );
}
