// Settings: the workspace (name, ping key), its members and invitations (members.tsx), new workspaces, your account, the theme.
import { useEffect, useState } from 'preact/hooks';
import { api, get } from '../api/client';
import type { Session } from '../api/types';
import { navigate } from '../router';
import { adopt, useCan, useSession } from '../state/session';
import { setTheme, themeChoice, type ThemeChoice } from '../theme';
import { Button, Confirm, CopyButton, Field, FormError, toast, useAction, useLoad } from '../components/ui';
import { usePageTitle } from './page-title';
import { MembersSection } from './members';

export function SettingsPage() {
  usePageTitle('Settings');
  const state = useSession();
  useEffect(() => {
    if (location.hash === '#new-workspace') document.getElementById('new-workspace-name')?.focus();
  }, []);
  if (state.kind !== 'signed-in') return null;
  const session = state.session;
  return (
    <>
      <div class="page-head">
        <div class="title">
          <h1>Settings</h1>
          <p class="muted small">
            {session.workspace
              ? `Workspace "${session.workspace.name}" — your role: ${session.workspace.role}`
              : 'You are not in a workspace.'}
          </p>
        </div>
      </div>
      <div class="stack">
        {session.workspace && <WorkspaceSection session={session} />}
        {session.workspace && <MembersSection session={session} />}
        <NewWorkspace />
        <AccountSection session={session} />
      </div>
    </>
  );
}

function WorkspaceSection({ session }: { session: Session }) {
  const can = useCan();
  // Viewers get null: the ping key sends signals and creates checks.
  const { data, reload } = useLoad(
    () => get<{ id: string; name: string; ping_key: string | null; ping_url_base: string | null }>('/workspace'),
    [session.workspace!.id],
  );
  const [name, setName] = useState(session.workspace!.name);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const rotate = useAction(async () => {
    await api('POST', '/workspace/ping-key/rotate');
    setConfirmRotate(false);
    await reload();
    toast('New ping key: URLs with the old one no longer work.');
  });
  const rename = useAction(async () => {
    await api('PATCH', '/workspace', { name: name.trim() });
    adopt(await get<Session>('/auth/session'));
    toast('Workspace renamed.');
  });
  return (
    <section class="card" aria-labelledby="h-workspace">
      <div class="card-head">
        <h2 id="h-workspace">Workspace</h2>
      </div>
      <div class="card-body form">
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void rename.run();
          }}
          style={{ alignItems: 'flex-end' }}
        >
          <div class="grow">
            <Field label="Name">
              {(id) => (
                <input
                  id={id}
                  class="input"
                  required
                  maxLength={200}
                  disabled={!can.admin}
                  value={name}
                  onInput={(e) => setName(e.currentTarget.value)}
                />
              )}
            </Field>
          </div>
          {can.admin && (
            <Button type="submit" busy={rename.busy}>
              Rename
            </Button>
          )}
        </form>
        <FormError error={rename.error} />
        {data?.ping_url_base && (
          <div class="field">
            <span class="label">Ping URLs by slug</span>
            <div class="row">
              <code class="small grow truncate">{data.ping_url_base}/&lt;slug&gt;</code>
              <CopyButton text={`${data.ping_url_base}/`} label="Copy base" />
              {can.admin && (
                <Button variant="small danger" onClick={() => setConfirmRotate(true)}>
                  Rotate ping key
                </Button>
              )}
            </div>
            <span class="hint">
              Add <code>?create=1</code> to create a check on its first ping.
            </span>
          </div>
        )}
        <FormError error={rotate.error} />
        <Confirm
          open={confirmRotate}
          title="Rotate the workspace ping key?"
          confirm="Rotate ping key"
          danger
          busy={rotate.busy}
          onConfirm={() => void rotate.run()}
          onCancel={() => setConfirmRotate(false)}
        >
          Every URL of the form <code>/ping/&lt;ping key&gt;/&lt;slug&gt;</code> stops working at once; update the jobs that use them. URLs
          with a check's own UUID or key keep working.
        </Confirm>
      </div>
    </section>
  );
}

function NewWorkspace() {
  const [name, setName] = useState('');
  const create = useAction(async () => {
    adopt(await api<Session>('POST', '/workspaces', { name: name.trim() }));
    toast(`Created workspace "${name.trim()}".`);
    navigate('/');
  });
  return (
    <section class="card" aria-labelledby="h-new-workspace" id="new-workspace">
      <div class="card-head">
        <h2 id="h-new-workspace">New workspace</h2>
        <span class="small muted">A separate set of checks, channels, keys and members.</span>
      </div>
      <form
        class="card-body row"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
        style={{ alignItems: 'flex-end' }}
      >
        <div class="grow">
          <Field label="Workspace name" id="new-workspace-name">
            {(id) => (
              <input
                id={id}
                class="input"
                required
                maxLength={200}
                value={name}
                onInput={(e) => setName(e.currentTarget.value)}
                placeholder="staging"
              />
            )}
          </Field>
        </div>
        <Button type="submit" variant="primary" busy={create.busy}>
          Create workspace
        </Button>
        <FormError error={create.error} />
      </form>
    </section>
  );
}

function AccountSection({ session }: { session: Session }) {
  const [name, setName] = useState(session.user.name);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [theme, setThemeState] = useState<ThemeChoice>(themeChoice());
  const save = useAction(async () => {
    adopt(
      await api<Session>('PATCH', '/users/me', { name: name.trim(), ...(next ? { current_password: current, new_password: next } : {}) }),
    );
    toast(next ? 'Password changed; other sessions were signed out.' : 'Saved.');
    setCurrent('');
    setNext('');
  });
  return (
    <section class="card" aria-labelledby="h-account">
      <div class="card-head">
        <h2 id="h-account">Your account</h2>
        <span class="small muted">{session.user.email}</span>
      </div>
      <form
        class="card-body form"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <div class="form-grid">
          <Field label="Name">
            {(id) => <input id={id} class="input" required value={name} onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field label="Theme">
            {(id) => (
              <select
                id={id}
                class="input"
                value={theme}
                onChange={(e) => {
                  const t = e.currentTarget.value as ThemeChoice;
                  setTheme(t);
                  setThemeState(t);
                }}
              >
                <option value="system">Same as the system</option>
                <option value="light">Light</option>
                <option value="dark">Dark</option>
              </select>
            )}
          </Field>
          <Field label="Current password">
            {(id) => (
              <input
                id={id}
                class="input"
                type="password"
                autoComplete="current-password"
                value={current}
                onInput={(e) => setCurrent(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="New password" hint="At least 8 characters; leave empty to keep yours.">
            {(id, d) => (
              <input
                id={id}
                class="input"
                type="password"
                autoComplete="new-password"
                minLength={8}
                aria-describedby={d}
                value={next}
                onInput={(e) => setNext(e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
        <FormError error={save.error} />
        <div>
          <Button type="submit" busy={save.busy}>
            Save account
          </Button>
        </div>
      </form>
    </section>
  );
}
