// First run (create the admin) and sign-in.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Session } from '../api/types';
import { adopt } from '../state/session';
import { Logo } from '../components/icons';
import { Button, Field, FormError, useAction } from '../components/ui';

export function AuthCard({ title, intro, children }: { title: string; intro: string; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Overdue`;
  }, [title]);
  return (
    <main class="auth" id="main">
      <div class="card">
        <div class="card-body">
          <span class="brand">
            <Logo /> Overdue
          </span>
          <div class="stack">
            <h1>{title}</h1>
            <p class="muted">{intro}</p>
          </div>
          {children}
        </div>
      </div>
    </main>
  );
}

export function SetupPage() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [setupKey, setSetupKey] = useState('');
  const action = useAction(async () => adopt(await api<Session>('POST', '/auth/setup', { name, email, password, setup_key: setupKey })));
  return (
    <AuthCard title="Welcome to Overdue" intro="Create the administrator account. You can invite your team afterwards.">
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run();
        }}
      >
        <Field label="Admin API key" hint="Printed by the server when it first started (or the value of OVERDUE_BOOTSTRAP_KEY).">
          {(id, described) => (
            <input
              id={id}
              class="input mono"
              type="password"
              autoComplete="off"
              spellcheck={false}
              required
              aria-describedby={described}
              value={setupKey}
              onInput={(e) => setSetupKey(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Your name">
          {(id) => (
            <input id={id} class="input" autoComplete="name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Email">
          {(id) => (
            <input
              id={id}
              class="input"
              type="email"
              autoComplete="email"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Password" hint="At least 8 characters.">
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
        <FormError error={action.error} />
        <Button type="submit" variant="primary" busy={action.busy}>
          Create admin account
        </Button>
      </form>
    </AuthCard>
  );
}

export function LoginPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction(async () => adopt(await api<Session>('POST', '/auth/login', { email, password })));
  return (
    <AuthCard title="Sign in" intro="Every job at a glance, live.">
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run();
        }}
      >
        <Field label="Email">
          {(id) => (
            <input
              id={id}
              class="input"
              type="email"
              autoComplete="username"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          )}
        </Field>
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
        <FormError error={action.error} />
        <Button type="submit" variant="primary" busy={action.busy}>
          Sign in
        </Button>
      </form>
    </AuthCard>
  );
}
