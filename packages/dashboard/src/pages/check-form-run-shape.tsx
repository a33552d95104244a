// The check form's run-shape rules: a run that finishes too fast, successes that come too often, a run far longer than
// usual, and progress that keeps a long run alive. Its own fieldset; empty fields leave a rule off.
import type { Check } from '../api/types';
import { Field } from '../components/ui';
import { DurationInput, seconds, split, type DurationValue } from './duration-input';

export interface RunShapeSettings {
  minRuntime: DurationValue;
  earlyTolerance: DurationValue;
  anomalyFactor: string;
  extendOnProgress: boolean;
}

/** The form's values for a check (or a new one: every rule off). */
export function runShapeOf(check: Check | null): RunShapeSettings {
  return {
    minRuntime: split(check?.min_runtime_s),
    earlyTolerance: split(check?.early_tolerance_s),
    anomalyFactor: check?.duration_anomaly_factor != null ? String(check.duration_anomaly_factor) : '',
    extendOnProgress: check?.extend_on_progress ?? false,
  };
}

/** The API fields of the form's values; an empty field is null (off). A tolerance of 0 is a rule with no slack, not off. */
export function runShapeBody(v: RunShapeSettings) {
  return {
    min_runtime_s: seconds(v.minRuntime) || null,
    early_tolerance_s: seconds(v.earlyTolerance),
    duration_anomaly_factor: v.anomalyFactor.trim() === '' ? null : Number(v.anomalyFactor),
    extend_on_progress: v.extendOnProgress,
  };
}

export function RunShapeFieldset({ value, onChange }: { value: RunShapeSettings; onChange(value: RunShapeSettings): void }) {
  return (
    <fieldset>
      <legend>Run shape</legend>
      <div class="form-grid">
        <DurationInput
          label="Minimum run time"
          hint="A run that ends in success sooner than this counts as a failure (finished too fast). Empty: off."
          value={value.minRuntime}
          onChange={(minRuntime) => onChange({ ...value, minRuntime })}
          optional
        />
        <DurationInput
          label="Too-frequent tolerance"
          hint="A success sooner than the period minus this after the last one (cron: a second success before the next tick) counts as a failure. Empty: off."
          value={value.earlyTolerance}
          onChange={(earlyTolerance) => onChange({ ...value, earlyTolerance })}
          optional
        />
        <Field
          label="Duration anomaly factor"
          hint="A run longer than this × the usual (p95 of its last 20 successful runs, once it has 10) counts as a failure. Empty: off."
        >
          {(id, d) => (
            <input
              id={id}
              class="input"
              type="number"
              min={1}
              max={1000}
              step="any"
              aria-describedby={d}
              placeholder="2"
              value={value.anomalyFactor}
              onInput={(e) => onChange({ ...value, anomalyFactor: e.currentTarget.value })}
            />
          )}
        </Field>
      </div>
      <label class="check-line">
        <input
          type="checkbox"
          checked={value.extendOnProgress}
          onChange={(e) => onChange({ ...value, extendOnProgress: e.currentTarget.checked })}
        />
        <span>Progress and log signals extend a running run's deadline by the max run time</span>
      </label>
    </fieldset>
  );
}
