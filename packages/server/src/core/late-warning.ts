// The early "late" warning (healthchecks #377): the moment a check goes late (its beat is due, grace running),
// channels that opted in hear about it before the down alert. Going late stays no flip (see isFlip): this is a
// notification only, with no incident, sent once per late episode (the step from up or new into late).
import type { CheckState, Timing } from './types.js';
import { nextDeadline } from './deadline.js';

export interface LateWarning {
  /** The beat that did not come on time. */
  expected_at: number;
  /** When the check goes down unless it reports (the next miss it counts). */
  down_at: number;
}

/** The warning a deadline step from `prev` to `next` calls for, or null (not a step into late). */
export function lateWarningOf(timing: Timing, prev: CheckState, next: CheckState): LateWarning | null {
  if (next.status !== 'late' || (prev.status !== 'up' && prev.status !== 'new') || prev.expected_at == null) return null;
  const downAt = nextDeadline(timing, next);
  if (downAt == null) return null;
  return { expected_at: prev.expected_at, down_at: downAt };
}
