// A dashboard session never sends a signal: Kodo takes signals on GET and HEAD, which an <img> on any same-site
// page sends with the session cookie and without any CSRF token (audit, INFO: state-changing GET).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { setupAdmin, type Browserish } from '../support/session.js';

describe('signals and the session cookie', () => {
  let t: TestServer;
  let admin: Browserish;
  let check: { id: string };
  const signalCount = async () => (await t.api('GET', `/api/v1/checks/${check.id}/signals`)).body.items.length as number;

  beforeAll(async () => {
    t = await startTestServer();
    admin = await setupAdmin(t);
    check = (await t.api('POST', '/api/v1/checks', { name: 'nightly backup' })).body;
  });
  afterAll(async () => {
    await t.close();
  });

  it('an <img>-style GET or HEAD with only the session cookie is refused and stores nothing', async () => {
    for (const method of ['GET', 'HEAD']) {
      const res = await fetch(`${t.url}/api/heartbeat/${check.id}?status=down&message=csrf-img`, {
        method,
        headers: { cookie: admin.cookie },
      });
      expect(res.status, method).toBe(401);
    }
    const res = await admin.request('GET', `/api/heartbeat/${check.id}?status=down&message=csrf-img`);
    expect(res.body.error.message).toContain('a dashboard session cannot send signals');
    expect(await signalCount()).toBe(0);
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).body.status).not.toBe('down');
  });

  it('no signal route takes a session, even a POST carrying the CSRF token', async () => {
    const attempts = [
      admin.request('POST', `/api/heartbeat/${check.id}`, { status: 'down' }),
      admin.request('POST', '/api/monitoring/heartbeat', { monitor_id: check.id }),
      admin.request('POST', '/api/v1/heartbeat/ping', { name: 'nightly backup' }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(401);
    expect(await signalCount()).toBe(0);
  });

  it('an API key (header) and the ping URL still send signals, on GET too', async () => {
    const key = await t.keyWithScope('ping');
    expect((await fetch(`${t.url}/api/heartbeat/${check.id}?status=up`, { headers: { 'x-api-key': key } })).status).toBe(200);
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(200);
    expect(await signalCount()).toBe(2);
  });

  it("the session still reads: a check, and Exemplar's read route, answer the cookie", async () => {
    expect((await admin.request('GET', `/api/v1/checks/${check.id}`)).status).toBe(200);
    expect((await admin.request('GET', `/api/monitoring/heartbeat/${check.id}`)).status).toBe(200);
  });
});
