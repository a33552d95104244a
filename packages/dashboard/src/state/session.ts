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

export function adopt(session: Session): Session {
  setCsrfToken(session.csrf_token);
  syncServerTime(session.server_time);
  set({ kind: 'signed-in', session });
  return session;
}

/** Reads the session from the server; with none, says whether first-run setup is needed. */
export async function loadSession(): Promise<void> {
  try {
    adopt(await get<Session>('/auth/session'));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    const { setup_required } = await get<{ setup_required: boolean }>('/auth/setup');
    set({ kind: setup_required ? 'setup' : 'signed-out' });
  }
}

export function signedOut(): void {
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
