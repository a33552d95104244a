// Dashboard sessions in tests: sign up or in over HTTP and make requests as that browser would (cookie + CSRF token).
import { expect } from 'vitest';
import type { TestServer } from './server.js';

export interface Browserish {
  cookie: string;
  csrf: string;
  session: any;
  /** A request with the session cookie; writes carry the CSRF token unless `csrf` is false. */
  request(
    method: string,
    route: string,
    body?: unknown,
    options?: { csrf?: boolean; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
}

export function cookieOf(headers: Headers): string {
  const set = headers.get('set-cookie') ?? '';
  // Over https the name carries the __Host- prefix; the cookie goes back under the name it was set with.
  const match = /((?:__Host-)?overdue_session)=([^;]*)/.exec(set);
  expect(match, `set-cookie: ${set}`).not.toBeNull();
  return `${match![1]}=${match![2]}`;
}

export function asBrowser(t: TestServer, cookie: string, csrf: string, session: any = null): Browserish {
  return {
    cookie,
    csrf,
    session,
    async request(method, route, body, options = {}) {
      const headers: Record<string, string> = { cookie, ...options.headers };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (options.csrf !== false && method !== 'GET') headers['x-csrf-token'] = csrf;
      const response = await fetch(t.url + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
    },
  };
}

/** First-run setup of the admin (proved with the workspace's admin key); returns the signed-in browser. */
export async function setupAdmin(t: TestServer, email = 'admin@example.com', password = 'correct horse battery'): Promise<Browserish> {
  const res = await t.api('POST', '/api/v1/auth/setup', { name: 'Admin', email, password, setup_key: t.key }, null);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return asBrowser(t, cookieOf(res.headers), res.body.csrf_token, res.body);
}

export async function signIn(t: TestServer, email: string, password: string): Promise<Browserish> {
  const res = await t.api('POST', '/api/v1/auth/login', { email, password }, null);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return asBrowser(t, cookieOf(res.headers), res.body.csrf_token, res.body);
}

/** The token of an invitation link (…/invite#<token>). */
export function tokenOf(acceptUrl: string): string {
  return new URL(acceptUrl).hash.slice(1);
}

/**
 * A person joins the workspace the way people do: an admin (a signed-in browser, or the admin key) invites the
 * address, and the person accepts the link by creating their own account. Returns that person's browser.
 */
export async function joinByInvitation(
  t: TestServer,
  email: string,
  role: string,
  password = 'initial password',
  by: Browserish | null = null,
): Promise<Browserish> {
  const invited = by
    ? await by.request('POST', '/api/v1/members', { email, role })
    : await t.api('POST', '/api/v1/members', { email, role });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const res = await t.api(
    'POST',
    '/api/v1/invitations/accept',
    { token: tokenOf(invited.body.accept_url), name: email.split('@')[0], password },
    null,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return asBrowser(t, cookieOf(res.headers), res.body.csrf_token, res.body);
}
