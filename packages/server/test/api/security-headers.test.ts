// Hardening headers on every answer (audit INFO items): nosniff everywhere, text/plain answers echoing a client's
// bytes included; the status page refuses to be framed; a badge SVG opened on its own cannot run script.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCheck } from '../support/checks.js';

describe('security headers', () => {
  let t: TestServer;
  let check: any;
  beforeAll(async () => {
    t = await startTestServer();
    check = await createCheck(t, { name: 'web probe' });
  });
  afterAll(async () => {
    await t.close();
  });

  const nosniff = (headers: Headers) => expect(headers.get('x-content-type-options')).toBe('nosniff');

  it('a ping and a refused ping (text/plain) both say nosniff', async () => {
    nosniff((await t.ping(`/ping/${check.key}`)).headers);
    const refused = await t.ping('/ping/no-such-check-<script>');
    expect(refused.status).toBe(404);
    nosniff(refused.headers);
  });

  it('a stored ping body served as text (healthchecks v3) says nosniff', async () => {
    await t.ping(`/ping/${check.id}`, { method: 'POST', body: '<html><script>alert(1)</script></html>' });
    const pings = await fetch(`${t.url}/api/v3/checks/${check.id}/pings/`, { headers: { 'x-api-key': t.key } }).then((r) => r.json());
    const body = await fetch(pings.pings[0].body_url, { headers: { 'x-api-key': t.key } });
    expect(body.headers.get('content-type')).toMatch(/^text\/plain/);
    nosniff(body.headers);
  });

  it('JSON answers, errors and unknown routes say nosniff', async () => {
    nosniff((await t.api('GET', '/api/v1/checks')).headers);
    nosniff((await t.api('GET', '/api/v1/checks', undefined, 'wrong-key')).headers);
    nosniff((await t.api('GET', '/api/v9/nothing-here')).headers);
    nosniff((await t.api('GET', '/healthz', undefined, null)).headers);
  });

  it('the status page cannot be framed', async () => {
    expect((await t.api('PUT', '/api/v1/status-page', { slug: 'acme', title: 'Acme', checks: [check.id] })).status).toBe(200);
    const page = await fetch(`${t.url}/status/acme`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    nosniff(page.headers);
  });

  it('a badge SVG carries a CSP that allows no script and no fetch', async () => {
    const badges = (await t.api('GET', '/api/v1/badges')).body;
    const svg = await fetch(badges.checks[0].svg);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(svg.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(svg.headers.get('content-security-policy')).not.toContain('script');
    nosniff(svg.headers);
  });
});
