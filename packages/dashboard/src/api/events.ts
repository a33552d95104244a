// Live updates: one EventSource on /api/v1/events per page, fanned out to whoever listens.
import type { Check } from './types';
import { syncServerTime } from '../state/clock';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveListener {
  checks?(items: Check[]): void;
  deleted?(ids: string[]): void;
  /** The stream came back after a gap: events may have been missed, so reload what is shown. */
  resumed?(): void;
  state?(state: LiveState): void;
}

const listeners = new Set<LiveListener>();
let source: EventSource | null = null;
let retry: ReturnType<typeof setTimeout> | null = null;
let hadConnection = false;
let current: LiveState = 'offline';

function setState(state: LiveState): void {
  current = state;
  for (const l of listeners) l.state?.(state);
}

export function liveState(): LiveState {
  return current;
}

function parse(event: Event): { now?: string; items?: Check[]; ids?: string[] } {
  const data = JSON.parse((event as MessageEvent).data);
  if (data.now) syncServerTime(data.now);
  return data;
}

/** Opens the stream (once); it follows the session's current workspace, so call reconnect after a switch. */
export function connectLive(): void {
  if (source) return;
  setState(hadConnection ? 'reconnecting' : 'connecting');
  const es = new EventSource('/api/v1/events');
  source = es;
  es.addEventListener('hello', (event) => {
    parse(event);
    const resumed = hadConnection;
    hadConnection = true;
    setState('live');
    if (resumed) for (const l of listeners) l.resumed?.();
  });
  es.addEventListener('checks', (event) => {
    const { items = [] } = parse(event);
    for (const l of listeners) l.checks?.(items);
  });
  es.addEventListener('deleted', (event) => {
    const { ids = [] } = parse(event);
    for (const l of listeners) l.deleted?.(ids);
  });
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) {
      // The browser gave up (e.g. the server answered 401 or restarted): try again ourselves.
      source = null;
      setState('offline');
      retry ??= setTimeout(() => {
        retry = null;
        connectLive();
      }, 5000);
    } else {
      setState('reconnecting');
    }
  };
}

export function disconnectLive(): void {
  if (retry) clearTimeout(retry);
  retry = null;
  source?.close();
  source = null;
  hadConnection = false;
  setState('offline');
}

export function reconnectLive(): void {
  disconnectLive();
  connectLive();
}

export function onLive(listener: LiveListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
