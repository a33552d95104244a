// The form's groups that are lists of choices: when a check's schedule is, which channels it notifies, which ping
// methods it accepts and how keywords in a ping's body are read. Each takes its value and reports changes.
import { Link } from '../router';
import type { Channel } from '../api/types';
import { Field } from '../components/ui';
import { CronHelper, CronPresets } from './cron-helper';
import { DurationInput, type DurationValue as Duration } from './duration-input';

export type ScheduleKind = 'interval' | 'cron' | 'oncalendar';

/** The schedule: an interval, a cron expression (with presets and its next runs in words) or an OnCalendar expression. */
export function ScheduleFields({
  kind,
  onKind,
  period,
  onPeriod,
  expr,
  onExpr,
  tz,
  onTz,
  zones,
}: {
  kind: ScheduleKind;
  onKind: (kind: ScheduleKind) => void;
  period: Duration;
  onPeriod: (period: Duration) => void;
  expr: string;
  onExpr: (expr: string) => void;
  tz: string;
  onTz: (tz: string) => void;
  zones: string[];
}) {
  return (
    <>
      <div class="segmented" role="group" aria-label="Schedule kind">
        <button type="button" aria-pressed={kind === 'interval'} onClick={() => onKind('interval')}>
          Every…
        </button>
        <button type="button" aria-pressed={kind === 'cron'} onClick={() => onKind('cron')}>
          Cron expression
        </button>
        <button
          type="button"
          aria-pressed={kind === 'oncalendar'}
          onClick={() => {
            if (kind !== 'oncalendar') onExpr('Mon..Fri 09:00');
            onKind('oncalendar');
          }}
        >
          OnCalendar
        </button>
      </div>
      {kind === 'interval' ? (
        <div class="form-grid">
          <DurationInput label="Period" hint="How often the job runs." value={period} onChange={onPeriod} />
        </div>
      ) : kind === 'oncalendar' ? (
        <ExpressionFields
          label="OnCalendar expression"
          hint="systemd timer syntax, e.g. Mon..Fri 09:00, *-*-* 02:00:00, daily"
          {...{ expr, onExpr, tz, onTz, zones }}
        />
      ) : (
        <>
          <CronPresets onPick={onExpr} />
          <ExpressionFields
            label="Cron expression"
            hint="minute hour day-of-month month day-of-week"
            {...{ expr, onExpr, tz, onTz, zones }}
          />
          <CronHelper expr={expr} tz={tz} />
        </>
      )}
    </>
  );
}

/** A schedule expression (cron or OnCalendar) and the time zone it is read in. */
function ExpressionFields({
  label,
  hint,
  expr,
  onExpr,
  tz,
  onTz,
  zones,
}: {
  label: string;
  hint: string;
  expr: string;
  onExpr: (expr: string) => void;
  tz: string;
  onTz: (tz: string) => void;
  zones: string[];
}) {
  return (
    <div class="form-grid">
      <Field label={label} hint={hint}>
        {(fid, d) => (
          <input
            id={fid}
            class="input mono"
            required
            aria-describedby={d}
            value={expr}
            onInput={(e) => onExpr(e.currentTarget.value)}
            spellcheck={false}
          />
        )}
      </Field>
      <Field label="Time zone">
        {(fid) => (
          <>
            <input id={fid} class="input" list="tz-list" required value={tz} onInput={(e) => onTz(e.currentTarget.value)} />
            <datalist id="tz-list">
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </>
        )}
      </Field>
    </div>
  );
}

/** The channels a check notifies (the defaults until someone chooses). */
export function ChannelsFieldset({
  channels,
  chosen,
  onChange,
}: {
  channels: Channel[] | null;
  chosen: string[];
  onChange: (ids: string[]) => void;
}) {
  return (
    <fieldset>
      <legend>Channels to notify</legend>
      {channels == null ? (
        <p class="muted small">Loading…</p>
      ) : channels.length === 0 ? (
        <p class="muted small">
          No channels yet. <Link href="/channels">Add one</Link> to be told when this check goes down.
        </p>
      ) : (
        <div class="stack">
          {channels.map((c) => (
            <label key={c.id} class="check-line">
              <input
                type="checkbox"
                checked={chosen.includes(c.id)}
                onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, c.id] : chosen.filter((x) => x !== c.id))}
              />
              <span>
                {c.name} <span class="muted small">({c.kind})</span>
              </span>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}

/** The HTTP methods a ping may use. */
export function MethodsFieldset({ value, onChange }: { value: string[]; onChange: (methods: string[]) => void }) {
  return (
    <fieldset>
      <legend>Ping methods accepted</legend>
      <div class="row">
        {['GET', 'HEAD', 'POST'].map((m) => (
          <label key={m} class="check-line">
            <input
              type="checkbox"
              checked={value.includes(m)}
              onChange={(e) => onChange(e.currentTarget.checked ? [...value, m] : value.filter((x) => x !== m))}
            />{' '}
            {m}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export interface Keywords {
  filter_http_body: boolean;
  filter_default_fail: boolean;
  start_kw: string;
  success_kw: string;
  failure_kw: string;
}

/** healthchecks.io's body filters: keywords that make a ping a start, a success or a failure. */
export function KeywordsFieldset({ value, onChange }: { value: Keywords; onChange: (keywords: Keywords) => void }) {
  return (
    <fieldset>
      <legend>Body keywords (healthchecks.io filters)</legend>
      <label class="check-line">
        <input
          type="checkbox"
          checked={value.filter_http_body}
          onChange={(e) => onChange({ ...value, filter_http_body: e.currentTarget.checked })}
        />
        <span>Let keywords in a ping's body decide what it means</span>
      </label>
      {value.filter_http_body && (
        <>
          <div class="form-grid">
            {(['failure_kw', 'success_kw', 'start_kw'] as const).map((field) => (
              <Field
                key={field}
                label={{ failure_kw: 'Failure keywords', success_kw: 'Success keywords', start_kw: 'Start keywords' }[field]}
                hint="Comma separated; case matters."
              >
                {(fid, d) => (
                  <input
                    id={fid}
                    class="input"
                    maxLength={200}
                    aria-describedby={d}
                    value={value[field]}
                    onInput={(e) => onChange({ ...value, [field]: e.currentTarget.value })}
                  />
                )}
              </Field>
            ))}
          </div>
          <label class="check-line">
            <input
              type="checkbox"
              checked={value.filter_default_fail}
              onChange={(e) => onChange({ ...value, filter_default_fail: e.currentTarget.checked })}
            />
            <span>A body with none of the keywords is a failure (otherwise the ping is ignored)</span>
          </label>
        </>
      )}
    </fieldset>
  );
}
