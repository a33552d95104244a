// What the check page shows of the run-shape rules: the running run's current deadline, the rules in force, and a
// run that reported success but counted as a failure (with the rule's reason).
import type { Check, CurrentRun, Run } from '../api/types';
import { absolute, relative, seconds } from '../format/time';

/** "Times out 14:10:00 (in 9 min) unless it ends or reports progress": where the scheduler will end this run. */
export function RunDeadline({ check, run, now }: { check: Check; run: CurrentRun; now: number }) {
  if (!run.deadline_at) return null;
  const unless = check.extend_on_progress ? 'unless it ends or reports progress' : 'unless it ends';
  return (
    <p class="small muted" data-testid="run-deadline" style={{ marginTop: '6px' }}>
      Times out {absolute(run.deadline_at)} ({relative(run.deadline_at, now)}) {unless}.
    </p>
  );
}

/** The run-shape rules a check has on, in words; nothing when none is. */
export function RunShapeFacts({ check }: { check: Check }) {
  const rules: string[] = [];
  if (check.min_runtime_s != null) rules.push(`runs shorter than ${seconds(check.min_runtime_s)} fail`);
  if (check.early_tolerance_s != null) rules.push(`a success more than ${seconds(check.early_tolerance_s)} early fails`);
  if (check.duration_anomaly_factor != null) rules.push(`runs over ${check.duration_anomaly_factor} × their usual p95 fail`);
  if (check.extend_on_progress) rules.push('progress extends a running run');
  if (rules.length === 0) return null;
  return (
    <div class="wide" data-testid="run-shape-facts">
      <dt>Run shape</dt>
      <dd>{rules.join(' · ')}</dd>
    </div>
  );
}

/** Beside a run's result: it reported success but broke a rule, so it counted as a failure. */
export function RuleViolation({ run }: { run: Run }) {
  if (!run.rule_violation) return null;
  return (
    <span class="small c-down" data-testid="rule-violation" title={run.rule_violation}>
      {' '}
      · counted as a failure: {run.rule_violation}
    </span>
  );
}
