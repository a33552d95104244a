// The dashboard's files: index.html at / and at every client route, hashed assets, security headers; the API,
// ping and health routes keep priority and keep answering JSON.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { DEFAULT_DASHBOARD_DIR } from '../../src/dashboard/static.js';

const html = { accept: 'text/html,application/xhtml+xml' };

describe('serving the dashboard', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the page at / with a strict Content-Security-Policy, no framing and no sniffing', async () => {
    const res = await fetch(`${t.url}/`, { headers: html });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('<title>Overdue</title>');
  });

  it('answers client routes like /checks/{id} with the same page', async () => {
    for (const route of ['/checks/0d8f2c7e-0000-4000-8000-000000000000', '/incidents', '/settings?x=1']) {
      const res = await fetch(`${t.url}${route}`, { headers: html });
      expect(res.status, route).toBe(200);
      expect(await res.text()).toContain('<div id="app">');
    }
  });

  it('keeps /api, /ping and /healthz as they were: JSON, never the page', async () => {
    const api = await fetch(`${t.url}/api/v1/nope`, { headers: html });
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('not_found');
    const ping = await fetch(`${t.url}/ping/zzzzzzzz`, { headers: html });
    expect(ping.status).toBe(404);
    expect(await ping.text()).not.toContain('<div id="app">');
    expect((await fetch(`${t.url}/healthz`, { headers: html })).headers.get('content-type')).toContain('application/json');
    const noHtml = await fetch(`${t.url}/checks/abc`);
    expect(noHtml.status).toBe(404);
    expect(noHtml.headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${t.url}/api/v1/checks`, { headers: { 'x-api-key': t.key } })).headers.get('x-content-type-options')).toBe(
      'nosniff',
    );
  });

  it.skipIf(!fs.existsSync(path.join(DEFAULT_DASHBOARD_DIR, 'assets')))('serves hashed assets gzipped and cached for a year', async () => {
    const [script] = fs.readdirSync(path.join(DEFAULT_DASHBOARD_DIR, 'assets')).filter((f) => f.endsWith('.js'));
    const res = await fetch(`${t.url}/assets/${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/javascript');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const again = await fetch(`${t.url}/assets/${script}`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });
});
