// A duration as a number and a unit (seconds, minutes, hours, days), for the check form's settings.
import { Field } from '../components/ui';

export type DurationValue = { value: string; unit: number };

const UNITS: Array<[string, number]> = [
  ['seconds', 1],
  ['minutes', 60],
  ['hours', 3600],
  ['days', 86400],
];

/** Seconds as the largest whole unit: 3600 → 1 hours-unit; null → empty. */
export function split(totalS: number | null | undefined): DurationValue {
  if (totalS == null) return { value: '', unit: 60 };
  for (const [, size] of [...UNITS].reverse())
    if (totalS % size === 0 && totalS >= size) return { value: String(totalS / size), unit: size };
  return { value: String(totalS), unit: 1 };
}

/** The duration in whole seconds; null when empty. */
export const seconds = (v: DurationValue) => (v.value === '' ? null : Math.round(Number(v.value) * v.unit));

export function DurationInput({
  label,
  hint,
  value,
  onChange,
  optional,
  min,
}: {
  label: string;
  hint?: string;
  value: DurationValue;
  onChange(v: DurationValue): void;
  optional?: boolean;
  min?: number;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id, described) => (
        <div class="row" style={{ flexWrap: 'nowrap' }}>
          <input
            id={id}
            class="input grow"
            type="number"
            min={optional ? 0 : 1}
            step="any"
            inputMode="numeric"
            required={!optional}
            aria-describedby={described}
            value={value.value}
            onInput={(e) => {
              onChange({ ...value, value: e.currentTarget.value });
              // A floor in seconds (a reminder at least every minute) checked by the browser before the server.
              const s = seconds({ ...value, value: e.currentTarget.value });
              e.currentTarget.setCustomValidity(min != null && s != null && s > 0 && s < min ? `At least ${min} seconds.` : '');
            }}
          />
          <select
            class="input"
            style={{ width: '120px' }}
            aria-label={`${label} unit`}
            value={value.unit}
            onChange={(e) => onChange({ ...value, unit: Number(e.currentTarget.value) })}
          >
            {UNITS.map(([name, size]) => (
              <option key={size} value={size}>
                {name}
              </option>
            ))}
          </select>
        </div>
      )}
    </Field>
  );
}
