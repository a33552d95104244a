// The check form's incident settings: how serious its incidents are, reminders while one stays open, and a
// cooldown after one resolves. Its own fieldset, so other groups of settings can sit beside it in the form.
import { Field } from '../components/ui';
import { DurationInput, type DurationValue } from './duration-input';

export interface IncidentSettings {
  severity: '' | 'minor' | 'major' | 'critical';
  realert: DurationValue;
  cooldown: DurationValue;
}

export function IncidentFieldset({ value, onChange }: { value: IncidentSettings; onChange(value: IncidentSettings): void }) {
  return (
    <fieldset>
      <legend>Incidents</legend>
      <div class="form-grid">
        <Field label="Severity" hint="PagerDuty and Opsgenie map it to their own levels.">
          {(id, d) => (
            <select
              id={id}
              class="input"
              aria-describedby={d}
              value={value.severity}
              onChange={(e) => onChange({ ...value, severity: e.currentTarget.value as IncidentSettings['severity'] })}
            >
              <option value="">minor (the default)</option>
              <option value="major">major</option>
              <option value="critical">critical</option>
            </select>
          )}
        </Field>
        <DurationInput
          label="Remind every"
          hint="While an incident is open and nobody acknowledged it. Empty: no reminders; at least 1 minute."
          value={value.realert}
          onChange={(realert) => onChange({ ...value, realert })}
          optional
          min={60}
        />
        <DurationInput
          label="Cooldown"
          hint="After an incident resolves, a new failure this soon opens none. Empty: no cooldown."
          value={value.cooldown}
          onChange={(cooldown) => onChange({ ...value, cooldown })}
          optional
        />
      </div>
    </fieldset>
  );
}
