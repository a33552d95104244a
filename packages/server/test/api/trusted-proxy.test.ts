// Behind a reverse proxy every connection comes from the proxy. With OVERDUE_TRUSTED_PROXIES naming it, the client
// named in X-Forwarded-For is the client (rate limits, sign-in limits, a signal's source address); without it, or
// from any other address, X-Forwarded-For is ignored. A ping the per-client limit refuses is counted and logged.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCheck } from '../support/checks.js';
import { loadConfig } from '../../src/config.js';
import { RefusalLog, routeKind } from '../../src/api/client-rate-limit.js';

/** A GET from a chosen loopback address (the "proxy"), saying which client it forwards for. */
function get(url: string, from: string, forwardedFor?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { localAddress: from, agent: false, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

async function statuses(url: string, from: string, forwardedFor: string | undefined, n: number): Promise<number[]> {
  const all: number[] = [];
  for (let i = 0; i < n; i += 1) all.push(await get(url, from, forwardedFor));
  return all;
}

describe('trusted proxies', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.close();
  });

  it('two clients behind a trusted proxy get a budget each', async () => {
    t = await startTestServer({ env: { OVERDUE_CLIENT_RATE_LIMIT: '2', OVERDUE_TRUSTED_PROXIES: '127.0.0.1' } });
    const check = await createCheck(t);
    const first = await statuses(`${t.url}/ping/${check.key}`, '127.0.0.1', '203.0.113.1', 30);
    expect(first).toContain(429);
    expect(await get(`${t.url}/ping/${check.key}`, '127.0.0.1', '203.0.113.2')).toBe(200);
    // The forwarded address is the signal's source too, and the proxy's own chain entry is skipped.
    await get(`${t.url}/ping/${check.key}`, '127.0.0.1', '198.51.100.7, 127.0.0.1');
    const signals = (await t.api('GET', `/api/v1/checks/${check.id}/signals?limit=1`)).body.items;
    expect(signals[0].source_ip).toBe('198.51.100.7');
  });

  it('without a trusted proxy X-Forwarded-For is ignored: one address, one budget', async () => {
    t = await startTestServer({ env: { OVERDUE_CLIENT_RATE_LIMIT: '2' } });
    const check = await createCheck(t);
    expect(await statuses(`${t.url}/ping/${check.key}`, '127.0.0.1', '203.0.113.1', 30)).toContain(429);
    expect(await get(`${t.url}/ping/${check.key}`, '127.0.0.1', '203.0.113.2')).toBe(429);
  });

  it('a forged X-Forwarded-For from an address that is not a trusted proxy is ignored', async () => {
    t = await startTestServer({ env: { OVERDUE_CLIENT_RATE_LIMIT: '2', OVERDUE_TRUSTED_PROXIES: '127.0.0.2' } });
    const check = await createCheck(t);
    // 127.0.0.3 claims to be many clients: it is one.
    const forged = [];
    for (let i = 0; i < 30; i += 1) forged.push(await get(`${t.url}/ping/${check.key}`, '127.0.0.3', `203.0.113.${i}`));
    expect(forged).toContain(429);
    // The real proxy still forwards for its own clients.
    expect(await get(`${t.url}/ping/${check.key}`, '127.0.0.2', '203.0.113.50')).toBe(200);
  });

  it('pings refused by the per-client limit show in overdue_client_rate_limited_total{route_kind="ping"}', async () => {
    t = await startTestServer({ env: { OVERDUE_CLIENT_RATE_LIMIT: '2' } });
    const check = await createCheck(t);
    const refused = (await statuses(`${t.url}/ping/${check.key}`, '127.0.0.4', undefined, 30)).filter((s) => s === 429).length;
    expect(refused).toBeGreaterThan(0);
    const metrics = await fetch(`${t.url}/metrics`, { headers: {} }).then((r) => r.text());
    expect(metrics).toContain(`overdue_client_rate_limited_total{route_kind="ping"} ${refused}`);
  });

  it('OVERDUE_TRUSTED_PROXIES takes addresses and CIDRs, and refuses anything else with a sentence', () => {
    expect(loadConfig({ OVERDUE_TRUSTED_PROXIES: '10.0.0.5, 10.0.0.0/8,::1,fd00::/8' }).trustedProxies).toEqual([
      '10.0.0.5',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
    ]);
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(() => loadConfig({ OVERDUE_TRUSTED_PROXIES: 'proxy.local' })).toThrow(/not an IP address or CIDR/);
    expect(() => loadConfig({ OVERDUE_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/not an IP address or CIDR/);
  });

  it('refusals are logged once, then summed up at most once a minute', () => {
    const lines: string[] = [];
    const log = new RefusalLog(
      {
        warn: (_obj: unknown, msg?: string) => {
          lines.push(msg ?? '');
        },
      } as any,
      2,
      60_000,
    );
    for (let i = 0; i < 500; i += 1) log.note('ping', '10.0.0.1', i * 10);
    expect(lines).toHaveLength(1);
    log.note('api', '10.0.0.2', 60_001);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('10.0.0.1 (499)');
    expect(lines[1]).toContain('OVERDUE_TRUSTED_PROXIES');
    expect(routeKind('/ping/:key')).toBe('ping');
    expect(routeKind('/v1/heartbeat/:id')).toBe('ping');
    expect(routeKind('/api/v1/checks')).toBe('api');
  });
});
