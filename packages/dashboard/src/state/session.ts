// The signed-in session: who, which workspace, with which role. Components read it through useSession().
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, get, setCsrfToken } from '../api/client';
import type { Role, Session } from '../api/types';
import { syncServerTime } from './clock';

export type SessionState = { kind: 'loading' } | { kind: 'setup' } | { kind: 'signed-out' } | { kind: 'signed-in'; session: Session };

let state: SessionState = { kind: 'loading' };
const listeners = new Set<() => void>();

function set(next: SessionState): void {
  state = next;
  listeners.forEach((fn) => fn());
}

/**
 * Whether this browser was signed in when it last knew ('in' / 'out'; absent: never known). A signed-out browser
 * then skips the session probe, whose 401 Chromium would log as a console error on every visit to the sign-in page.
 */
const HINT = 'overdue-signed-in';

function remember(value: 'in' | 'out'): void {
  try {
    localStorage.setItem(HINT, value);
  } catch {
    // Storage refused (private mode): the probe simply runs every time.
  }
}

function remembered(): string | null {
  try {
    return localStorage.getItem(HINT);
  } catch {
    return null;
  }
}

export function adopt(session: Session): Session {
  remember('in');
  setCsrfToken(session.csrf_token);
  syncServerTime(session.server_time);
  set({ kind: 'signed-in', session });
  return session;
}

/** Reads the session from the server; with none, says whether first-run setup is needed. */
export async function loadSession(): Promise<void> {
  // First run, or a browser that signed out: no session can exist, so it is not asked for.
  if (remembered() !== 'in') {
    const { setup_required } = await get<{ setup_required: boolean }>('/auth/setup');
    if (setup_required) return set({ kind: 'setup' });
    if (remembered() === 'out') return set({ kind: 'signed-out' });
  }
  try {
    adopt(await get<Session>('/auth/session'));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    remember('out');
    set({ kind: 'signed-out' });
  }
}

export function signedOut(): void {
  remember('out');
  setCsrfToken('');
  set({ kind: 'signed-out' });
}

export async function signOut(): Promise<void> {
  await api('POST', '/auth/logout').catch(() => undefined);
  signedOut();
}

export function useSession(): SessionState {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((n) => n + 1);
    listeners.add(update);
    return () => listeners.delete(update);
  }, []);
  return state;
}

export function currentRole(): Role | null {
  return state.kind === 'signed-in' ? (state.session.workspace?.role ?? null) : null;
}

/** Editors and admins change checks and channels; only admins manage keys and members. */
export function useCan(): { write: boolean; admin: boolean } {
  const s = useSession();
  const role = s.kind === 'signed-in' ? s.session.workspace?.role : null;
  return { write: role === 'admin' || role === 'editor', admin: role === 'admin' };
}
