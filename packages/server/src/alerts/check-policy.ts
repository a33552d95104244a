// A check's alert policy (cooldown, reminders) as the core's alert-policy functions take it.
import type { AlertPolicy } from '../core/index.js';
import type { CheckRow } from '../store/schema.js';

/** The cooldown and reminder interval a check's settings ask for, in milliseconds (null when off). */
export function policyOf(check: Pick<CheckRow, 'cooldown_s' | 'realert_s'>): AlertPolicy {
  return { cooldown_ms: check.cooldown_s ? check.cooldown_s * 1000 : null, realert_ms: check.realert_s ? check.realert_s * 1000 : null };
}
