// Sign-in rate limits: wrong passwords from one client network slow down guessing there, and never lock the
// account's owner out from another network (audit finding 10).
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkOf } from '../../src/auth/sign-in-limits.js';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { setupAdmin } from '../support/session.js';

/** POST /api/v1/auth/login from a chosen loopback address (127.0.0.x are different clients to the server). */
function loginFrom(
  t: TestServer,
  localAddress: string,
  email: string,
  password: string,
): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ email, password });
    const request = http.request(
      `${t.url}/api/v1/auth/login`,
      {
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('sign-in lockout', () => {
  let t: TestServer;
  beforeAll(async () => {
    // A still clock: however slow each password hash is here, no token comes back between the guesses.
    t = await startTestServer({ clock: new ManualClock(Date.parse('2026-03-02T10:00:00Z')) });
    await setupAdmin(t, 'vera@example.com', 'correct horse battery');
  });
  afterAll(async () => {
    await t.close();
  });

  it('wrong passwords from one address lock that address out, not the owner signing in from another', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await loginFrom(t, '127.0.0.13', 'vera@example.com', `guess ${i}`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const locked = await loginFrom(t, '127.0.0.13', 'VERA@example.com', 'correct horse battery');
    expect(locked.status).toBe(429);
    expect(Number(locked.retryAfter)).toBeGreaterThan(0);
    expect((await loginFrom(t, '127.0.0.14', 'vera@example.com', 'correct horse battery')).status).toBe(200);
    expect((await loginFrom(t, '127.0.0.14', 'VERA@example.com', 'correct horse battery')).status).toBe(200);
  });

  it('counts an IPv6 client by its /64, and an IPv4-mapped address as the IPv4 address', () => {
    expect(networkOf('2001:db8:1:2:aaaa::1')).toBe(networkOf('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee'));
    expect(networkOf('2001:db8:1:2::1')).not.toBe(networkOf('2001:db8:1:3::1'));
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(networkOf('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(networkOf('127.0.0.1')).toBe('127.0.0.1');
  });
});
