// The application: who is signed in decides the screen; signed-in people get the shell with navigation.
import { useEffect, useState } from 'preact/hooks';
import { api, onUnauthorized } from './api/client';
import { disconnectLive, liveState, onLive, reconnectLive, type LiveState } from './api/events';
import type { Session } from './api/types';
import { Link, match, navigate, useLocation } from './router';
import { adopt, loadSession, signOut, signedOut, useSession } from './state/session';
import { checksStore, useChecksStore } from './state/checks';
import { setTheme, useTheme } from './theme';
import {
  ChannelIcon,
  ChecksIcon,
  CronIcon,
  IncidentIcon,
  KeyIcon,
  Logo,
  MaintenanceIcon,
  MenuIcon,
  MoonIcon,
  SettingsIcon,
  SignOutIcon,
  SunIcon,
} from './components/icons';
import { Button, Empty, Toasts, toast } from './components/ui';
import { LoginPage, SetupPage } from './pages/auth';
import { ChecksPage } from './pages/checks-list';
import { CheckPage } from './pages/check-detail';
import { CheckFormPage } from './pages/check-form';
import { CronJobsPage } from './pages/cron-jobs';
import { IncidentsPage } from './pages/incidents';
import { ChannelsPage } from './pages/channels';
import { MaintenancePage } from './pages/maintenance';
import { KeysPage } from './pages/keys';
import { SettingsPage } from './pages/settings';
import { InvitePage } from './pages/invite';

export function App() {
  const state = useSession();
  const { path } = useLocation();
  useEffect(() => {
    loadSession().catch((e: Error) => toast(e.message, true));
    return onUnauthorized(() => signedOut());
  }, []);
  const workspaceId = state.kind === 'signed-in' ? state.session.workspace?.id : undefined;
  useEffect(() => {
    if (!workspaceId) {
      disconnectLive();
      return;
    }
    // A new workspace: forget the old one's checks, follow the new one live.
    checksStore.clear();
    reconnectLive();
    void checksStore.reload();
  }, [workspaceId]);

  if (state.kind === 'loading') return <div class="auth" aria-busy="true" />;
  // An invitation link: shown signed in or out (accepting may create the account).
  if (path === '/invite')
    return (
      <>
        <InvitePage state={state} />
        <Toasts />
      </>
    );
  if (state.kind === 'setup')
    return (
      <>
        <SetupPage />
        <Toasts />
      </>
    );
  if (state.kind === 'signed-out')
    return (
      <>
        <LoginPage />
        <Toasts />
      </>
    );
  return (
    <>
      <Shell session={state.session} />
      <Toasts />
    </>
  );
}

const NAV = [
  { href: '/', label: 'Checks', icon: ChecksIcon, active: (p: string) => p === '/' || p.startsWith('/checks') },
  { href: '/cron', label: 'Cron jobs', icon: CronIcon },
  { href: '/incidents', label: 'Incidents', icon: IncidentIcon },
  { href: '/channels', label: 'Channels', icon: ChannelIcon },
  { href: '/maintenance', label: 'Maintenance', icon: MaintenanceIcon },
  { href: '/keys', label: 'API keys', icon: KeyIcon },
  { href: '/settings', label: 'Settings', icon: SettingsIcon },
];

function Shell({ session }: { session: Session }) {
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  if (path === '/login' || path === '/setup') navigate('/', true);
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link class="brand" href="/">
          <Logo /> Overdue
        </Link>
        <Button
          variant="ghost icon"
          aria-label="Menu"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          <MenuIcon />
        </Button>
      </header>
      {menuOpen && <div class="scrim" onClick={() => setMenuOpen(false)} />}
      <Sidebar session={session} path={path} open={menuOpen} />
      <main class="main" id="main" tabIndex={-1}>
        {session.workspace || path === '/settings' ? <Routes path={path} /> : <NoWorkspace />}
      </main>
    </div>
  );
}

function Sidebar({ session, path, open }: { session: Session; path: string; open: boolean }) {
  const store = useChecksStore();
  const theme = useTheme();
  let down = 0;
  for (const check of store.byId.values()) if (check.status === 'down') down += 1;
  return (
    <nav class="sidebar" id="sidebar" data-open={open} aria-label="Main">
      <Link class="brand" href="/">
        <Logo /> Overdue
      </Link>
      <WorkspaceSwitcher session={session} />
      <div class="nav">
        {NAV.map((item) => {
          const active = item.active ? item.active(path) : path.startsWith(item.href);
          return (
            <Link key={item.href} href={item.href} aria-current={active ? 'page' : undefined}>
              <item.icon /> {item.label}
              {item.href === '/' && down > 0 && (
                <span class="count" aria-label={`${down} down`}>
                  {down}
                </span>
              )}
            </Link>
          );
        })}
      </div>
      <div class="sidebar-foot">
        <LiveIndicator />
        <div class="user-line">
          <span class="avatar" aria-hidden="true">
            {initials(session.user.name)}
          </span>
          <span class="truncate small" title={session.user.email}>
            {session.user.name}
          </span>
        </div>
        <div class="row">
          <Button
            variant="ghost small"
            onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          >
            {theme === 'dark' ? <SunIcon /> : <MoonIcon />} {theme === 'dark' ? 'Light' : 'Dark'}
          </Button>
          <Button variant="ghost small" onClick={() => void signOut()}>
            <SignOutIcon /> Sign out
          </Button>
        </div>
      </div>
    </nav>
  );
}

function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0]!.toUpperCase())
      .join('') || '?'
  );
}

function WorkspaceSwitcher({ session }: { session: Session }) {
  const change = async (value: string) => {
    if (value === '__new') {
      navigate('/settings#new-workspace');
      return;
    }
    try {
      adopt(await api<Session>('PUT', '/auth/session', { workspace_id: value }));
      navigate('/');
    } catch (e) {
      toast((e as Error).message, true);
    }
  };
  return (
    <div class="field">
      <label for="workspace-switcher" class="xs muted">
        Workspace
      </label>
      <select
        id="workspace-switcher"
        class="input"
        value={session.workspace?.id ?? ''}
        onChange={(e) => void change(e.currentTarget.value)}
      >
        {session.workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
        <option value="__new">+ New workspace…</option>
      </select>
    </div>
  );
}

function LiveIndicator() {
  const [state, setState] = useState<LiveState>(liveState());
  useEffect(() => onLive({ state: setState }), []);
  const words: Record<LiveState, string> = {
    live: 'Live updates on',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    offline: 'Offline — retrying',
  };
  return (
    <span class="live" data-state={state} role="status">
      {words[state]}
    </span>
  );
}

function Routes({ path }: { path: string }) {
  let params: Record<string, string> | null;
  if (path === '/' || path === '/checks') return <ChecksPage />;
  if (path === '/checks/new') return <CheckFormPage />;
  if ((params = match('/checks/:id/edit', path))) return <CheckFormPage id={params.id} />;
  if ((params = match('/checks/:id', path))) return <CheckPage id={params.id} />;
  if (path === '/cron') return <CronJobsPage />;
  if (path === '/incidents') return <IncidentsPage />;
  if (path === '/channels') return <ChannelsPage />;
  if (path === '/maintenance') return <MaintenancePage />;
  if (path === '/keys') return <KeysPage />;
  if (path === '/settings') return <SettingsPage />;
  return (
    <Empty title="Page not found">
      <p>There is nothing at {path}.</p>
      <Link class="btn" href="/">
        Back to checks
      </Link>
    </Empty>
  );
}

function NoWorkspace() {
  return (
    <Empty title="You are not in a workspace yet">
      <p>Ask an admin to add you, or create a workspace of your own.</p>
      <Link class="btn primary" href="/settings#new-workspace">
        Create a workspace
      </Link>
    </Empty>
  );
}
