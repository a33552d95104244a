// The outbound guard: loopback, private, link-local and cloud-metadata targets are refused after DNS resolution
// unless the operator allows them; the refusal is final (no retries) and says how to allow it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { isPrivateAddress, OutboundRefused, resolveGuarded, sendHttp } from '../../src/alerts/outbound.js';
import { startReceiver, type Receiver } from '../support/http.js';

const guarded = { allowPrivate: false, timeoutMs: 2000 };

describe('the address guard', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '169.254.169.254',
    '172.16.5.4',
    '192.168.1.1',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
  ])('counts %s as private', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111'])('lets %s through', (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );

  it.each(['127.0.0.1', '10.0.0.1', '169.254.169.254'])('refuses http://%s/ before connecting', async (address) => {
    const error = await sendHttp(`http://${address}/latest/meta-data/`, {}, guarded).catch((e) => e);
    expect(error).toBeInstanceOf(OutboundRefused);
    expect(error.message).toContain('OVERDUE_ALLOW_PRIVATE_TARGETS');
  });

  it('refuses a host name that resolves to a loopback address, after resolving it, without saying what it resolved to', async () => {
    const error = await sendHttp('http://localhost:9/hook', {}, guarded).catch((e) => e);
    expect(error).toBeInstanceOf(OutboundRefused);
    expect(error.message).toBe('target refused: private or loopback address; set OVERDUE_ALLOW_PRIVATE_TARGETS=true to allow it');
    const smtp = await resolveGuarded('localhost', false).catch((e) => e);
    expect(smtp).toBeInstanceOf(OutboundRefused);
    expect(smtp.message).not.toMatch(/127\.0\.0\.1|::1/);
  });

  it("reports a name that does not resolve without the resolver's own words", async () => {
    const error = await sendHttp('http://no-such-host.invalid/hook', {}, guarded).catch((e) => e);
    expect(error.message).toBe('could not resolve the host name');
    const smtp = await resolveGuarded('no-such-host.invalid', false).catch((e) => e);
    expect(smtp.message).toBe('could not resolve the host name');
  });

  it('connects when the operator allows private targets', async () => {
    const receiver = await startReceiver();
    try {
      const answer = await sendHttp(
        `${receiver.url.replace('127.0.0.1', 'localhost')}/ok`,
        { body: '{}' },
        { allowPrivate: true, timeoutMs: 2000 },
      );
      expect(answer.status).toBe(200);
      expect(receiver.requests).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});

describe('a server that does not allow private targets', () => {
  let t: TestServer;
  let receiver: Receiver;
  beforeAll(async () => {
    // A manual clock keeps the background loops off: this test runs the delivery worker itself.
    t = await startTestServer({ clock: new ManualClock(Date.parse('2025-03-03T10:00:00Z')) });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it.each(['127.0.0.1', '10.0.0.1', '169.254.169.254'])(
    'refuses to send to a channel pointing at %s, finally, without a request',
    async (address) => {
      const res = await t.api('POST', '/api/v1/channels', {
        kind: 'webhook',
        name: address,
        config: { url: `http://${address}/hook` },
        is_default: false,
      });
      // Saved (right once private targets are allowed), but not silently: the answer says alerts will be refused.
      expect(res.status).toBe(201);
      expect(res.body.warnings).toEqual([
        `config.url: ${address} is a loopback or private address; alerts to it will be refused until the server runs with OVERDUE_ALLOW_PRIVATE_TARGETS=true.`,
      ]);
      const test = await t.api('POST', `/api/v1/channels/${res.body.id}/test`);
      expect(test.body).toMatchObject({ ok: false, retryable: false, status_code: null });
      expect(test.body.error).toBe('target refused: private or loopback address; set OVERDUE_ALLOW_PRIVATE_TARGETS=true to allow it');
    },
  );

  it('refuses a host name resolving to loopback at send time, in a test notification and in delivery', async () => {
    const port = new URL(receiver.url).port;
    const created = await t.api('POST', '/api/v1/channels', {
      kind: 'slack',
      name: 'sneaky',
      config: { webhook_url: `http://localhost:${port}/services/T/B/X` },
    });
    expect(created.status).toBe(201);
    expect(created.body.warnings?.[0]).toMatch(/^config\.webhook_url: localhost is a loopback or private address/);
    // A public destination draws no warning.
    const fine = await t.api('POST', '/api/v1/channels', {
      kind: 'webhook',
      name: 'public',
      config: { url: 'https://hooks.example.com/x' },
      is_default: false,
    });
    expect(fine.body.warnings).toBeUndefined();
    const test = await t.api('POST', `/api/v1/channels/${created.body.id}/test`);
    expect(test.body).toMatchObject({ ok: false, retryable: false, status_code: null });
    expect(test.body.error).toMatch(/^target refused: private or loopback address;/);
    expect(test.body.error).not.toMatch(/localhost|127\.0\.0\.1|::1/);

    const check = await t.api('POST', '/api/v1/checks', { name: 'guarded', channels: [created.body.id] });
    await t.ping(`/ping/${check.body.key}/fail`);
    await t.server.runtime.delivery.runOnce();
    const failed = (await t.api('GET', '/api/v1/notifications?status=failed')).body.items;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ attempts: 1, last_error: expect.stringContaining('target refused: private or loopback address') });
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses an SMTP host resolving to loopback', async () => {
    const created = await t.api('POST', '/api/v1/channels', {
      kind: 'email',
      name: 'mail',
      config: { host: 'localhost', port: 2525, from: 'a@example.test', to: ['b@example.test'] },
    });
    expect(created.status).toBe(201);
    const test = await t.api('POST', `/api/v1/channels/${created.body.id}/test`);
    expect(test.body).toMatchObject({ ok: false, retryable: false });
    expect(test.body.error).toMatch(/^target refused: private or loopback address;/);
    expect(test.body.error).not.toMatch(/localhost|127\.0\.0\.1|::1/);
  });
});
