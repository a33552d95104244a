// Who is calling: an API key (X-Api-Key or Authorization: Bearer) or a dashboard session cookie (with a CSRF
// token on writes), and whether that caller may do what the route needs.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../store/db.js';
import { OverdueError, forbidden, unauthorized } from '../errors.js';
import { grants, verifyApiKey, type Scope, type VerifiedKey } from '../auth/api-keys.js';
import { CSRF_HEADER, SESSION_TOUCH_MS, SESSION_TTL_MS, readCookie, sameToken, sessionIdOf, type Role } from '../auth/sessions.js';
import { findSession, updateSession } from '../store/users.js';
import type { Clock } from '../clock.js';
import { MINUTE_MS } from '../core/index.js';

/** What a route needs: a key scope, or `admin` (a write key, or a session whose role is admin). */
export type Need = Scope | 'admin';

/** The authenticated caller; for sessions `scope` is the role's scope (viewer → read, editor and admin → write). */
export interface Caller extends VerifiedKey {
  via: 'key' | 'session';
  userId: string | null;
  role: Role | null;
}

/** A signed-in person, whether or not they act in a workspace. */
export interface SessionCaller {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  workspaceId: string | null;
  role: Role | null;
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: Caller;
  }
  interface FastifyInstance {
    /** The clock sessions expire by (a manual clock in tests). */
    overdueClock: Clock;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SIGNALS_NEED_A_KEY =
  'This request sends a signal: send an API key with the ping or write scope in the X-Api-Key header or as "Authorization: Bearer <key>" (a dashboard session cannot send signals).';
const NOT_SIGNED_IN = 'Send an API key in the X-Api-Key header or as "Authorization: Bearer <key>", or sign in to the dashboard.';

/** The token of an "Authorization: Bearer <token>" header, if the request has one. */
export function bearerToken(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  if (typeof authorization !== 'string') return null;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  return match ? match[1].trim() : null;
}

/** The key a request presents, from X-Api-Key or an Authorization bearer token. */
export function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  return bearerToken(request);
}

const USE_RECORD_INTERVAL_MS = MINUTE_MS;
const lastRecorded = new Map<string, number>();

/** Records when a key was last used, at most once a minute per key, outside any request transaction. */
function recordUse(db: Db, keyId: string, now: number): void {
  if ((lastRecorded.get(keyId) ?? 0) > now - USE_RECORD_INTERVAL_MS) return;
  if (lastRecorded.size > 10_000) lastRecorded.clear();
  lastRecorded.set(keyId, now);
  db.updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', keyId)
    .execute()
    .catch(() => lastRecorded.delete(keyId));
}

function scopeOfRole(role: Role): Scope {
  return role === 'viewer' ? 'read' : 'write';
}

/**
 * The signed-in person behind the session cookie, or null when there is no cookie. Throws 401 for an unknown or
 * expired session, and 403 when a write comes without the session's CSRF token in X-CSRF-Token.
 */
export async function sessionOf(db: Db, request: FastifyRequest): Promise<SessionCaller | null> {
  const secret = readCookie(request.headers.cookie, request.server.overdueSessionCookie);
  if (!secret) return null;
  const now = request.server.overdueClock.now();
  const row = await findSession(db, sessionIdOf(secret));
  if (!row || row.expires_at <= now) throw new OverdueError(401, 'session_expired', 'Your session has ended; sign in again.');
  if (!SAFE_METHODS.has(request.method)) {
    const token = request.headers[CSRF_HEADER];
    if (typeof token !== 'string' || !sameToken(token, row.csrf_token)) {
      throw new OverdueError(403, 'csrf_failed', "This change came without the session's CSRF token; reload the page and try again.");
    }
  }
  if (now - row.last_seen_at > SESSION_TOUCH_MS) await updateSession(db, row.id, { last_seen_at: now, expires_at: now + SESSION_TTL_MS });
  return {
    sessionId: row.id,
    userId: row.user_id,
    email: row.email,
    name: row.name,
    csrfToken: row.csrf_token,
    workspaceId: row.role ? row.workspace_id : null,
    role: (row.role as Role | null) ?? null,
  };
}

/** Like sessionOf, but a signed-in person is required (401 otherwise). */
export async function requireSession(db: Db, request: FastifyRequest): Promise<SessionCaller> {
  const session = await sessionOf(db, request);
  if (!session) throw unauthorized('Sign in to the dashboard first.');
  return session;
}

/** Verifies the caller (key first, then session) and that it may do `needed`; 401 or 403 otherwise. */
export async function requireKey(db: Db, request: FastifyRequest, needed: Need): Promise<Caller> {
  const presented = presentedKey(request);
  let caller: Caller;
  if (presented) {
    const key = await verifyApiKey(db, presented);
    if (!key) throw unauthorized('The API key is not valid or was revoked.');
    recordUse(db, key.id, request.server.overdueClock.now());
    const scopeNeeded = needed === 'admin' ? 'write' : needed;
    if (!grants(key.scope, scopeNeeded)) throw forbidden(`This key has the "${key.scope}" scope; this request needs "${scopeNeeded}".`);
    caller = { ...key, via: 'key', userId: null, role: null };
  } else {
    // A signal changes state, and some dialects take one on GET, which any same-site <img> can send with the
    // cookie: a session never sends signals (API keys and ping URLs do).
    if (needed === 'ping') throw unauthorized(SIGNALS_NEED_A_KEY);
    const session = await sessionOf(db, request);
    if (!session) throw unauthorized(NOT_SIGNED_IN);
    if (!session.workspaceId || !session.role)
      throw forbidden('You are not a member of any workspace; ask an admin to add you, or create a workspace.');
    const scope = scopeOfRole(session.role);
    if (needed === 'admin' ? session.role !== 'admin' : !grants(scope, needed)) {
      throw forbidden(
        `Your role in this workspace is "${session.role}"; this needs ${needed === 'admin' ? 'the admin role' : needed === 'write' ? 'the editor or admin role' : `the "${needed}" scope`}.`,
      );
    }
    caller = { id: session.sessionId, workspaceId: session.workspaceId, scope, via: 'session', userId: session.userId, role: session.role };
  }
  request.auth = caller;
  return caller;
}

/** An onRequest hook requiring `needed` (API key or signed-in session), checked before any body is read or validated. */
export function keyed(db: Db, needed: Need) {
  return async (request: FastifyRequest) => {
    await requireKey(db, request, needed);
  };
}
