// Why a check will not alert for a while: a maintenance window covers it, or someone snoozed it.
import type { Check } from '../api/types';
import { absolute } from './time';

/** The quiet a check is in now, or null: a snooze first (it is a pause), else a maintenance window. */
export function quietOf(
  check: Pick<Check, 'status' | 'snoozed_until' | 'maintenance_until'>,
): { kind: 'snoozed' | 'maintenance'; until: string } | null {
  if (check.status === 'paused' && check.snoozed_until) return { kind: 'snoozed', until: check.snoozed_until };
  if (check.maintenance_until) return { kind: 'maintenance', until: check.maintenance_until };
  return null;
}

/** "snoozed until Mar 4, 14:30" / "in maintenance until Mar 4, 03:00", or null. */
export function quietText(check: Pick<Check, 'status' | 'snoozed_until' | 'maintenance_until'>): string | null {
  const quiet = quietOf(check);
  if (!quiet) return null;
  return `${quiet.kind === 'snoozed' ? 'snoozed' : 'in maintenance'} until ${absolute(quiet.until, false)}`;
}
