// The check form's run-count rules: failure rate over a window ("down when 3 of the last 10 runs failed") and a quorum
// of hosts ("3 hosts must report each period"). Its own fieldset; empty fields turn a rule off.
import { Field } from '../components/ui';
import type { Check } from '../api/types';

export interface RateQuorumSettings {
  rateCount: string;
  rateWindow: string;
  quorum: string;
}

export function rateQuorumOf(check: Check | null): RateQuorumSettings {
  const text = (n: number | null | undefined) => (n == null ? '' : String(n));
  return { rateCount: text(check?.failure_rate_count), rateWindow: text(check?.failure_rate_window), quorum: text(check?.quorum_hosts) };
}

/** The API fields of the settings: an empty field is null (the rule is off). */
export function rateQuorumBody(value: RateQuorumSettings) {
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  return { failure_rate_count: num(value.rateCount), failure_rate_window: num(value.rateWindow), quorum_hosts: num(value.quorum) };
}

export function RateQuorumFieldset({ value, onChange }: { value: RateQuorumSettings; onChange(value: RateQuorumSettings): void }) {
  // Both failure-rate fields or neither: one alone makes the other required.
  const rateOn = value.rateCount.trim() !== '' || value.rateWindow.trim() !== '';
  return (
    <fieldset>
      <legend>Failure rate and quorum</legend>
      <div class="form-grid">
        <Field label="Down when this many runs failed (optional)" hint="Counted among the last runs below, in a row or not.">
          {(id, d) => (
            <input
              id={id}
              class="input"
              type="number"
              min={1}
              max={100}
              required={rateOn}
              aria-describedby={d}
              value={value.rateCount}
              onInput={(e) => onChange({ ...value, rateCount: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field label="… of the last runs (optional)" hint="Window of recent runs and beats, 2 to 100; missed beats count as failed.">
          {(id, d) => (
            <input
              id={id}
              class="input"
              type="number"
              min={2}
              max={100}
              required={rateOn}
              aria-describedby={d}
              value={value.rateWindow}
              onInput={(e) => onChange({ ...value, rateWindow: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field
          label="Hosts that must report each period (optional)"
          hint="Quorum: fewer distinct hosts reporting success by the end of a period counts as a missed beat."
        >
          {(id, d) => (
            <input
              id={id}
              class="input"
              type="number"
              min={1}
              max={100}
              aria-describedby={d}
              value={value.quorum}
              onInput={(e) => onChange({ ...value, quorum: e.currentTarget.value })}
            />
          )}
        </Field>
      </div>
    </fieldset>
  );
}
