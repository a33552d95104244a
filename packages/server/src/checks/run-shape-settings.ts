// Validation of the run-shape settings (core/run-shape.ts), with messages a person can act on.
import type { Timing } from '../core/index.js';
import { badRequest } from '../errors.js';
import { checkNumberLimit } from './limits.js';

export interface RunShapeInput {
  min_runtime_s?: number | null;
  early_tolerance_s?: number | null;
  duration_anomaly_factor?: number | null;
  extend_on_progress?: boolean;
}

/** Each run-shape field on its own (a 400 naming the first wrong one). */
export function validateRunShapeInput(input: RunShapeInput): void {
  checkNumberLimit('min_runtime_s', input.min_runtime_s, 'no minimum run time');
  checkNumberLimit('early_tolerance_s', input.early_tolerance_s, 'no check for runs that come too often');
  checkNumberLimit('duration_anomaly_factor', input.duration_anomaly_factor, 'no duration anomaly check');
  if (input.extend_on_progress != null && typeof input.extend_on_progress !== 'boolean') {
    throw badRequest('invalid_field', `extend_on_progress must be true or false; got ${JSON.stringify(input.extend_on_progress)}.`);
  }
}

/** The run-shape settings of an input laid over an existing timing. */
export function mergeRunShape(input: RunShapeInput, base: Timing | null): Pick<Timing, keyof RunShapeInput> {
  const pick = <K extends keyof RunShapeInput>(k: K) => (input[k] !== undefined ? input[k] : base?.[k]);
  return {
    min_runtime_s: pick('min_runtime_s') ?? null,
    early_tolerance_s: pick('early_tolerance_s') ?? null,
    duration_anomaly_factor: pick('duration_anomaly_factor') ?? null,
    extend_on_progress: pick('extend_on_progress') ?? false,
  };
}

/** Rules across fields, on the timing a change would leave: settings that could never all hold, or never fire. */
export function checkRunShape(timing: Timing): void {
  const { min_runtime_s: min, max_runtime_s: max, early_tolerance_s: tolerance, schedule } = timing;
  if (min != null && max != null && min >= max) {
    throw badRequest(
      'invalid_field',
      `min_runtime_s (${min}) must be less than max_runtime_s (${max}): no run could be both long enough and finish in time. Lower min_runtime_s or raise max_runtime_s.`,
    );
  }
  if (tolerance != null && schedule.kind === 'interval' && tolerance >= schedule.period_s) {
    throw badRequest(
      'invalid_field',
      `early_tolerance_s (${tolerance}) must be less than the period (${schedule.period_s} s), or no success could ever come too early; lower it, or set it to null to turn the rule off.`,
    );
  }
}
