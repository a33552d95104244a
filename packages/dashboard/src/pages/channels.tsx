// Notification channels: where alerts go. A webhook takes a URL; other kinds take their JSON config.
import { useState } from 'preact/hooks';
import { api, get } from '../api/client';
import type { Channel } from '../api/types';
import { useCan } from '../state/session';
import { Button, Confirm, Empty, Field, FormError, toast, useAction, useLoad } from '../components/ui';
import { absolute } from '../format/time';
import { usePageTitle } from './page-title';

const KINDS = ['webhook', 'slack', 'discord', 'teams', 'telegram', 'ntfy', 'pagerduty', 'opsgenie', 'pushover', 'matrix', 'email'];

export function ChannelsPage() {
  usePageTitle('Channels');
  const can = useCan();
  const { data, error, reload } = useLoad(() => get<{ items: Channel[] }>('/channels').then((r) => r.items), []);
  const [removing, setRemoving] = useState<Channel | null>(null);
  const remove = useAction(async () => {
    await api('DELETE', `/channels/${removing!.id}`);
    toast(`Deleted channel "${removing!.name}".`);
    setRemoving(null);
    await reload();
  });
  return (
    <>
      <div class="page-head"><div class="title"><h1>Channels</h1><p class="muted small">Where Overdue tells you a check went down or came back.</p></div></div>
      <div class="stack">
        {can.write && <NewChannel onCreated={reload} />}
        <section class="card" aria-labelledby="h-channels">
          <div class="card-head"><h2 id="h-channels">Channels</h2></div>
          {error ? <p class="form-error">{error}</p> : !data ? <div class="card-body"><div class="skeleton" /></div> : data.length === 0 ? (
            <Empty title="No channels yet"><p>Add a webhook above and new checks will notify it.</p></Empty>
          ) : (
            <div class="table-wrap"><table class="table">
              <thead><tr><th>Name</th><th>Kind</th><th>Target</th><th>New checks</th><th>Created</th>{can.write && <th><span class="sr-only">Actions</span></th>}</tr></thead>
              <tbody>{data.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td><td>{c.kind}</td>
                  <td class="mono small">{channelTarget(c.config)}</td>
                  <td>{c.is_default ? 'subscribed' : 'opt-in'}</td><td class="small">{absolute(c.created_at, false)}</td>
                  {can.write && <td class="r"><Button variant="small danger" onClick={() => setRemoving(c)} aria-label={`Delete channel ${c.name}`}>Delete</Button></td>}
                </tr>
              ))}</tbody>
            </table></div>
          )}
        </section>
      </div>
      <Confirm open={removing != null} title={`Delete "${removing?.name ?? ''}"?`} confirm="Delete channel" danger busy={remove.busy} onCancel={() => setRemoving(null)} onConfirm={() => void remove.run()}>
        Checks stop notifying it. {remove.error && <span class="form-error">{remove.error}</span>}
      </Confirm>
    </>
  );
}

/** A channel's settings in one line: what is set (secrets arrive masked from the API), without empty values. */
function channelTarget(config: Record<string, unknown>): string {
  const isEmpty = (v: unknown) => v == null || v === '' || (typeof v === 'object' && Object.keys(v as object).length === 0);
  return Object.entries(config).filter(([, v]) => !isEmpty(v)).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ');
}

function NewChannel({ onCreated }: { onCreated(): void }) {
  const [kind, setKind] = useState('webhook');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [config, setConfig] = useState('{\n  \n}');
  const [isDefault, setIsDefault] = useState(true);
  const create = useAction(async () => {
    let parsed: unknown;
    if (kind === 'webhook') parsed = { url };
    else {
      try {
        parsed = JSON.parse(config);
      } catch {
        throw new Error('The configuration is not valid JSON.');
      }
    }
    await api('POST', '/channels', { kind, name: name.trim(), config: parsed, is_default: isDefault });
    toast(`Added channel "${name.trim()}".`);
    setName('');
    setUrl('');
    onCreated();
  });
  return (
    <section class="card" aria-labelledby="h-new-channel">
      <div class="card-head"><h2 id="h-new-channel">Add a channel</h2></div>
      <form class="card-body form" onSubmit={(e) => { e.preventDefault(); void create.run(); }}>
        <div class="form-grid">
          <Field label="Kind">{(id) => <select id={id} class="input" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>{KINDS.map((k) => <option key={k} value={k}>{k}</option>)}</select>}</Field>
          <Field label="Name">{(id) => <input id={id} class="input" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="ops webhook" />}</Field>
        </div>
        {kind === 'webhook'
          ? <Field label="URL" hint="Overdue POSTs a JSON notification here.">{(id, d) => <input id={id} class="input" type="url" required aria-describedby={d} value={url} onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://example.com/hooks/overdue" />}</Field>
          : <Field label="Configuration (JSON)" hint={`The settings of a ${kind} channel; see the channels documentation.`}>{(id, d) => <textarea id={id} class="input" aria-describedby={d} value={config} onInput={(e) => setConfig(e.currentTarget.value)} />}</Field>}
        <label class="check-line"><input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault(e.currentTarget.checked)} /><span>Subscribe new checks to this channel</span></label>
        <FormError error={create.error} />
        <div><Button type="submit" variant="primary" busy={create.busy}>Add channel</Button></div>
      </form>
    </section>
  );
}
