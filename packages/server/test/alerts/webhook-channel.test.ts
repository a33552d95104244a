// The generic webhook: JSON by default, a body template with variables, custom headers, an HMAC signature.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlerting, type Alerting } from './support/alerting.js';

let a: Alerting;
beforeAll(async () => {
  a = await startAlerting();
});
afterAll(async () => {
  await a.close();
});

const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('a webhook channel', () => {
  it('returns its generated signing secret once, and signs every body with it', async () => {
    const channel = await a.channel('webhook', { url: `${a.receiver.url}/hook/plain` }, { is_default: false });
    expect(channel.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(channel.config.secret).not.toContain(channel.secret);
    const check = await a.check({ channels: [channel.id] });
    await a.ping(check, 'fail');
    await a.deliver();
    const [request] = a.receiver.at('/hook/plain');
    expect(request.headers['x-overdue-signature']).toBe(sign(channel.secret, request.body));
    expect(request.headers['idempotency-key']).toBe(request.json.idempotency_key);
    expect(request.json).toMatchObject({ event: 'check.down', check: { id: check.id, name: check.name }, incident: { severity: 'minor' } });
  });

  it('fills a body template, JSON-escaping values, and sends custom headers', async () => {
    const template =
      '{"text": "{{summary}}", "who": "{{check.name}}", "sev": "{{incident.severity}}", "link": "{{check.url}}", "n": {{count}}}';
    const channel = await a.channel(
      'webhook',
      {
        url: `${a.receiver.url}/hook/template`,
        secret: 'my-own-secret-0123456789',
        body_template: template,
        headers: { 'X-Team': 'payments', Authorization: 'Token abc-private-123' },
      },
      { is_default: false },
    );
    expect(channel.secret).toBe('my-own-secret-0123456789');
    const check = await a.check({ channels: [channel.id], name: 'say "hi" \\ backup' });
    await a.ping(check, 'fail');
    await a.deliver();
    const [request] = a.receiver.at('/hook/template');
    expect(request.headers['x-team']).toBe('payments');
    expect(request.headers.authorization).toBe('Token abc-private-123');
    expect(request.json).toMatchObject({ who: 'say "hi" \\ backup', sev: 'minor', link: `${a.t.url}/checks/${check.id}`, n: 1 });
    expect(request.json.text).toContain('is DOWN');
    expect(request.headers['x-overdue-signature']).toBe(sign('my-own-secret-0123456789', request.body));
  });

  it('rotates the secret: a new one is shown once in the PATCH answer and used from then on', async () => {
    const channel = await a.channel('webhook', { url: `${a.receiver.url}/hook/rotate` }, { is_default: false });
    const rotated = await a.t.api('PATCH', `/api/v1/channels/${channel.id}`, { config: { secret: null } });
    expect(rotated.body.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(rotated.body.secret).not.toBe(channel.secret);
    expect((await a.t.api('PATCH', `/api/v1/channels/${channel.id}`, { name: 'same secret' })).body.secret).toBeUndefined();
    await a.t.api('POST', `/api/v1/channels/${channel.id}/test`);
    const [request] = a.receiver.at('/hook/rotate');
    expect(request.headers['x-overdue-signature']).toBe(sign(rotated.body.secret, request.body));
  });

  it('refuses a template with an unknown variable and names the ones that exist', async () => {
    const res = await a.t.api('POST', '/api/v1/channels', {
      kind: 'webhook',
      name: 'bad',
      config: { url: `${a.receiver.url}/x`, body_template: '{{check.nmae}}' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('{{check.nmae}}');
    expect(res.body.error.message).toContain('{{check.name}}');
  });

  it('masks URL, secret and header values in reads, and keeps them when a read is sent back', async () => {
    const channel = await a.channel(
      'webhook',
      { url: `${a.receiver.url}/hook/token-in-path-42?key=q-secret`, headers: { Authorization: 'Bearer hdr-secret-77' } },
      { is_default: false },
    );
    const read = await a.t.api('GET', `/api/v1/channels/${channel.id}`);
    const text = JSON.stringify(read.body);
    for (const secret of ['token-in-path-42', 'q-secret', 'hdr-secret-77', channel.secret]) expect(text).not.toContain(secret);
    expect(read.body.config.url).toBe(`${new URL(a.receiver.url).origin}/…`);

    const patched = await a.t.api('PATCH', `/api/v1/channels/${channel.id}`, { name: 'renamed', config: read.body.config });
    expect(patched.status).toBe(200);
    const test = await a.t.api('POST', `/api/v1/channels/${channel.id}/test`);
    expect(test.body).toMatchObject({ ok: true, status_code: 200 });
    const [request] = a.receiver.at('/hook/token-in-path-42');
    expect(request.json.event).toBe('test');
    expect(request.headers.authorization).toBe('Bearer hdr-secret-77');
    expect(request.headers['x-overdue-signature']).toBe(sign(channel.secret, request.body));
  });
});

describe('custom webhook headers', () => {
  it('may not set Host, Content-Length, Transfer-Encoding, Connection or other framing and hop-by-hop headers', async () => {
    for (const name of [
      'Host',
      'content-length',
      'Transfer-Encoding',
      'Connection',
      'Keep-Alive',
      'Upgrade',
      'TE',
      'Trailer',
      'Proxy-Authorization',
      'Expect',
    ]) {
      const res = await a.t.api('POST', '/api/v1/channels', {
        kind: 'webhook',
        name: 'framing',
        config: { url: `${a.receiver.url}/hdr`, headers: { [name]: 'x' } },
      });
      expect(res.status, name).toBe(400);
      expect(res.body.error.code).toBe('invalid_channel');
      expect(res.body.error.message).toContain(name);
    }
    const ok = await a.channel(
      'webhook',
      { url: `${a.receiver.url}/hdr`, headers: { Authorization: 'Bearer x-0123456789', 'X-Team': 'ops' } },
      { is_default: false },
    );
    const changed = await a.t.api('PATCH', `/api/v1/channels/${ok.id}`, { config: { headers: { Host: 'internal.example' } } });
    expect(changed.status).toBe(400);
  });
});
