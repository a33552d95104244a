// Overload: per-check and per-client rate limits answer 429 with Retry-After, bodies over 1 MB are 413, slow
// requests time out with 408, and a client flooding one check does not slow other checks' pings.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { rawRequest } from '../support/http.js';
import { api, startProcess, type ServerProcess } from '../support/process.js';
import { percentile, send } from '../support/load.js';
import { report } from '../support/report.js';
import { rowCountsOf } from '../support/store-snapshot.js';

const FLOODER = fileURLToPath(new URL('../support/flooder.mjs', import.meta.url));

/** GET from a chosen loopback address (127.0.0.2 is another client as far as the server can tell). */
function getFrom(url: string, localAddress: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { localAddress, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('rate limits', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.close();
  });

  it('a check pinged beyond its budget gets 429 with Retry-After; other checks are unaffected', async () => {
    t = await startTestServer({ env: { OVERDUE_PING_RATE_LIMIT: '2' } });
    const busy = (await t.api('POST', '/api/v1/checks', { name: 'busy' })).body;
    const quiet = (await t.api('POST', '/api/v1/checks', { name: 'quiet' })).body;
    // 2/s with a burst of 20: back-to-back pings beyond the burst are refused.
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<TestServer['ping']>> | null = null;
    for (let i = 0; i < 25; i += 1) {
      const res = await t.ping(`/ping/${busy.key}`);
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(20);
    expect(refused).not.toBeNull();
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused!.text)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect((await t.ping(`/ping/${quiet.key}`)).status).toBe(200);
    // Refused pings are not stored.
    expect((await t.api('GET', `/api/v1/checks/${busy.id}`)).body.signal_count).toBe(statuses.filter((s) => s === 200).length);
  });

  it('one client address beyond OVERDUE_CLIENT_RATE_LIMIT gets 429 with Retry-After on every route; another address does not', async () => {
    t = await startTestServer({ env: { OVERDUE_CLIENT_RATE_LIMIT: '3' } });
    const check = (await t.api('POST', '/api/v1/checks', { name: 'shared' })).body;
    const answers = [];
    for (let i = 0; i < 40; i += 1) answers.push(await getFrom(`${t.url}/ping/${check.key}`, '127.0.0.1'));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(Number(refused[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused[0].body).error.code).toBe('rate_limited');
    // The management API sits behind the same edge limit.
    expect((await t.api('GET', '/api/v1/checks')).status).toBe(429);
    // A different client address has its own budget.
    expect((await getFrom(`${t.url}/ping/${check.key}`, '127.0.0.2')).status).toBe(200);
  });
});

describe('body limits and request timeouts', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.close();
  });

  it('answers 413 to a body over 1 MB, declared or streamed, and stores nothing', async () => {
    t = await startTestServer();
    const check = (await t.api('POST', '/api/v1/checks', { name: 'big bodies' })).body;
    const db = t.server.runtime.store.db;
    const before = await rowCountsOf(db);
    const big = Buffer.alloc(1024 * 1024 + 1, 0x61);
    for (const route of [`/ping/${check.key}`, '/api/v1/checks']) {
      const declared = await rawRequest(t.url + route, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': t.key, 'content-length': big.length },
        body: big,
      });
      expect(declared.status, route).toBe(413);
      const streamed = await rawRequest(t.url + route, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': t.key, 'transfer-encoding': 'chunked' },
        body: big,
      });
      expect(streamed.status, route).toBe(413);
      expect(JSON.parse(streamed.body).error.code).toBe('body_too_large');
    }
    const after = await rowCountsOf(db);
    expect(after).toEqual({ ...before, health: after.health });
  });

  it('closes with 408 a request whose headers or body arrive too slowly', async () => {
    t = await startTestServer({ env: { OVERDUE_HEADERS_TIMEOUT_MS: '300', OVERDUE_REQUEST_TIMEOUT_MS: '600' } });
    const port = Number(new URL(t.url).port);
    const slow = (first: string, trickle: string) =>
      new Promise<{ answer: string }>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(first));
        const timer = setInterval(() => socket.writable && socket.write(trickle), 50);
        let answer = '';
        socket.on('data', (d) => {
          answer += d.toString('latin1');
        });
        socket.on('error', () => {});
        socket.on('close', () => {
          clearInterval(timer);
          resolve({ answer });
        });
      });
    const headers = await slow('GET /healthz HTTP/1.1\r\nHost: x\r\n', 'X-A: b\r\n');
    const body = await slow('POST /ping/abcdefgh HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n', 'a');
    const idle = await slow('', '');
    for (const [what, r] of Object.entries({ headers, body, idle })) {
      // Without the timeouts each of these would trickle (or sit silent) until the test's own timeout failed it.
      expect(r.answer, what).toMatch(/^HTTP\/1\.1 408/);
    }
    expect((await t.ping('/healthz')).status).toBe(200);
  });
});

describe('flood isolation', () => {
  let dataDir: string;
  let proc: ServerProcess | null = null;
  afterEach(async () => {
    await proc?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("a client flooding one check from another address gets only that check's budget stored, and other checks' pings all answered 200", async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-flood-'));
    proc = await startProcess(dataDir);
    const victim = await api(proc.url, 'POST', '/api/v1/checks', { name: 'flooded', schedule: { kind: 'interval', period_s: 60 } });
    const others: string[] = [];
    for (let i = 0; i < 10; i += 1)
      others.push(
        (await api(proc.url, 'POST', '/api/v1/checks', { name: `bystander ${i}`, schedule: { kind: 'interval', period_s: 60 } })).body.key,
      );

    // A well-behaved client: one ping every 10 ms, round robin over ten checks, for `ms`.
    const behave = async (ms: number) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const latencies: number[] = [];
      const statuses = new Set<number>();
      const end = performance.now() + ms;
      for (let i = 0; performance.now() < end; i += 1) {
        const t0 = performance.now();
        statuses.add(await send(agent, proc!.url, { path: `/ping/${others[i % others.length]}` }));
        latencies.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, Math.max(0, 10 - (performance.now() - t0))));
      }
      agent.destroy();
      return { latencies, statuses };
    };

    const quiet = await behave(1500);
    const flooder = spawn(process.execPath, [FLOODER, `${proc.url}/ping/${victim.body.key}`, '3', '32', '127.0.0.2'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let floodOutput = '';
    flooder.stdout!.setEncoding('utf8').on('data', (c: string) => {
      floodOutput += c;
    });
    const flooded = new Promise((r) => flooder.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    const loud = await behave(2000);
    await flooded;
    const flood = JSON.parse(floodOutput) as { sent: number; statuses: Record<string, number> };

    expect([...new Set([...quiet.statuses, ...loud.statuses])]).toEqual([200]);
    const figures = {
      p50_quiet_ms: percentile(quiet.latencies, 50),
      p99_quiet_ms: percentile(quiet.latencies, 99),
      p50_flooded_ms: percentile(loud.latencies, 50),
      p99_flooded_ms: percentile(loud.latencies, 99),
    };
    report('flood-isolation', {
      ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, v.toFixed(1)])),
      flood_requests: flood.sent,
      flood_rps: Math.round(flood.sent / 3),
      flood_statuses: JSON.stringify(flood.statuses),
      bystander_pings: loud.latencies.length,
    });
    // What the flood gets stored is bounded by the check's budget: a burst of 1,000 and 100/s (the defaults).
    expect(flood.statuses['200'] ?? 0).toBeLessThanOrEqual(1000 + 100 * 4);
    // How much the flood slows the others is a figure (the report line above), not an assertion: timing bounds do
    // not belong in tests on a shared machine.
  }, 30_000);
});
