// Maintenance windows: times when nothing alerts, for one check, a tag or the whole workspace. Recurring (cron +
// length + time zone) or once (from … to). A check still down when its window ends alerts then.
import { useState } from 'preact/hooks';
import { api, get } from '../api/client';
import { useCan } from '../state/session';
import { useChecksStore } from '../state/checks';
import { Button, Confirm, Empty, Field, FormError, toast, useAction, useLoad } from '../components/ui';
import { absolute, seconds } from '../format/time';
import { scheduleInWords } from '../format/schedule';
import { usePageTitle } from './page-title';

export interface MaintenanceWindow {
  id: string;
  name: string;
  scope: 'check' | 'tag' | 'workspace';
  check: { id: string; name: string; slug: string } | null;
  tag: string | null;
  cron: string | null;
  tz: string | null;
  duration_s: number | null;
  starts_at: string | null;
  ends_at: string | null;
  reason: string | null;
  open_until: string | null;
  next_start: string | null;
}

/** "every day at 02:00 Europe/Berlin, for 1h" / "Mar 4, 02:00 → Mar 4, 06:00". */
function whenOf(w: MaintenanceWindow): string {
  if (w.cron) return `${scheduleInWords({ kind: 'cron', expr: w.cron, tz: w.tz ?? 'UTC' })}, for ${seconds(w.duration_s ?? 0)}`;
  return `${absolute(w.starts_at, false)} → ${absolute(w.ends_at, false)}`;
}

function scopeOf(w: MaintenanceWindow): string {
  if (w.scope === 'check') return `check ${w.check?.name ?? ''}`;
  if (w.scope === 'tag') return `checks tagged ${w.tag}`;
  return 'every check in the workspace';
}

export function MaintenancePage() {
  usePageTitle('Maintenance');
  const can = useCan();
  const { data, error, reload } = useLoad(() => get<{ items: MaintenanceWindow[] }>('/maintenance-windows').then((r) => r.items), []);
  const [removing, setRemoving] = useState<MaintenanceWindow | null>(null);
  const remove = useAction(async () => {
    await api('DELETE', `/maintenance-windows/${removing!.id}`);
    toast(`Deleted window "${removing!.name}".`);
    setRemoving(null);
    await reload();
  });
  return (
    <>
      <div class="page-head">
        <div class="title">
          <h1>Maintenance windows</h1>
          <p class="muted small">
            While a window is open nothing alerts; what happens is still recorded, and a check still down when the window ends alerts then.
          </p>
        </div>
      </div>
      <div class="stack">
        {can.write && (
          <section class="card" aria-labelledby="h-new-window">
            <div class="card-head">
              <h2 id="h-new-window">Add a window</h2>
            </div>
            <div class="card-body">
              <WindowForm onSaved={() => void reload()} />
            </div>
          </section>
        )}
        <section class="card" aria-labelledby="h-windows">
          <div class="card-head">
            <h2 id="h-windows">Windows</h2>
          </div>
          {error ? (
            <p class="form-error">{error}</p>
          ) : !data ? (
            <div class="card-body">
              <div class="skeleton" />
            </div>
          ) : data.length === 0 ? (
            <Empty title="No maintenance windows">
              <p>{can.write ? 'Add one above before planned work, so it pages no one.' : 'An editor or admin can add one.'}</p>
            </Empty>
          ) : (
            <ul class="channel-list">
              {data.map((w) => (
                <li key={w.id} data-window={w.name}>
                  <div class="channel-row">
                    <div class="channel-main">
                      <div class="row">
                        <strong class="truncate">{w.name}</strong>
                        <span class="tag">{w.scope}</span>
                        {w.open_until && <span class="small c-late">open until {absolute(w.open_until, false)}</span>}
                      </div>
                      <div class="small">
                        {whenOf(w)} · {scopeOf(w)}
                      </div>
                      {w.reason && <div class="small muted">{w.reason}</div>}
                      {!w.open_until && <div class="xs faint">{w.next_start ? `opens next ${absolute(w.next_start, false)}` : 'over'}</div>}
                    </div>
                    {can.write && (
                      <div class="row channel-actions">
                        <Button variant="small danger" onClick={() => setRemoving(w)} aria-label={`Delete window ${w.name}`}>
                          Delete
                        </Button>
                      </div>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <Confirm
        open={removing != null}
        title={`Delete "${removing?.name ?? ''}"?`}
        confirm="Delete window"
        danger
        busy={remove.busy}
        onCancel={() => setRemoving(null)}
        onConfirm={() => void remove.run()}
      >
        Checks it covers alert again at once if they are down. {remove.error && <span class="form-error">{remove.error}</span>}
      </Confirm>
    </>
  );
}

/** A datetime-local value ("2026-03-04T02:00", the viewer's zone) as an ISO time, or undefined when empty. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : undefined);

function WindowForm({ onSaved }: { onSaved(): void }) {
  const store = useChecksStore();
  const checks = [...store.byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  const [form, setForm] = useState({
    name: '',
    scope: 'check',
    check: '',
    tag: '',
    kind: 'recurring',
    cron: '0 2 * * *',
    tz: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    minutes: '60',
    start: '',
    end: '',
    reason: '',
  });
  const set = (field: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [field]: e.currentTarget.value });
  const save = useAction(async () => {
    const body: Record<string, unknown> = { name: form.name, reason: form.reason || null };
    if (form.scope === 'check') body.check = form.check || checks[0]?.id;
    if (form.scope === 'tag') body.tag = form.tag;
    if (form.kind === 'recurring') Object.assign(body, { cron: form.cron, tz: form.tz, duration_s: Math.round(Number(form.minutes) * 60) });
    else Object.assign(body, { starts_at: isoOf(form.start), ends_at: isoOf(form.end) });
    const created = await api<MaintenanceWindow>('POST', '/maintenance-windows', body);
    toast(`Added window "${created.name}".`);
    setForm({ ...form, name: '', reason: '' });
    onSaved();
  });
  return (
    <form
      class="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <div class="grid-2">
        <Field label="Window name">
          {(id, d) => <input id={id} class="input" aria-describedby={d} value={form.name} onInput={set('name')} required maxLength={200} />}
        </Field>
        <Field label="Covers">
          {(id) => (
            <select id={id} class="input" value={form.scope} onChange={set('scope')}>
              <option value="check">One check</option>
              <option value="tag">Checks with a tag</option>
              <option value="workspace">Every check</option>
            </select>
          )}
        </Field>
        {form.scope === 'check' && (
          <Field label="Check">
            {(id) => (
              <select id={id} class="input" value={form.check} onChange={set('check')}>
                {checks.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {form.scope === 'tag' && (
          <Field label="Tag">{(id) => <input id={id} class="input" value={form.tag} onInput={set('tag')} required maxLength={64} />}</Field>
        )}
        <Field label="When">
          {(id) => (
            <select id={id} class="input" value={form.kind} onChange={set('kind')}>
              <option value="recurring">Recurring (cron)</option>
              <option value="once">Once</option>
            </select>
          )}
        </Field>
        {form.kind === 'recurring' ? (
          <>
            <Field label="Opens at (cron)" hint={form.cron ? scheduleInWords({ kind: 'cron', expr: form.cron, tz: form.tz }) : undefined}>
              {(id, d) => <input id={id} class="input mono" aria-describedby={d} value={form.cron} onInput={set('cron')} required />}
            </Field>
            <Field label="Window time zone">{(id) => <input id={id} class="input" value={form.tz} onInput={set('tz')} required />}</Field>
            <Field label="Length (minutes)">
              {(id) => (
                <input id={id} class="input" type="number" min={1} max={10080} value={form.minutes} onInput={set('minutes')} required />
              )}
            </Field>
          </>
        ) : (
          <>
            <Field label="Starts at">
              {(id) => <input id={id} class="input" type="datetime-local" value={form.start} onInput={set('start')} required />}
            </Field>
            <Field label="Ends at">
              {(id) => <input id={id} class="input" type="datetime-local" value={form.end} onInput={set('end')} required />}
            </Field>
          </>
        )}
        <Field label="Reason (optional)">
          {(id) => <input id={id} class="input" value={form.reason} onInput={set('reason')} maxLength={500} />}
        </Field>
      </div>
      <FormError error={save.error} />
      <div>
        <Button type="submit" variant="primary" busy={save.busy}>
          Add window
        </Button>
      </div>
    </form>
  );
}
