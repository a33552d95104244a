// A check's status as a coloured badge with its word (never colour alone), and the running overlay.
import type { Check, Status } from '../api/types';

export const STATUS_LABEL: Record<Status, string> = { up: 'Up', late: 'Late', down: 'Down', new: 'New', paused: 'Paused' };

export function StatusBadge({ check, large }: { check: Pick<Check, 'status' | 'running' | 'degraded'>; large?: boolean }) {
  const running = check.running && check.status !== 'paused';
  const label = running ? 'Running' : check.degraded && check.status === 'up' ? 'Degraded' : (STATUS_LABEL[check.status] ?? check.status);
  const kind = running ? 'running' : check.degraded && check.status === 'up' ? 'late' : check.status;
  return (
    <span
      class={`badge ${kind}${large ? ' large' : ''}`}
      data-status={check.status}
      title={running ? `${STATUS_LABEL[check.status]}, a run is in progress` : undefined}
    >
      {label}
    </span>
  );
}

/** A progress bar: a percentage when the job reports one, an indeterminate bar otherwise. */
export function ProgressBar({ value, label }: { value: number | null; label: string }) {
  if (value == null) {
    return (
      <span class="progress indeterminate" role="progressbar" aria-label={label}>
        <span />
      </span>
    );
  }
  const pct = Math.max(0, Math.min(100, value));
  return (
    <span class="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
      <span style={{ width: `${pct}%` }} />
    </span>
  );
}
