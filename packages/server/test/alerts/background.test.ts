// The running server's own loops (real clock, no manual ticks) fire alert timers: a cooldown hold that ends
// opens its incident and the alert reaches the receiver without anyone asking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { startReceiver, type Receiver } from '../support/http.js';
import { until } from '../support/process.js';

describe('a running server', () => {
  let t: TestServer;
  let receiver: Receiver;
  beforeAll(async () => {
    t = await startTestServer({ env: { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it('opens a held incident when its cooldown ends and delivers the alert by itself', async () => {
    await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'ops', config: { url: `${receiver.url}/hook` } });
    const check = (await t.api('POST', '/api/v1/checks', { name: 'flappy', cooldown_s: 1 })).body;
    await t.ping(`/ping/${check.key}/fail`);
    await t.ping(`/ping/${check.key}`);
    await t.ping(`/ping/${check.key}/fail`);
    await receiver.waitFor(2);
    expect(receiver.requests.map((r) => r.json.event)).toEqual(['check.down', 'check.up']);
    const incidents = await until(
      'the held incident to open',
      async () => {
        const list = (await t.api('GET', `/api/v1/incidents?check=${check.id}`)).body.items;
        return list.length === 2 ? list : undefined;
      },
      10_000,
    );
    expect(incidents[0].reason).toContain('cooldown');
    await receiver.waitFor(3);
    expect(receiver.requests[2].json.event).toBe('check.down');
  });
});
