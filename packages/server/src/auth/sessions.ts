// Browser sessions: a random secret in an HttpOnly cookie, stored only as its SHA-256, with a CSRF token per session.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db.js';
import { insertSession } from '../store/users.js';
import { DAY_MS, HOUR_MS } from '../core/index.js';

export const SESSION_COOKIE = 'overdue_session';
/**
 * The cookie's name over https: the __Host- prefix makes browsers refuse it unless it is Secure, Path=/ and has no
 * Domain, so a sibling subdomain cannot set (toss) a session cookie for this site.
 */
export const HOST_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
export const CSRF_HEADER = 'x-csrf-token';
/** A session lives 30 days after its last use. */
export const SESSION_TTL_MS = 30 * DAY_MS;
/** last_seen_at is written at most this often, so reads do not turn into writes. */
export const SESSION_TOUCH_MS = HOUR_MS;

declare module 'fastify' {
  interface FastifyInstance {
    /** The session cookie's name on this server (sessionCookieName of its public URL). */
    overdueSessionCookie: string;
  }
}

export type Role = 'admin' | 'editor' | 'viewer';
export const ROLES: Role[] = ['admin', 'editor', 'viewer'];

export function sessionIdOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates a session and returns the cookie's secret (never stored) and the CSRF token. */
export async function openSession(
  db: Db,
  userId: string,
  workspaceId: string | null,
  now: number,
): Promise<{ secret: string; csrfToken: string }> {
  const secret = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await insertSession(db, {
    id: sessionIdOf(secret),
    user_id: userId,
    workspace_id: workspaceId,
    csrf_token: csrfToken,
    created_at: now,
    last_seen_at: now,
    expires_at: now + SESSION_TTL_MS,
  });
  return { secret, csrfToken };
}

/** Whether two secrets are equal, compared in constant time. */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The session cookie's name for a server whose public URL is `publicUrl`: __Host- prefixed over https. */
export function sessionCookieName(publicUrl: string): string {
  return publicUrl.startsWith('https:') ? HOST_SESSION_COOKIE : SESSION_COOKIE;
}

/**
 * The value of one cookie from a Cookie header; null when it is absent or cannot be decoded (a malformed cookie is
 * no cookie: anyone can send one, and it must not cost more than a missing one).
 */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * Set-Cookie for the session: HttpOnly (scripts cannot read it), SameSite=Strict, Secure behind https. The
 * __Host- name is always Secure with Path=/ and no Domain, or browsers drop it.
 */
export function sessionCookie(name: string, secret: string, secure: boolean, maxAgeS = SESSION_TTL_MS / 1000): string {
  const isSecure = secure || name === HOST_SESSION_COOKIE;
  return [
    `${name}=${secret}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.floor(maxAgeS)}`,
    ...(isSecure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(name: string, secure: boolean): string {
  return sessionCookie(name, '', secure, 0);
}
