// Exemplar: {monitor_id, metadata} heartbeats, the monitor view in minutes with its missed-beat error, refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, iso, MINUTE, readCheck, T0 } from '../support/checks.js';
import { rawRequest } from '../support/http.js';

describe('Exemplar heartbeats', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  let key: string;
  const beat = (body: unknown, apiKey: string | null = key) =>
    rawRequest(`${t.url}/api/monitoring/heartbeat`, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
    }).then((r) => ({ ...r, json: JSON.parse(r.body) }));
  beforeAll(async () => {
    t = await startTestServer({ clock });
    key = await t.keyWithScope('ping');
  });
  afterAll(async () => {
    await t.close();
  });

  it('a missed beat reads, in the monitor view, as the interval + grace error with the minutes behind it', async () => {
    clock.set(T0);
    const monitor = await createCheck(t, { name: 'queue drain', schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    expect((await beat({ monitor_id: monitor.id })).status).toBe(200);
    clock.set(T0 + 6 * MINUTE);
    await t.server.runtime.scheduler.tick();
    const view = await t.api('GET', `/api/monitoring/heartbeat/${monitor.id}`);
    expect(view.body).toMatchObject({
      monitor_id: monitor.id,
      name: 'queue drain',
      type: 'heartbeat',
      status: 'down',
      expected_interval_minutes: 5,
      grace_period_minutes: 1,
      last_heartbeat_at: iso(T0),
    });
    expect(view.body.history[0]).toMatchObject({ checked_at: iso(T0 + 6 * MINUTE), status: 'down', healthy: false });
    expect(view.body.history[0].error).toContain('no heartbeat received within expected interval + grace period (5m + 1m)');
    expect(view.body.history.at(-1)).toMatchObject({ status: 'up', error: null });
  });

  it('the SDK spelling monitorId is accepted; metadata is kept on the signal', async () => {
    const monitor = await createCheck(t);
    expect((await beat({ monitorId: monitor.key, metadata: { region: 'eu-1', job: 42 } })).status).toBe(200);
    expect((await history(t, monitor.id, 'signals'))[0].metadata).toEqual({ region: 'eu-1', job: 42 });
  });

  it('a cron monitor shows no minute interval but its expression', async () => {
    const monitor = await createCheck(t, { schedule: { kind: 'cron', expr: '0 2 * * *', tz: 'Europe/Berlin' }, grace_s: 600 });
    const view = await t.api('GET', `/api/monitoring/heartbeat/${monitor.id}`);
    expect(view.body).toMatchObject({
      expected_interval_minutes: null,
      grace_period_minutes: 10,
      cron: { expression: '0 2 * * *', timezone: 'Europe/Berlin' },
      status: 'pending',
    });
  });

  describe('refusals', () => {
    it('401 without or with a wrong key, 403 with a read-only key (and the view needs read)', async () => {
      const monitor = await createCheck(t);
      expect((await beat({ monitor_id: monitor.id }, null)).status).toBe(401);
      expect((await beat({ monitor_id: monitor.id }, 'nope')).status).toBe(401);
      expect((await beat({ monitor_id: monitor.id }, await t.keyWithScope('read'))).status).toBe(403);
      expect((await t.api('GET', `/api/monitoring/heartbeat/${monitor.id}`, undefined, key)).status).toBe(403);
      expect((await readCheck(t, monitor.id)).signal_count).toBe(0);
    });

    it('404 for an unknown or foreign monitor', async () => {
      expect((await beat({ monitor_id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
      expect((await beat({ monitor_id: '<monitor_id>' })).status).toBe(404);
      const other = await t.otherWorkspace('write');
      const theirs = await t.api('POST', '/api/v1/checks', { name: 'theirs' }, other.key);
      expect((await beat({ monitor_id: theirs.body.id })).status).toBe(404);
      expect((await t.api('GET', `/api/monitoring/heartbeat/${theirs.body.id}`)).status).toBe(404);
    });

    it('400 without monitor_id, with metadata that is not an object, or a body that is not JSON', async () => {
      const monitor = await createCheck(t);
      expect((await beat({ metadata: {} })).status).toBe(400);
      expect((await beat({ monitor_id: monitor.id, metadata: 'worker-01' })).status).toBe(400);
      expect((await beat({ monitor_id: monitor.id, metadata: { blob: 'x'.repeat(20_000) } })).status).toBe(400);
      expect((await beat('monitor_id')).status).toBe(400);
      expect((await readCheck(t, monitor.id)).signal_count).toBe(0);
    });

    it('400, not 500, for metadata nested 40 or 10,000 levels deep; nothing is recorded', async () => {
      const monitor = await createCheck(t);
      const nested = (levels: number) => `{"monitor_id":"${monitor.id}","metadata":{"x":${'['.repeat(levels)}${']'.repeat(levels)}}}`;
      const res = await beat(nested(10_000));
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('invalid_json');
      const shallower = await beat(nested(40));
      expect(shallower.status).toBe(400);
      expect(shallower.json.error.code).toBe('invalid_metadata');
      expect((await readCheck(t, monitor.id)).signal_count).toBe(0);
    });
  });
});

describe('Exemplar rate limit', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: new ManualClock(T0), env: { OVERDUE_PING_RATE_LIMIT: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('429 once a monitor has used its burst', async () => {
    const key = await t.keyWithScope('ping');
    const monitor = await createCheck(t);
    const beat = () =>
      rawRequest(`${t.url}/api/monitoring/heartbeat`, {
        method: 'POST',
        headers: { 'x-api-key': key },
        body: JSON.stringify({ monitor_id: monitor.id }),
      });
    for (let i = 0; i < 10; i += 1) expect((await beat()).status).toBe(200);
    const refused = await beat();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
  });
});
