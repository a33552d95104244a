// Why the store could not be opened, as one sentence naming the setting to fix (DATABASE_URL or OVERDUE_DATA_DIR),
// instead of a driver's stack trace: `overdue serve`, `migrate` and `key create` print it and exit 1.
import { redactUrl } from './database.js';

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections at that host and port (ECONNREFUSED)',
  ENOTFOUND: 'that host name does not resolve (ENOTFOUND)',
  EAI_AGAIN: 'that host name could not be resolved right now (EAI_AGAIN)',
  ETIMEDOUT: 'the connection timed out (ETIMEDOUT)',
  EHOSTUNREACH: 'that host is unreachable (EHOSTUNREACH)',
  ENETUNREACH: 'that network is unreachable (ENETUNREACH)',
  ECONNRESET: 'the server closed the connection (ECONNRESET)',
};

/** PostgreSQL's own error codes (SQLSTATE) that mean the URL names something that is not there or not allowed. */
const POSTGRES: Record<string, string> = {
  '3D000': 'that database does not exist: create it (createdb) or name another one',
  '28P01': 'the password was refused',
  '28000': 'that role may not connect (it does not exist, or pg_hba.conf refuses it)',
  '57P03': 'the PostgreSQL server is starting up or shutting down: try again in a moment',
  '53300': 'the PostgreSQL server has no free connections (too many clients)',
  '42501': 'that role lacks a privilege Overdue needs (it creates its tables on first start)',
};

const SQLITE: Record<string, string> = {
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  SQLITE_NOTADB: 'overdue.db there is not a SQLite database',
  SQLITE_CORRUPT: 'overdue.db there is damaged: restore a backup (docs/operations/backup.md)',
  SQLITE_READONLY: 'the database file is read-only',
  SQLITE_FULL: 'the disk is full',
  EACCES: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  ENOTDIR: 'a part of that path is a file, not a directory',
};

/** The error's code, also when it is wrapped (Node's AggregateError for a host with several addresses). */
function codeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; errors?: unknown[] };
  if (typeof e?.code === 'string') return e.code;
  if (Array.isArray(e?.errors)) return e.errors.map(codeOf).find(Boolean);
  return undefined;
}

/**
 * The sentence for a failure to open or prepare the store, or null when `error` is not one (then it is a bug and
 * its stack trace is what a maintainer needs).
 */
export function explainStoreFailure(error: unknown, store: { databaseUrl?: string; dataDir: string }): string | null {
  const code = codeOf(error);
  const message = (error as Error)?.message ?? String(error);
  if (store.databaseUrl) {
    const named = `the PostgreSQL database named by DATABASE_URL (${redactUrl(store.databaseUrl)})`;
    if (code && NETWORK[code])
      return `cannot reach ${named}: ${NETWORK[code]}. Check the host and port, or unset DATABASE_URL to use the embedded SQLite store.`;
    if (code && POSTGRES[code]) return `cannot use ${named}: ${POSTGRES[code]} (PostgreSQL says: ${message}).`;
    if (/timeout|terminated/i.test(message) && /connect/i.test(message))
      return `cannot reach ${named}: no answer within 5 seconds. Check the host and port, and that a firewall lets the connection through.`;
    if (/SSL|certificate|self[- ]signed/i.test(message))
      return `cannot connect securely to ${named}: ${message}. Adjust sslmode in the URL (e.g. ?sslmode=require or ?sslmode=disable).`;
    if (code && /^[0-9A-Z]{5}$/.test(code)) return `cannot use ${named}: PostgreSQL says: ${message} (SQLSTATE ${code}).`;
    return null;
  }
  if (code && SQLITE[code])
    return `cannot open the SQLite store in OVERDUE_DATA_DIR (${store.dataDir}): ${SQLITE[code]}. Fix the directory's permissions or point OVERDUE_DATA_DIR elsewhere.`;
  return null;
}
