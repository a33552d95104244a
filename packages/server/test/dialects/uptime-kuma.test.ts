// Uptime Kuma push monitors: /api/push/{token}?status=up|down&msg=&ping=, any method, answered as Kuma answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, readCheck, T0 } from '../support/checks.js';
import { rawRequest } from '../support/http.js';

describe('Uptime Kuma push', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  const push = (path: string, method = 'GET') =>
    rawRequest(`${t.url}/api/push/${path}`, { method }).then((r) => ({ ...r, json: r.body ? JSON.parse(r.body) : null }));
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the URL Kuma shows, with a kept 32-character token, records a success and answers {"ok":true}', async () => {
    const check = await createCheck(t, { push_token: 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6' });
    expect(check.push_token).toBe('a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6');
    const res = await push('a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6?status=up&msg=OK&ping=');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json).toEqual({ ok: true });
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'up', signal_count: 1, last_message: null });
    const [signal] = await history(t, check.id, 'signals');
    expect(signal).toMatchObject({ kind: 'success', dialect: 'uptime-kuma', method: 'GET', message: null, metadata: null });
  });

  it('status=down is a failure with its message; any status other than exactly "up" is down, as in Kuma', async () => {
    const check = await createCheck(t);
    await push(`${check.key}?status=down&msg=disk%20full&ping=`);
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'down', last_message: 'disk full' });
    await push(`${check.key}?status=UP`);
    expect((await history(t, check.id, 'signals'))[0]).toMatchObject({ kind: 'fail' });
    await push(`${check.key}?status=up`);
    expect((await readCheck(t, check.id)).status).toBe('up');
  });

  it('ping is the response time in ms, kept as metadata; empty or zero means none', async () => {
    const check = await createCheck(t);
    await push(`${check.id}?status=up&msg=OK&ping=123.4`);
    expect((await history(t, check.id, 'signals'))[0].metadata).toEqual({ ping_ms: 123.4 });
    await push(`${check.id}?ping=0`);
    expect((await history(t, check.id, 'signals'))[0].metadata).toBeNull();
  });

  it("a ping outside 0…100,000,000,000 ms is refused with Kuma's sentence, and nothing is recorded", async () => {
    const check = await createCheck(t);
    const res = await push(`${check.key}?ping=-5`);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ ok: false, msg: 'Invalid ping value. Must be between 0 and 100000000000 ms.' });
    expect((await readCheck(t, check.id)).signal_count).toBe(0);
  });

  it('without parameters a push is up; POST and PUT are pushes too (Kuma routes every method)', async () => {
    const check = await createCheck(t);
    for (const method of ['GET', 'POST', 'PUT', 'HEAD']) expect((await push(check.key, method)).status, method).toBe(200);
    expect((await history(t, check.id, 'signals')).map((s) => [s.kind, s.method])).toEqual([
      ['success', 'HEAD'],
      ['success', 'PUT'],
      ['success', 'POST'],
      ['success', 'GET'],
    ]);
  });

  it('an unknown token, or a disabled check, answers 404 {"ok":false,"msg":"Monitor not found or not active."}', async () => {
    const unknown = await push('zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz?status=up');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ ok: false, msg: 'Monitor not found or not active.' });
    const disabled = await createCheck(t, { enabled: false });
    expect((await push(disabled.key)).json).toEqual({ ok: false, msg: 'Monitor not found or not active.' });
    expect((await push('x'.repeat(300))).status).toBe(404);
  });

  it('a push token is unique server-wide, can be set and removed with PATCH, and the UUID keeps working', async () => {
    const check = await createCheck(t, { push_token: 'kept-token-1' });
    const taken = await t.api('POST', '/api/v1/checks', { name: 'other', push_token: 'kept-token-1' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('push_token_taken');
    const other = await t.otherWorkspace();
    expect((await t.api('POST', '/api/v1/checks', { name: 'elsewhere', push_token: 'kept-token-1' }, other.key)).status).toBe(409);
    expect((await t.api('PATCH', `/api/v1/checks/${check.id}`, { push_token: 'kept-token-2' })).body.push_token).toBe('kept-token-2');
    expect((await push('kept-token-1')).status).toBe(404);
    expect((await push('kept-token-2')).status).toBe(200);
    expect((await t.api('PATCH', `/api/v1/checks/${check.id}`, { push_token: null })).body.push_token).toBeNull();
    expect((await push('kept-token-2')).status).toBe(404);
    expect((await push(check.id)).status).toBe(200);
  });

  it('a token that is no URL-safe word of at most 32 characters is refused on create', async () => {
    for (const token of ['has space', 'x'.repeat(33), '']) {
      const res = await t.api('POST', '/api/v1/checks', { name: 'bad token', push_token: token });
      expect(res.status, token).toBe(400);
      expect(res.body.error.message).toMatch(/push_token/);
    }
  });

  it('answers carry Access-Control-Allow-Origin: * and a preflight is not a push', async () => {
    const check = await createCheck(t);
    expect((await push(check.key)).headers['access-control-allow-origin']).toBe('*');
    const preflight = await push(check.key, 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD, POST');
    expect((await readCheck(t, check.id)).signal_count).toBe(1);
  });
});
