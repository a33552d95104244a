// On the check page: where the failure-rate and quorum rules stand now, so the reason a check is (or soon will be)
// down can be read without counting runs. Nothing when neither rule is set.
import type { Check } from '../api/types';
import { absolute } from '../format/time';

export function RateQuorumNow({ check }: { check: Check }) {
  const rate = check.failure_rate_count != null && check.failure_rate_window != null ? check.recent_failures : null;
  const quorum = check.quorum_hosts ?? null;
  if (!rate && quorum == null) return null;
  const period = check.quorum_period;
  return (
    <dl class="facts" data-testid="rate-quorum">
      {rate && (
        <div class="wide">
          <dt>Failure rate</dt>
          <dd>
            {rate.failed} of the last {rate.of} runs failed
            <div class="small muted">
              down at {check.failure_rate_count} of {check.failure_rate_window}
              {rate.failed >= check.failure_rate_count! ? ' (reached)' : ''}
            </div>
          </dd>
        </div>
      )}
      {quorum != null && (
        <div class="wide">
          <dt>Quorum</dt>
          <dd>
            {period ? `${period.hosts.length} of ${quorum} hosts reported` : `no host reported yet (${quorum} needed)`}
            {period && (
              <div class="small muted" title={absolute(period.expected_at)}>
                for the run expected {absolute(period.expected_at)}
                {period.hosts.length ? `: ${period.hosts.join(', ')}` : ''}
              </div>
            )}
          </dd>
        </div>
      )}
    </dl>
  );
}
