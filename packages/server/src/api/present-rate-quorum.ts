// The failure-rate and quorum fields of a presented check: settings, and the state that explains them.
import { iso, recentFailures } from '../core/index.js';
import type { CheckRow } from '../store/schema.js';
import { stateOf, timingOf } from '../store/check-rows.js';

export function presentRateAndQuorum(row: CheckRow) {
  const timing = timingOf(row);
  const period = row.quorum_hosts != null ? stateOf(row).quorum_period : null;
  return {
    failure_rate_count: row.failure_rate_count ?? null,
    failure_rate_window: row.failure_rate_window ?? null,
    recent_failures: row.failure_rate_window != null ? recentFailures(timing, row.recent_outcomes) : null,
    quorum_hosts: row.quorum_hosts ?? null,
    quorum_period: period ? { expected_at: iso(period.at)!, hosts: period.hosts } : null,
  };
}
