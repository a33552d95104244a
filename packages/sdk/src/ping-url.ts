// Ping URLs of the native protocol (protocol.md §3): /ping/{check}[/{action}]?rid=…&msg=…

/** What a signal asks for: the suffix after the check in the ping URL. */
export type PingAction =
  | { kind: 'success' }
  | { kind: 'start' }
  | { kind: 'fail' }
  | { kind: 'log' }
  | { kind: 'progress'; percent: number | null }
  | { kind: 'exit'; code: number };

/** Longest message sent in the query string; the body carries the full text. */
export const QUERY_MESSAGE_MAX = 1000;
/** The server keeps at most this much of a progress message. */
export const PROGRESS_MESSAGE_MAX = 255;

export function actionSuffix(action: PingAction): string {
  switch (action.kind) {
    case 'success':
      return '';
    case 'start':
      return '/start';
    case 'fail':
      return '/fail';
    case 'log':
      return '/log';
    case 'progress':
      return action.percent == null ? '/progress' : `/progress/${action.percent}`;
    case 'exit':
      return `/${action.code}`;
  }
}

/** A whole percentage from 0 to 100, or null for "no percentage". */
export function normalisePercent(percent: number | null | undefined): number | null {
  if (percent == null || !Number.isFinite(percent)) return null;
  return Math.min(100, Math.max(0, Math.round(percent)));
}

/** An exit status the protocol accepts (0–255); anything else counts as a generic failure, 1. */
export function normaliseExitCode(code: number): number {
  return Number.isInteger(code) && code >= 0 && code <= 255 ? code : 1;
}

/**
 * The ping URL for a check: a UUID, an 8-character key, "{ping_key}/{slug}", or a full ping URL
 * (http… — used as is, so healthchecks.io-style URLs copied from elsewhere work).
 */
export function pingUrl(baseUrl: string, check: string, action: PingAction, query: { rid?: string | null; msg?: string | null }): string {
  const base = /^https?:\/\//i.test(check)
    ? check.replace(/\/+$/, '')
    : `${baseUrl.replace(/\/+$/, '')}/ping/${check.split('/').filter(Boolean).map(encodeURIComponent).join('/')}`;
  const params = new URLSearchParams();
  if (query.rid) params.set('rid', query.rid);
  if (query.msg) params.set('msg', query.msg.length > QUERY_MESSAGE_MAX ? query.msg.slice(0, QUERY_MESSAGE_MAX) : query.msg);
  const search = params.toString();
  return `${base}${actionSuffix(action)}${search ? `?${search}` : ''}`;
}

/** A fresh run id: random enough to tell this process's runs apart, without needing node:crypto. */
export function newRunId(): string {
  const bytes = new Uint8Array(12);
  const crypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (crypto?.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
