// The channel form: a field per setting of the chosen kind (no JSON), for a new channel and for an edit. On an
// edit, secrets stay empty with an "unchanged (stored)" placeholder and are sent only when retyped.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Channel } from '../api/types';
import { Button, Field, FormError, toast } from '../components/ui';
import { LateWarningOption } from './channel-late-warning';
import { CHANNEL_FORMS, configToSend, formOfKind, initialValues, type ChannelField, type FieldValue } from '../format/channel-fields';

/** A saved channel, with the signing secret when the server generated or changed one (it is shown only then). */
export type Saved = { channel: Channel; secret?: string };

/** Errors of a save: one for the whole form, or one per field when the server's message names a field. */
type Errors = { form: string | null; fields: Record<string, string> };
const NO_ERRORS: Errors = { form: null, fields: {} };

function errorsOf(error: unknown, fields: ChannelField[]): Errors {
  const message = (error as Error).message;
  const named = /config\.(\w+)/.exec(message)?.[1];
  if (named && fields.some((f) => f.name === named)) return { form: null, fields: { [named]: message } };
  // A changed target needs its secrets again: the server says so; the message goes next to the secret fields.
  if (error instanceof ApiError && error.code === 'secret_required') {
    const secret = fields.find((f) => f.secret && message.includes(f.name)) ?? fields.find((f) => f.secret);
    if (secret) return { form: null, fields: { [secret.name]: message } };
  }
  return { form: message, fields: {} };
}

export function ChannelForm({ channel, onSaved, onCancel }: { channel?: Channel; onSaved(saved: Saved): void; onCancel?(): void }) {
  const editing = channel != null;
  const [kind, setKind] = useState(channel?.kind ?? 'webhook');
  const form = formOfKind(kind) ?? CHANNEL_FORMS[0];
  const [name, setName] = useState(channel?.name ?? '');
  const [isDefault, setIsDefault] = useState(channel?.is_default ?? true);
  const [notifyLate, setNotifyLate] = useState(channel?.notify_late ?? false);
  const [original] = useState(() => (channel ? initialValues(form, channel.config) : null));
  const [values, setValues] = useState<Record<string, FieldValue>>(() => original ?? initialValues(form, null));
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);
  const set = (field: string, value: FieldValue) => setValues({ ...values, [field]: value });
  const changeKind = (next: string) => {
    setKind(next);
    setValues(initialValues(formOfKind(next)!, null));
    setErrors(NO_ERRORS);
  };

  const save = async () => {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const config = configToSend(form, values, editing, original);
      const saved = editing
        ? await api<Channel & { secret?: string; warnings?: string[] }>('PATCH', `/channels/${channel.id}`, {
            name: name.trim(),
            is_default: isDefault,
            notify_late: notifyLate,
            config,
          })
        : await api<Channel & { secret?: string; warnings?: string[] }>('POST', '/channels', {
            kind,
            name: name.trim(),
            config,
            is_default: isDefault,
            notify_late: notifyLate,
          });
      const { secret, warnings, ...rest } = saved;
      // Saved, but alerts to it will be refused (a loopback or private address): say so now, not at the first alert.
      for (const warning of warnings ?? []) toast(warning, true);
      onSaved({ channel: rest, secret });
      if (!editing) {
        setName('');
        setValues(initialValues(form, null));
      }
    } catch (error) {
      setErrors(errorsOf(error, form.fields));
    } finally {
      setBusy(false);
    }
  };

  const basic = form.fields.filter((f) => !f.advanced);
  const advanced = form.fields.filter((f) => f.advanced);
  const advancedError = advanced.some((f) => errors.fields[f.name]);
  return (
    <form
      class="form"
      data-testid="channel-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div class="form-grid">
        <Field label="Kind">
          {(id) => (
            <select id={id} class="input" value={kind} disabled={editing} onChange={(e) => changeKind(e.currentTarget.value)}>
              {CHANNEL_FORMS.map((f) => (
                <option key={f.kind} value={f.kind}>
                  {f.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Name">
          {(id) => (
            <input
              id={id}
              class="input"
              required
              maxLength={200}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
              placeholder={form.namePlaceholder}
            />
          )}
        </Field>
      </div>
      <p class="small muted">{form.intro}</p>
      <div class="form-grid">
        {basic.map((f) => (
          <FieldInput
            key={`${kind}:${f.name}`}
            field={f}
            value={values[f.name]}
            editing={editing}
            stored={channel?.config[f.name]}
            error={errors.fields[f.name]}
            onChange={(v) => set(f.name, v)}
          />
        ))}
      </div>
      {advanced.length > 0 && (
        <details open={advancedError || undefined}>
          <summary class="small">More settings</summary>
          <div class="form-grid" style={{ marginTop: 'var(--s3)' }}>
            {advanced.map((f) => (
              <FieldInput
                key={`${kind}:${f.name}`}
                field={f}
                value={values[f.name]}
                editing={editing}
                stored={channel?.config[f.name]}
                error={errors.fields[f.name]}
                onChange={(v) => set(f.name, v)}
              />
            ))}
          </div>
        </details>
      )}
      <label class="check-line">
        <input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault(e.currentTarget.checked)} />
        <span>Subscribe new checks to this channel</span>
      </label>
      <LateWarningOption checked={notifyLate} onChange={setNotifyLate} />
      <FormError error={errors.form} />
      <div class="row">
        <Button type="submit" variant="primary" busy={busy}>
          {editing ? 'Save channel' : 'Add channel'}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}

/** One setting of a channel as the right control; a stored secret shows as an empty input saying it is unchanged. */
function FieldInput({
  field,
  value,
  editing,
  stored,
  error,
  onChange,
}: {
  field: ChannelField;
  value: FieldValue;
  editing: boolean;
  stored: unknown;
  error?: string;
  onChange(value: FieldValue): void;
}) {
  const keepsSecret = field.secret && editing && stored != null && stored !== '';
  const placeholder = keepsSecret
    ? `unchanged (stored${typeof stored === 'string' && stored.includes('//') ? `: ${stored}` : ''})`
    : field.placeholder;
  const wide = field.type === 'textarea' || field.type === 'headers';
  if (field.type === 'checkbox') {
    return (
      <label class="check-line">
        <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />
        <span>{field.label}</span>
      </label>
    );
  }
  if (field.type === 'headers')
    return <HeadersInput field={field} rows={value as Array<[string, string]>} editing={editing} error={error} onChange={onChange} />;
  // A select always has a value; other fields say when they may stay empty.
  const label = field.required || field.type === 'select' ? field.label : `${field.label} (optional)`;
  return (
    <div style={wide ? { gridColumn: '1 / -1' } : undefined}>
      <Field label={label} hint={field.hint} error={error}>
        {(id, described) => {
          const common = {
            id,
            class: `input${field.secret ? ' mono' : ''}`,
            'aria-describedby': described,
            'aria-invalid': error ? true : undefined,
            placeholder,
            value: value as string,
          };
          if (field.type === 'select')
            return (
              <select {...common} onChange={(e) => onChange(e.currentTarget.value)}>
                {field.options!.map((o) => (
                  <option key={o} value={o}>
                    {o || '(default)'}
                  </option>
                ))}
              </select>
            );
          if (field.type === 'textarea')
            return <textarea {...common} spellcheck={false} onInput={(e) => onChange(e.currentTarget.value)} />;
          return (
            <input
              {...common}
              type={(field.type === 'number' ? 'number' : field.type === 'url' && !keepsSecret ? 'url' : 'text') as 'text'}
              min={field.min}
              max={field.max}
              required={field.required && !keepsSecret}
              autoComplete="off"
              spellcheck={false}
              onInput={(e) => onChange(e.currentTarget.value)}
            />
          );
        }}
      </Field>
    </div>
  );
}

/** Header rows (name and value); stored values are secrets, so on an edit they show as "unchanged (stored)". */
function HeadersInput({
  field,
  rows,
  editing,
  error,
  onChange,
}: {
  field: ChannelField;
  rows: Array<[string, string]>;
  editing: boolean;
  error?: string;
  onChange(rows: Array<[string, string]>): void;
}) {
  const [storedNames] = useState(() => new Set(editing ? rows.map(([n]) => n) : []));
  const update = (i: number, part: 0 | 1, text: string) =>
    onChange(rows.map((r, j) => (j === i ? (part === 0 ? [text, r[1]] : [r[0], text]) : r)));
  return (
    <fieldset style={{ gridColumn: '1 / -1' }}>
      <legend>{field.label} (optional)</legend>
      <div class="stack">
        {rows.map(([name, value], i) => (
          <div key={i} class="row header-row">
            <input
              class="input mono"
              aria-label={`Header ${i + 1} name`}
              placeholder="Authorization"
              value={name}
              onInput={(e) => update(i, 0, e.currentTarget.value)}
            />
            <input
              class="input mono grow"
              aria-label={`Header ${i + 1} value`}
              placeholder={storedNames.has(name) ? 'unchanged (stored)' : 'Bearer …'}
              value={value}
              onInput={(e) => update(i, 1, e.currentTarget.value)}
            />
            <Button
              variant="small ghost"
              aria-label={`Remove header ${name || i + 1}`}
              onClick={() => onChange(rows.filter((_, j) => j !== i))}
            >
              Remove
            </Button>
          </div>
        ))}
        <div>
          <Button variant="small" onClick={() => onChange([...rows, ['', '']])}>
            Add a header
          </Button>
        </div>
        {field.hint && <span class="hint">{field.hint}</span>}
        {error && (
          <span class="error" role="alert">
            {error}
          </span>
        )}
      </div>
    </fieldset>
  );
}
