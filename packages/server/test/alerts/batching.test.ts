// Batching (a workspace setting): a storm of flips reaches each channel as one digest; a lone alert waits at most 1 s.
// Draft mode (a workspace setting): incidents are recorded, nothing is sent until published or draft mode is off.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAlerting, type Alerting } from './support/alerting.js';

let a: Alerting;
beforeEach(async () => {
  a = await startAlerting();
});
afterEach(async () => {
  await a.close();
});

async function settings(change: Record<string, unknown>) {
  const res = await a.t.api('PATCH', '/api/v1/workspace/alerting', change);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe('batching', () => {
  it('sends 200 simultaneous flips as one digest per channel', async () => {
    await settings({ batching: true });
    await a.channel('webhook', { url: `${a.receiver.url}/ops` });
    await a.channel('slack', { webhook_url: `${a.receiver.url}/slack` });
    const pd = await a.channel(
      'pagerduty',
      { routing_key: 'R0123456789ABCDEF0123456789ABCDE', api_url: `${a.receiver.url}/pd` },
      { is_default: false },
    );
    const checks = [];
    for (let i = 0; i < 200; i += 1) checks.push(await a.check({ name: `worker ${String(i).padStart(3, '0')}` }));
    for (const check of checks) await a.ping(check);
    // Every check subscribed to the two default channels, none to PagerDuty (not a default).
    expect((await a.t.api('GET', `/api/v1/checks/${checks[0].id}`)).body.channels).toHaveLength(2);
    const sub = await a.t.api('POST', `/api/v1/channels/${pd.id}/checks`, { checks: checks.slice(0, 3).map((c) => c.key) });
    expect(sub.body.subscribed).toBe(3);

    a.clock.advance(61_000);
    expect(await a.tick()).toBe(200);
    await a.deliver();
    // PagerDuty keys events by incident, so it is never batched: three events at once.
    expect(a.receiver.requests.map((r) => r.path.split('/')[1]).sort()).toEqual(['pd', 'pd', 'pd']);

    const pending = (await a.t.api('GET', '/api/v1/notifications?status=pending&limit=1000')).body.items;
    expect(pending).toHaveLength(400);
    for (const n of pending) expect(Date.parse(n.next_attempt_at) - Date.parse(n.created_at)).toBeLessThanOrEqual(1000);

    await a.advance(1000);
    const ops = a.receiver.at('/ops');
    const slack = a.receiver.at('/slack');
    expect(ops).toHaveLength(1);
    expect(slack).toHaveLength(1);
    expect(ops[0].json).toMatchObject({ event: 'digest', count: 200, summary: 'Overdue: 200 checks changed (200 down)' });
    expect(new Set(ops[0].json.notifications.map((n: any) => n.check.id)).size).toBe(200);
    expect(ops[0].headers['idempotency-key']).toMatch(/^digest:[0-9a-f]{32}$/);
    expect(slack[0].json.text).toBe('Overdue: 200 checks changed (200 down)');
    expect(slack[0].json.blocks[1].text.text).toMatch(/\n… and 1\d\d more; see the incidents list in Overdue.$/);
    expect(slack[0].json.blocks[1].text.text.length).toBeLessThanOrEqual(3000);

    const sent = (await a.t.api('GET', '/api/v1/notifications?status=sent&limit=1000')).body.items;
    expect(sent.filter((n: any) => n.batched)).toHaveLength(400);
    expect(sent.filter((n: any) => n.batched).every((n: any) => n.sent_in === 200 && n.attempt_log[0].digest_size === 200)).toBe(true);
  });

  it('holds a lone alert for at most a second and sends it on its own', async () => {
    await settings({ batching: true, batch_window_s: 120 });
    await a.channel('webhook', { url: `${a.receiver.url}/lone` });
    const check = await a.check();
    await a.ping(check, 'fail');
    await a.deliver();
    expect(a.receiver.requests).toHaveLength(0);
    await a.advance(999);
    expect(a.receiver.requests).toHaveLength(0);
    await a.advance(1);
    expect(a.receiver.requests).toHaveLength(1);
    expect(a.receiver.requests[0].json.event).toBe('check.down');

    // Another lone alert right after a lone alert is not a storm: it too goes within a second.
    await a.ping(check);
    await a.advance(1000);
    expect(a.receiver.requests.map((r) => r.json.event)).toEqual(['check.down', 'check.up']);
  });

  it('during a storm, gathers what follows a digest until the window ends', async () => {
    await settings({ batching: true, batch_window_s: 60 });
    await a.channel('webhook', { url: `${a.receiver.url}/storm` });
    const checks = [await a.check(), await a.check(), await a.check(), await a.check()];
    await a.ping(checks[0], 'fail');
    await a.ping(checks[1], 'fail');
    await a.advance(1000);
    expect(a.receiver.requests.map((r) => r.json.count)).toEqual([2]);
    const digestAt = a.clock.now();
    a.clock.advance(5000);
    await a.ping(checks[2], 'fail');
    a.clock.advance(5000);
    await a.ping(checks[3], 'fail');
    a.clock.set(digestAt + 60_000 - 1);
    await a.deliver();
    expect(a.receiver.requests).toHaveLength(1);
    a.clock.set(digestAt + 60_000);
    await a.deliver();
    expect(a.receiver.requests.map((r) => r.json.count)).toEqual([2, 2]);
  });

  it('is off by default: every alert goes at once', async () => {
    expect((await a.t.api('GET', '/api/v1/workspace/alerting')).body).toEqual({ draft_mode: false, batching: false, batch_window_s: 30 });
    await a.channel('webhook', { url: `${a.receiver.url}/direct` });
    const check = await a.check();
    await a.ping(check, 'fail');
    await a.deliver();
    expect(a.receiver.requests).toHaveLength(1);
  });
});

describe('draft mode', () => {
  it('records incidents but sends nothing until the incident is published', async () => {
    await settings({ draft_mode: true });
    await a.channel('webhook', { url: `${a.receiver.url}/draft` });
    const check = await a.check({ realert_s: 600 });
    await a.ping(check, 'fail');
    await a.advance(30 * 60_000);
    expect(a.receiver.requests).toHaveLength(0);
    const [incident] = (await a.t.api('GET', '/api/v1/incidents?draft=true')).body.items;
    expect(incident).toMatchObject({ check_id: check.id, draft: true, open: true, published_at: null, next_alert_at: null });
    expect((await a.t.api('GET', '/api/v1/notifications?status=draft')).body.items).toHaveLength(1);

    const published = await a.t.api('POST', `/api/v1/incidents/${incident.id}/publish`);
    expect(published.body).toMatchObject({ draft: false, published_at: new Date(a.clock.now()).toISOString() });
    await a.deliver();
    expect(a.receiver.requests.map((r) => r.json.event)).toEqual(['check.down']);
    // Reminders start from publication.
    await a.advance(10 * 60_000);
    expect(a.receiver.requests.map((r) => r.json.event)).toEqual(['check.down', 'check.still_down']);
  });

  it('sends what was held when draft mode is switched off', async () => {
    await settings({ draft_mode: true });
    await a.channel('webhook', { url: `${a.receiver.url}/draft-off` });
    const first = await a.check();
    const second = await a.check();
    await a.ping(first, 'fail');
    await a.ping(second, 'fail');
    await a.ping(second);
    await a.deliver();
    expect(a.receiver.requests).toHaveLength(0);
    expect((await a.t.api('GET', '/api/v1/incidents')).body.items).toHaveLength(2);

    await settings({ draft_mode: false });
    await a.deliver();
    expect(a.receiver.requests.map((r) => r.json.event).sort()).toEqual(['check.down', 'check.down', 'check.up']);
    expect((await a.t.api('GET', '/api/v1/incidents?draft=true')).body.items).toHaveLength(0);
  });

  it('refuses a batch window out of range', async () => {
    const res = await a.t.api('PATCH', '/api/v1/workspace/alerting', { batch_window_s: 0 });
    expect(res.status).toBe(400);
  });
});
