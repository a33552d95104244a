// Channels through the API: default channels for new checks, subscriptions, test notifications, tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlerting, type Alerting } from './support/alerting.js';

let a: Alerting;
beforeAll(async () => {
  a = await startAlerting();
});
afterAll(async () => {
  await a.close();
});

describe('default channels', () => {
  it('apply to new checks that name none; a check naming channels gets exactly those', async () => {
    const team = await a.channel('webhook', { url: `${a.receiver.url}/team` });
    const quiet = await a.channel('webhook', { url: `${a.receiver.url}/quiet` }, { is_default: false });
    const plain = await a.check();
    expect(plain.channels).toEqual([team.id]);
    const chosen = await a.check({ channels: [quiet.id] });
    expect(chosen.channels).toEqual([quiet.id]);
    const none = await a.check({ channels: [] });
    expect(none.channels).toEqual([]);

    // A channel made default later applies to checks created after that, not before.
    await a.t.api('PATCH', `/api/v1/channels/${quiet.id}`, { is_default: true });
    expect((await a.check()).channels.sort()).toEqual([team.id, quiet.id].sort());
    expect((await a.t.api('GET', `/api/v1/checks/${plain.id}`)).body.channels).toEqual([team.id]);
    await a.t.api('DELETE', `/api/v1/channels/${team.id}`);
    await a.t.api('DELETE', `/api/v1/channels/${quiet.id}`);
  });

  it('shows which checks subscribe to a channel, and subscribes more', async () => {
    const channel = await a.channel('webhook', { url: `${a.receiver.url}/subs` }, { is_default: false });
    const check = await a.check({ channels: [] });
    const res = await a.t.api('POST', `/api/v1/channels/${channel.id}/checks`, { checks: [check.key] });
    expect(res.body).toEqual({ subscribed: 1, checks: [check.id] });
    expect((await a.t.api('GET', `/api/v1/channels/${channel.id}`)).body.checks).toEqual([check.id]);
    expect((await a.t.api('POST', `/api/v1/channels/${channel.id}/checks`, { checks: ['nosuchk1'] })).status).toBe(400);
  });
});

describe('a test notification', () => {
  it('is sent at once and reports what the receiver answered', async () => {
    const channel = await a.channel('webhook', { url: `${a.receiver.url}/test-me` }, { is_default: false });
    const res = await a.t.api('POST', `/api/v1/channels/${channel.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, status_code: 200, error: null });
    const [request] = a.receiver.at('/test-me');
    expect(request.json).toMatchObject({ event: 'test', check: { name: 'Overdue test check' } });
    expect(request.json.summary).toContain('Test notification from Overdue');
  });

  it('reports a failing receiver without retrying it', async () => {
    a.receiver.answers.push({ status: 410, body: 'gone' });
    const channel = await a.channel('webhook', { url: `${a.receiver.url}/gone` }, { is_default: false });
    const res = await a.t.api('POST', `/api/v1/channels/${channel.id}/test`);
    expect(res.body).toMatchObject({ ok: false, status_code: 410, error: 'receiver answered 410: gone', retryable: false });
    expect((await a.t.api('GET', `/api/v1/notifications?channel=${channel.id}`)).body.items).toEqual([]);
  });
});

describe('another workspace', () => {
  it("cannot see, test, change, delete or subscribe to this workspace's channels, incidents or notifications", async () => {
    const channel = await a.channel('webhook', { url: `${a.receiver.url}/mine` }, { is_default: false });
    const check = await a.check({ channels: [channel.id] });
    await a.ping(check, 'fail');
    await a.deliver();
    const incident = (await a.t.api('GET', `/api/v1/incidents?check=${check.id}`)).body.items[0];
    const notification = (await a.t.api('GET', `/api/v1/notifications?channel=${channel.id}`)).body.items[0];
    const other = await a.t.otherWorkspace();

    expect((await a.t.api('GET', '/api/v1/channels', undefined, other.key)).body.items).toEqual([]);
    expect((await a.t.api('GET', `/api/v1/channels/${channel.id}`, undefined, other.key)).status).toBe(404);
    expect((await a.t.api('POST', `/api/v1/channels/${channel.id}/test`, undefined, other.key)).status).toBe(404);
    expect((await a.t.api('PATCH', `/api/v1/channels/${channel.id}`, { name: 'x' }, other.key)).status).toBe(404);
    expect((await a.t.api('DELETE', `/api/v1/channels/${channel.id}`, undefined, other.key)).status).toBe(404);
    const theirs = await a.t.api('POST', '/api/v1/checks', { name: 'theirs', channels: [channel.id] }, other.key);
    expect(theirs.status).toBe(400);
    expect(theirs.body.error.code).toBe('unknown_channel');

    expect((await a.t.api('GET', '/api/v1/incidents', undefined, other.key)).body.items).toEqual([]);
    expect((await a.t.api('GET', `/api/v1/incidents/${incident.id}`, undefined, other.key)).status).toBe(404);
    expect((await a.t.api('POST', `/api/v1/incidents/${incident.id}/publish`, undefined, other.key)).status).toBe(404);
    expect((await a.t.api('GET', '/api/v1/notifications', undefined, other.key)).body.items).toEqual([]);
    expect((await a.t.api('GET', `/api/v1/notifications/${notification.id}`, undefined, other.key)).status).toBe(404);
    expect((await a.t.api('POST', `/api/v1/notifications/${notification.id}/retry`, undefined, other.key)).status).toBe(404);
    expect((await a.t.api('PATCH', '/api/v1/workspace/alerting', { draft_mode: true }, other.key)).status).toBe(200);
    expect((await a.t.api('GET', '/api/v1/workspace/alerting')).body.draft_mode).toBe(false);
  });

  it('a read key may read but not change alerting', async () => {
    const read = await a.t.keyWithScope('read');
    expect((await a.t.api('GET', '/api/v1/notifications', undefined, read)).status).toBe(200);
    expect((await a.t.api('PATCH', '/api/v1/workspace/alerting', { batching: true }, read)).status).toBe(403);
    expect(
      (await a.t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'x', config: { url: 'https://example.com/h' } }, read)).status,
    ).toBe(403);
  });
});

describe('the OpenAPI document', () => {
  it('describes the alerting routes', async () => {
    const doc = (await a.t.api('GET', '/api/v1/openapi.json')).body;
    for (const route of [
      '/api/v1/channels/{id}/test',
      '/api/v1/channels/{id}/checks',
      '/api/v1/incidents/{id}/acknowledge',
      '/api/v1/incidents/{id}/publish',
      '/api/v1/notifications',
      '/api/v1/notifications/{id}/retry',
      '/api/v1/workspace/alerting',
    ]) {
      expect(Object.keys(doc.paths)).toContain(route);
    }
  });
});
