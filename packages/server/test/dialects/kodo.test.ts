// Kodo: up / down / degraded with a message, bodies read as JSON whatever their type, GET as well as POST, refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, MINUTE, readCheck, T0 } from '../support/checks.js';
import { rawRequest } from '../support/http.js';

describe('Kodo heartbeats', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  let key: string;
  const beat = (monitor: string, init: { method?: string; body?: string; type?: string; apiKey?: string | null; query?: string } = {}) =>
    rawRequest(`${t.url}/api/heartbeat/${monitor}${init.query ?? ''}`, {
      method: init.method ?? 'POST',
      body: init.body,
      headers: {
        ...(init.apiKey !== null ? { 'x-api-key': init.apiKey ?? key } : {}),
        ...(init.type ? { 'content-type': init.type } : {}),
      },
    }).then((r) => ({ ...r, json: r.body ? JSON.parse(r.body) : null }));
  beforeAll(async () => {
    t = await startTestServer({ clock });
    key = await t.keyWithScope('ping');
  });
  afterAll(async () => {
    await t.close();
  });

  it('degraded is a success that marks the check degraded until the next plain up', async () => {
    const monitor = await createCheck(t);
    expect((await beat(monitor.id, { body: '{"status":"degraded","message":"replica lag 40s"}', type: 'application/json' })).status).toBe(
      200,
    );
    expect(await readCheck(t, monitor.id)).toMatchObject({ status: 'up', degraded: true, last_message: 'replica lag 40s' });
    await beat(monitor.id, { body: '{"status":"up"}' });
    expect((await readCheck(t, monitor.id)).degraded).toBe(false);
  });

  it('reads the body as JSON whatever the Content-Type, form fields too, and the query for GET', async () => {
    const monitor = await createCheck(t);
    await beat(monitor.id, { body: '{"status": "down", "message": "as text/plain"}', type: 'text/plain' });
    expect((await history(t, monitor.id, 'signals'))[0]).toMatchObject({ kind: 'fail', message: 'as text/plain' });
    await beat(monitor.id, { body: 'status=degraded&message=from+a+form', type: 'application/x-www-form-urlencoded' });
    expect((await history(t, monitor.id, 'signals'))[0]).toMatchObject({ kind: 'success', message: 'from a form' });
    await beat(monitor.id, { method: 'GET', query: '?status=down&message=via%20query' });
    expect((await history(t, monitor.id, 'signals'))[0]).toMatchObject({ kind: 'fail', method: 'GET', message: 'via query' });
  });

  it('an empty body with a JSON Content-Type is a plain up, and a body that is no JSON is kept, not refused', async () => {
    const monitor = await createCheck(t);
    expect((await beat(monitor.id, { body: '', type: 'application/json' })).status).toBe(200);
    expect((await beat(monitor.id, { body: 'backup ok (no json here)', type: 'application/json' })).status).toBe(200);
    const [signal] = await history(t, monitor.id, 'signals');
    expect(signal).toMatchObject({ kind: 'success', body: 'backup ok (no json here)' });
  });

  it('the 8-character key names the monitor too; the answer says what was recorded', async () => {
    const monitor = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 } });
    const res = await beat(monitor.key, { body: '{"status":"up","message":"fine"}' });
    expect(res.json).toMatchObject({
      success: true,
      monitor_id: monitor.id,
      status: 'up',
      message: 'fine',
      next_expected_at: new Date(T0 + 5 * MINUTE).toISOString(),
    });
  });

  it('the kodo preset: alert after twice the interval, and only on the second consecutive miss', async () => {
    clock.set(T0);
    const monitor = await createCheck(t, { preset: 'kodo', schedule: { kind: 'interval', period_s: 300 } });
    expect(monitor).toMatchObject({ grace_multiplier: 2, failure_threshold: 2, effective_grace_s: 300 });
    await beat(monitor.id);
    clock.set(T0 + 10 * MINUTE);
    await t.server.runtime.scheduler.tick();
    expect((await readCheck(t, monitor.id)).status).toBe('late');
    clock.set(T0 + 15 * MINUTE);
    await t.server.runtime.scheduler.tick();
    const down = await readCheck(t, monitor.id);
    expect(down.status).toBe('down');
    expect((await history(t, monitor.id, 'flips'))[0].reason).toContain(
      'no heartbeat received within expected interval + grace period (5m + 5m)',
    );
  });

  describe('refusals', () => {
    it('401 without a key or with a wrong one, 403 with a read-only key; Bearer works', async () => {
      const monitor = await createCheck(t);
      expect((await beat(monitor.id, { apiKey: null })).status).toBe(401);
      expect((await beat(monitor.id, { apiKey: 'wrong' })).status).toBe(401);
      expect((await beat(monitor.id, { apiKey: await t.keyWithScope('read') })).status).toBe(403);
      const bearer = await rawRequest(`${t.url}/api/heartbeat/${monitor.id}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(bearer.status).toBe(200);
    });

    it('404 for an unknown id, a malformed one, and a monitor of another workspace', async () => {
      expect((await beat('00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await beat('MONITOR_ID')).status).toBe(404);
      const other = await t.otherWorkspace('write');
      const theirs = await t.api('POST', '/api/v1/checks', { name: 'theirs' }, other.key);
      expect((await beat(theirs.body.id)).status).toBe(404);
      expect((await t.api('GET', `/api/v1/checks/${theirs.body.id}`, undefined, other.key)).body.signal_count).toBe(0);
    });

    it('400 for a status Kodo does not have, or a message that is not text; nothing recorded', async () => {
      const monitor = await createCheck(t);
      const bad = await beat(monitor.id, { body: '{"status":"sideways"}' });
      expect(bad.status).toBe(400);
      expect(bad.json.error.message).toContain('up, down, degraded');
      expect((await beat(monitor.id, { body: '{"message":["a"]}' })).status).toBe(400);
      expect((await readCheck(t, monitor.id)).signal_count).toBe(0);
    });

    it('405 when the check only allows other methods', async () => {
      const monitor = await createCheck(t, { methods: ['POST'] });
      const res = await beat(monitor.id, { method: 'GET' });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
    });
  });
});

describe('Kodo rate limit', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: new ManualClock(T0), env: { OVERDUE_PING_RATE_LIMIT: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('429 with Retry-After after the burst, and the refused beat is not counted', async () => {
    const key = await t.keyWithScope('ping');
    const monitor = await createCheck(t);
    for (let i = 0; i < 10; i += 1)
      expect((await rawRequest(`${t.url}/api/heartbeat/${monitor.id}`, { method: 'POST', headers: { 'x-api-key': key } })).status).toBe(
        200,
      );
    const refused = await rawRequest(`${t.url}/api/heartbeat/${monitor.id}`, { method: 'POST', headers: { 'x-api-key': key } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await readCheck(t, monitor.id)).signal_count).toBe(10);
  });
});
