// Browsers may ping: every ping answer allows any origin, and a CORS preflight (OPTIONS) is answered, not recorded.
// The management API stays same-origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, readCheck, T0 } from '../support/checks.js';

describe('CORS on ping routes', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('success, created, 404 and 400 answers carry Access-Control-Allow-Origin: *', async () => {
    const check = await createCheck(t);
    const origin = { headers: { origin: 'https://intranet.example' } };
    for (const [route, status] of [
      [`/ping/${check.id}`, 200],
      [`/ping/${check.key}/start`, 200],
      ['/ping/00000000-0000-4000-8000-000000000000', 404],
      [`/ping/${check.id}/256`, 400],
    ] as const) {
      const res = await t.ping(route, origin);
      expect(res.status, route).toBe(status);
      expect(res.headers.get('access-control-allow-origin'), route).toBe('*');
    }
  });

  it('a preflight answers 204 with the methods and the headers the browser asked for, and records nothing', async () => {
    const check = await createCheck(t);
    const res = await t.ping(`/ping/${check.id}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://intranet.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
    expect((await readCheck(t, check.id)).signal_count).toBe(0);
  });

  it('a preflighted JSON ping from a page is then recorded', async () => {
    const check = await createCheck(t);
    const res = await t.ping(`/ping/${check.id}`, {
      method: 'POST',
      headers: { origin: 'https://intranet.example', 'content-type': 'application/json' },
      body: '{"msg":"from the browser"}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect((await readCheck(t, check.id)).last_message).toBe('from the browser');
  });

  it('the management API sends no CORS header and does not answer preflights as ping routes do', async () => {
    const res = await t.api('GET', '/api/v1/checks');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await t.ping('/api/v1/checks', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });
});
