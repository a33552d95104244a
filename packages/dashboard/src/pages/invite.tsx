// The page an invitation link opens (/invite#<token>): accept signed in as the invited address, or create your own
// account with a name and password you choose. The token stays in the fragment, which never reaches a server log.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { InvitationView, Session } from '../api/types';
import { navigate } from '../router';
import { adopt, signOut, type SessionState } from '../state/session';
import { Button, Field, FormError, useAction } from '../components/ui';
import { absolute } from '../format/time';
import { AuthCard } from './auth';

const tokenOfPage = () => decodeURIComponent(location.hash.slice(1));

export function InvitePage({ state }: { state: SessionState }) {
  // Another link pasted into the same tab changes only the fragment: start over for it.
  const [token, setToken] = useState(tokenOfPage);
  useEffect(() => {
    const changed = () => setToken(tokenOfPage());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return <Invitation key={token} token={token} state={state} />;
}

function Invitation({ token, state }: { token: string; state: SessionState }) {
  const [view, setView] = useState<InvitationView | null>(null);
  const [failure, setFailure] = useState<string | null>(
    token ? null : 'This link has no invitation in it; copy the whole link from the invitation.',
  );
  useEffect(() => {
    if (!token) return;
    api<InvitationView>('POST', '/invitations/view', { token }).then(setView, (e: Error) => setFailure(e.message));
  }, [token]);
  const joined = (session: Session) => {
    adopt(session);
    navigate('/', true);
  };

  if (failure) {
    return (
      <AuthCard title="Invitation" intro={failure}>
        <a class="btn" href="/">
          Go to Overdue
        </a>
      </AuthCard>
    );
  }
  if (!view) return <div class="auth" aria-busy="true" />;
  const intro = `${view.invited_by ?? 'An admin'} invited ${view.email} to the workspace "${view.workspace.name}" as ${view.role}. The link works until ${absolute(view.expires_at, false)}.`;
  if (state.kind === 'signed-in') {
    const me = state.session.user.email;
    if (me !== view.email) {
      return (
        <AuthCard title={`Join ${view.workspace.name}`} intro={intro}>
          <p class="form-error" role="alert">
            You are signed in as {me}, but this invitation is for {view.email}. Sign out, then accept as {view.email}.
          </p>
          <Button onClick={() => void signOut()}>Sign out</Button>
        </AuthCard>
      );
    }
    return <AcceptSignedIn title={`Join ${view.workspace.name}`} intro={intro} token={token} onJoined={joined} />;
  }
  return <AcceptSignedOut title={`Join ${view.workspace.name}`} intro={intro} view={view} token={token} onJoined={joined} />;
}

function AcceptSignedIn({
  title,
  intro,
  token,
  onJoined,
}: {
  title: string;
  intro: string;
  token: string;
  onJoined(session: Session): void;
}) {
  const action = useAction(async () => onJoined(await api<Session>('POST', '/invitations/accept', { token })));
  return (
    <AuthCard title={title} intro={intro}>
      <FormError error={action.error} />
      <Button variant="primary" busy={action.busy} onClick={() => void action.run()}>
        Accept invitation
      </Button>
    </AuthCard>
  );
}

function AcceptSignedOut({
  title,
  intro,
  view,
  token,
  onJoined,
}: {
  title: string;
  intro: string;
  view: InvitationView;
  token: string;
  onJoined(session: Session): void;
}) {
  const [mode, setMode] = useState<'create' | 'sign-in'>('create');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const create = useAction(async () => {
    try {
      onJoined(await api<Session>('POST', '/invitations/accept', { token, name: name.trim(), password }));
    } catch (error) {
      // The address has an account: its owner signs in with it instead.
      if (error instanceof ApiError && error.code === 'account_exists') setMode('sign-in');
      throw error;
    }
  });
  // Signing in adopts the session; this page then offers the accept button.
  const signIn = useAction(async () => adopt(await api<Session>('POST', '/auth/login', { email: view.email, password })));
  const email = <Field label="Email">{(id) => <input id={id} class="input" type="email" readOnly value={view.email} />}</Field>;
  if (mode === 'sign-in') {
    return (
      <AuthCard title={title} intro={intro}>
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void signIn.run();
          }}
        >
          <p class="small muted">Sign in with your account, then accept.</p>
          {email}
          <Field label="Password">
            {(id) => (
              <input
                id={id}
                class="input"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            )}
          </Field>
          <FormError error={signIn.error ?? create.error} />
          <Button type="submit" variant="primary" busy={signIn.busy}>
            Sign in
          </Button>
          <Button variant="ghost small" onClick={() => setMode('create')}>
            I have no account yet
          </Button>
        </form>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={title} intro={intro}>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        {email}
        <Field label="Your name">
          {(id) => (
            <input
              id={id}
              class="input"
              autoComplete="name"
              required
              maxLength={200}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Choose a password" hint="At least 8 characters. Only you know it.">
          {(id, described) => (
            <input
              id={id}
              class="input"
              type="password"
              autoComplete="new-password"
              minLength={8}
              required
              aria-describedby={described}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <FormError error={create.error} />
        <Button type="submit" variant="primary" busy={create.busy}>
          Create account and join
        </Button>
        <Button variant="ghost small" onClick={() => setMode('sign-in')}>
          I already have an account
        </Button>
      </form>
    </AuthCard>
  );
}
