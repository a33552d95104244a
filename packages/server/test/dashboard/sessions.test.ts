// Dashboard sign-in: first-run admin, hashed passwords, HttpOnly SameSite cookies, CSRF on writes, sign-out.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { asBrowser, cookieOf, setupAdmin, signIn, type Browserish } from '../support/session.js';

describe('first run and signing in', () => {
  let t: TestServer;
  let admin: Browserish;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('asks for the admin account until one exists, then never again', async () => {
    expect((await t.api('GET', '/api/v1/auth/setup', undefined, null)).body).toEqual({ setup_required: true });
    admin = await setupAdmin(t);
    expect(admin.session.user).toMatchObject({ email: 'admin@example.com', name: 'Admin' });
    expect(admin.session.workspace).toMatchObject({ id: t.workspaceId, name: 'Default', role: 'admin' });
    expect((await t.api('GET', '/api/v1/auth/setup', undefined, null)).body).toEqual({ setup_required: false });
    const again = await t.api(
      'POST',
      '/api/v1/auth/setup',
      { name: 'Mallory', email: 'mallory@example.com', password: 'a long password', setup_key: t.key },
      null,
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('setup_done');
  });

  it('refuses a short password at setup with a sentence saying why', async () => {
    const other = await startTestServer();
    try {
      const res = await other.api(
        'POST',
        '/api/v1/auth/setup',
        { name: 'A', email: 'a@example.com', password: 'short', setup_key: other.key },
        null,
      );
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'weak_password', message: expect.stringContaining('8 characters') });
      expect((await other.api('GET', '/api/v1/auth/setup', undefined, null)).body.setup_required).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('makes nobody admin without an admin API key: a missing key, a wrong one, a read or ping key are refused', async () => {
    const other = await startTestServer();
    try {
      const setup = (setupKey?: string) =>
        other.api(
          'POST',
          '/api/v1/auth/setup',
          {
            name: 'Mallory',
            email: 'mallory@example.com',
            password: 'a long password',
            ...(setupKey === undefined ? {} : { setup_key: setupKey }),
          },
          null,
        );
      expect((await setup()).status).toBe(400);
      const attempts = [
        'od_not-a-key-of-this-server',
        (await other.otherWorkspace('read')).key,
        await other.keyWithScope('read'),
        await other.keyWithScope('ping'),
      ];
      for (const key of attempts) {
        const res = await setup(key);
        expect(res.status, key).toBe(403);
        expect(res.body.error).toMatchObject({
          code: 'invalid_setup_key',
          message: expect.stringContaining('printed when the server first started'),
        });
      }
      expect((await other.api('GET', '/api/v1/auth/setup', undefined, null)).body.setup_required).toBe(true);
      // An admin key of any workspace proves access to the server: then setup goes through.
      const res = await setup((await other.otherWorkspace('write')).key);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect((await other.api('GET', '/api/v1/auth/setup', undefined, null)).body.setup_required).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('sets the session as an HttpOnly, SameSite=Strict cookie for the whole site', async () => {
    const res = await t.api('POST', '/api/v1/auth/login', { email: 'ADMIN@example.com', password: 'correct horse battery' }, null);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^overdue_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure'); // plain http on loopback; https public URLs get Secure
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.csrf_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('answers a wrong password and an unknown address the same way', async () => {
    const wrong = await t.api('POST', '/api/v1/auth/login', { email: 'admin@example.com', password: 'not the password' }, null);
    const unknown = await t.api('POST', '/api/v1/auth/login', { email: 'nobody@example.com', password: 'not the password' }, null);
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual({ code: 'invalid_credentials', message: 'That email and password do not match an account.' });
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('slows down password guessing for one account with 429 and Retry-After', async () => {
    // A still clock: however slow each hash is on this machine, no token comes back between the guesses.
    const { ManualClock } = await import('../support/server.js');
    const still = await startTestServer({ clock: new ManualClock(Date.parse('2026-03-02T10:00:00Z')) });
    try {
      let last = { status: 0, headers: new Headers() } as Awaited<ReturnType<TestServer['api']>>;
      for (let i = 0; i < 12 && last.status !== 429; i += 1) {
        last = await still.api('POST', '/api/v1/auth/login', { email: 'target@example.com', password: `guess ${i}` }, null);
      }
      expect(last.status).toBe(429);
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await still.close();
    }
  });

  it("lets the session read the API; a write needs the session's CSRF token", async () => {
    expect((await admin.request('GET', '/api/v1/checks')).status).toBe(200);
    const forged = await admin.request('POST', '/api/v1/checks', { name: 'forged' }, { csrf: false });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('csrf_failed');
    const wrongToken = await admin.request(
      'POST',
      '/api/v1/checks',
      { name: 'forged' },
      { csrf: false, headers: { 'x-csrf-token': 'x'.repeat(32) } },
    );
    expect(wrongToken.status).toBe(403);
    expect((await t.api('GET', '/api/v1/checks?q=forged')).body.items).toEqual([]);
    const real = await admin.request('POST', '/api/v1/checks', { name: 'made in the dashboard' });
    expect(real.status).toBe(201);
  });

  it('keeps API keys working exactly as before, without a CSRF token', async () => {
    const res = await t.api('POST', '/api/v1/checks', { name: 'made by a key' });
    expect(res.status).toBe(201);
    expect((await t.api('GET', '/api/v1/checks', undefined, null)).status).toBe(401);
  });

  it('stores passwords as scrypt hashes only', async () => {
    const row = await t.server.runtime.store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$5\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(row.password_hash).not.toContain('correct horse');
    const sessions = await t.server.runtime.store.db.selectFrom('sessions').select('id').execute();
    // Session rows hold the hash of the cookie's secret, never the secret.
    for (const s of sessions) expect(admin.cookie).not.toContain(s.id);
  });

  it('ends the session on sign-out', async () => {
    const browser = await signIn(t, 'admin@example.com', 'correct horse battery');
    expect((await browser.request('POST', '/api/v1/auth/logout')).status).toBe(204);
    const after = await browser.request('GET', '/api/v1/checks');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('session_expired');
  });

  it('a changed password signs out the other sessions and needs the current one', async () => {
    const other = await signIn(t, 'admin@example.com', 'correct horse battery');
    const wrong = await admin.request('PATCH', '/api/v1/users/me', { current_password: 'nope', new_password: 'another long one' });
    expect(wrong.status).toBe(403);
    const changed = await admin.request('PATCH', '/api/v1/users/me', {
      current_password: 'correct horse battery',
      new_password: 'another long one',
    });
    expect(changed.status).toBe(200);
    expect((await other.request('GET', '/api/v1/checks')).status).toBe(401);
    expect((await admin.request('GET', '/api/v1/checks')).status).toBe(200);
    await signIn(t, 'admin@example.com', 'another long one');
  });
});

describe('the session cookie against tossing and garbage', () => {
  it('a malformed session cookie is no session: 401 on a keyed route, never a 500', async () => {
    const t = await startTestServer();
    try {
      await setupAdmin(t);
      for (const cookie of ['overdue_session=%E0%A4%A', 'overdue_session=%', 'overdue_session=%zz; other=1']) {
        for (const route of ['/api/v1/checks', '/api/v1/auth/session']) {
          const res = await fetch(t.url + route, { headers: { cookie } });
          expect(res.status, `${cookie} on ${route}`).toBe(401);
          expect((await res.json()).error.code).toBe('unauthorized');
        }
        // Where no session is needed, the garbage changes nothing.
        const login = await fetch(`${t.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'admin@example.com', password: 'correct horse battery' }),
        });
        expect(login.status).toBe(200);
      }
    } finally {
      await t.close();
    }
  });

  it('over https the cookie is __Host-overdue_session (Secure, Path=/, no Domain), and the plain name is ignored', async () => {
    const t = await startTestServer({ env: { OVERDUE_PUBLIC_URL: 'https://overdue.example.com' } });
    try {
      const admin = await setupAdmin(t);
      const res = await t.api('POST', '/api/v1/auth/login', { email: 'admin@example.com', password: 'correct horse battery' }, null);
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^__Host-overdue_session=[A-Za-z0-9_-]{40,}; Path=\/;/);
      expect(cookie).toContain('Secure');
      expect(cookie).not.toMatch(/Domain=/i);
      expect(admin.cookie).toMatch(/^__Host-overdue_session=/);
      expect((await admin.request('GET', '/api/v1/checks')).status).toBe(200);
      // A sibling subdomain can set overdue_session for the parent domain, never __Host-: that name is not read.
      const tossed = admin.cookie.replace('__Host-overdue_session', 'overdue_session');
      expect((await fetch(`${t.url}/api/v1/checks`, { headers: { cookie: tossed } })).status).toBe(401);
      const logout = await admin.request('POST', '/api/v1/auth/logout');
      expect(logout.headers.get('set-cookie')).toMatch(/^__Host-overdue_session=; Path=\/;.*Max-Age=0.*Secure/);
    } finally {
      await t.close();
    }
  });

  it('over plain http the cookie keeps the plain name (browsers refuse __Host- without Secure)', async () => {
    const t = await startTestServer({ env: { OVERDUE_PUBLIC_URL: 'http://overdue.internal:8000' } });
    try {
      const res = await t.api(
        'POST',
        '/api/v1/auth/setup',
        { name: 'Admin', email: 'admin@example.com', password: 'correct horse battery', setup_key: t.key },
        null,
      );
      expect(res.headers.get('set-cookie')).toMatch(/^overdue_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    } finally {
      await t.close();
    }
  });
});

describe('password hashes of an older cost', () => {
  it('a hash made with p=1 still verifies, and is replaced by the current cost at the next sign-in', async () => {
    const { scryptSync, randomBytes } = await import('node:crypto');
    const t = await startTestServer();
    try {
      await setupAdmin(t, 'old@example.com', 'an old password');
      const salt = randomBytes(16);
      const old = `scrypt$16384$8$1$${salt.toString('base64')}$${scryptSync('an old password', salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')}`;
      const db = t.server.runtime.store.db;
      await db.updateTable('users').set({ password_hash: old }).where('email', '=', 'old@example.com').execute();
      expect((await t.api('POST', '/api/v1/auth/login', { email: 'old@example.com', password: 'not it' }, null)).status).toBe(401);
      expect((await db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow()).password_hash).toBe(old);
      expect((await t.api('POST', '/api/v1/auth/login', { email: 'old@example.com', password: 'an old password' }, null)).status).toBe(200);
      const upgraded = (await db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow()).password_hash;
      expect(upgraded).toMatch(/^scrypt\$16384\$8\$5\$/);
      expect((await t.api('POST', '/api/v1/auth/login', { email: 'old@example.com', password: 'an old password' }, null)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('sessions expire', () => {
  it('a session unused for 30 days is refused', async () => {
    const { ManualClock } = await import('../support/server.js');
    const clock = new ManualClock(Date.parse('2026-03-02T10:00:00Z'));
    const t = await startTestServer({ clock });
    try {
      const admin = await setupAdmin(t);
      clock.advance(29 * 86_400_000);
      expect((await admin.request('GET', '/api/v1/checks')).status).toBe(200);
      clock.advance(29 * 86_400_000); // used on day 29: lives until day 59
      expect((await admin.request('GET', '/api/v1/checks')).status).toBe(200);
      clock.advance(31 * 86_400_000);
      expect((await admin.request('GET', '/api/v1/checks')).status).toBe(401);
    } finally {
      await t.close();
    }
  });
});

describe('a session cookie at rest', () => {
  it('never appears in the SQLite files', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-sessions-'));
    const t = await startTestServer({ dataDir });
    try {
      const admin = await setupAdmin(t);
      const secret = admin.cookie.split('=')[1];
      for (const file of fs.readdirSync(dataDir))
        expect(fs.readFileSync(path.join(dataDir, file)).includes(Buffer.from(secret)), file).toBe(false);
      expect(asBrowser(t, admin.cookie, admin.csrf)).toBeTruthy();
      expect(cookieOf(new Headers({ 'set-cookie': `overdue_session=${secret}; Path=/` }))).toBe(admin.cookie);
    } finally {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
