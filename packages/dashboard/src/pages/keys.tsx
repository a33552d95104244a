// API keys: create one (its secret is shown once, right here), list them, revoke them. Admins only.
import { useState } from 'preact/hooks';
import { api, get } from '../api/client';
import type { ApiKey } from '../api/types';
import { useCan } from '../state/session';
import { Button, Confirm, CopyButton, Empty, Field, FormError, toast, useAction, useLoad } from '../components/ui';
import { absolute } from '../format/time';
import { usePageTitle } from './page-title';

const SCOPES: Array<[string, string]> = [
  ['ping', 'ping — send signals only'],
  ['read', 'read — read everything'],
  ['write', 'write — change everything'],
];

export function KeysPage() {
  usePageTitle('API keys');
  const can = useCan();
  const { data, error, reload } = useLoad(
    () => (can.admin ? get<{ items: ApiKey[] }>('/keys').then((r) => r.items) : Promise.resolve([])),
    [can.admin],
  );
  const [name, setName] = useState('');
  const [scope, setScope] = useState('ping');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const create = useAction(async () => {
    const key = await api<{ name: string; key: string }>('POST', '/keys', { name: name.trim(), scope });
    setCreated(key);
    setName('');
    await reload();
  });
  const revoke = useAction(async () => {
    await api('DELETE', `/keys/${revoking!.id}`);
    toast(`Revoked "${revoking!.name}".`);
    setRevoking(null);
    await reload();
  });
  if (!can.admin)
    return (
      <>
        <div class="page-head">
          <h1>API keys</h1>
        </div>
        <div class="card">
          <Empty title="Admins only">
            <p>Ask an admin of this workspace for a key.</p>
          </Empty>
        </div>
      </>
    );
  return (
    <>
      <div class="page-head">
        <div class="title">
          <h1>API keys</h1>
          <p class="muted small">For scripts, the SDK and tools that speak the API. Keys are stored hashed: a secret is shown once.</p>
        </div>
      </div>
      <div class="stack">
        <section class="card" aria-labelledby="h-new-key">
          <div class="card-head">
            <h2 id="h-new-key">Create a key</h2>
          </div>
          <form
            class="card-body form"
            onSubmit={(e) => {
              e.preventDefault();
              void create.run();
            }}
          >
            <div class="form-grid">
              <Field label="Name">
                {(id) => (
                  <input
                    id={id}
                    class="input"
                    required
                    maxLength={200}
                    value={name}
                    onInput={(e) => setName(e.currentTarget.value)}
                    placeholder="deploy bot"
                  />
                )}
              </Field>
              <Field label="Scope">
                {(id) => (
                  <select id={id} class="input" value={scope} onChange={(e) => setScope(e.currentTarget.value)}>
                    {SCOPES.map(([v, l]) => (
                      <option key={v} value={v}>
                        {l}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <FormError error={create.error} />
            <div>
              <Button type="submit" variant="primary" busy={create.busy}>
                Create key
              </Button>
            </div>
            {created && (
              <div role="status">
                <p class="small" style={{ marginBottom: '8px' }}>
                  <strong>Copy the key for "{created.name}" now.</strong> It is not shown again.
                </p>
                <div class="secret" data-testid="new-key">
                  <code>{created.key}</code>
                  <CopyButton text={created.key} />
                </div>
              </div>
            )}
          </form>
        </section>
        <section class="card" aria-labelledby="h-keys">
          <div class="card-head">
            <h2 id="h-keys">Active keys</h2>
          </div>
          {error ? (
            <p class="form-error">{error}</p>
          ) : !data ? (
            <div class="card-body">
              <div class="skeleton" />
            </div>
          ) : data.length === 0 ? (
            <Empty title="No keys" />
          ) : (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Scope</th>
                    <th>Created</th>
                    <th>Last used</th>
                    <th>
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((k) => (
                    <tr key={k.id}>
                      <td>{k.name}</td>
                      <td>{k.scope}</td>
                      <td class="small">{absolute(k.created_at, false)}</td>
                      <td class="small">{absolute(k.last_used_at, false)}</td>
                      <td class="r">
                        <Button variant="small danger" onClick={() => setRevoking(k)} aria-label={`Revoke key ${k.name}`}>
                          Revoke
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
      <Confirm
        open={revoking != null}
        title={`Revoke "${revoking?.name ?? ''}"?`}
        confirm="Revoke key"
        danger
        busy={revoke.busy}
        onCancel={() => setRevoking(null)}
        onConfirm={() => void revoke.run()}
      >
        Anything using it is refused from now on. {revoke.error && <span class="form-error">{revoke.error}</span>}
      </Confirm>
    </>
  );
}
