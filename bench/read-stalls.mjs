// Read stalls: while pings arrive every 5 ms, the worst request of each read route (a stats range decades ahead,
// a thousand full 100 KB bodies, a thousand checks, …) is sent again and again. Each ping's latency counts from when
// it was due, so a read that holds the event loop delays every ping due meanwhile. Baseline: the same ping stream
// alone, on the same server, in the same run. The server runs in its own process, apart from this load generator.
// Usage: node bench/read-stalls.mjs (after node scripts/build.mjs).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { startOverdue, stopProcess } from './lib/processes.mjs';
import { createChecks } from './lib/checks.mjs';
import { worstReads } from './lib/worst-reads.mjs';
import { fmt, percentile } from './lib/figures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEY = 'bench-admin-key-0123456789';
const DAY = 86_400_000;
const PING_EVERY_MS = 5;
/** Each worst request is sent this many times, a pause apart: a stall is what is measured, not a read flood. */
const READS = 5;
const PAUSE_MS = 200;

async function api(url, method, route, body) {
  const res = await fetch(url + route, {
    method,
    headers: { 'x-api-key': KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

/** GET whose answer is read and thrown away: the client must not spend its event loop parsing megabytes. */
function drain(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'x-api-key': KEY }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** Pings every PING_EVERY_MS while `busy` runs; each latency counts from when the ping was due. */
async function pingLatenciesDuring(url, busy) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const latencies = [];
  const statuses = new Set();
  const inFlight = [];
  let due = performance.now();
  const ping = (dueAt) =>
    new Promise((resolve) => {
      http
        .get(url, { agent }, (res) => {
          res.resume();
          res.on('end', () => {
            statuses.add(res.statusCode);
            latencies.push(performance.now() - dueAt);
            resolve();
          });
        })
        .on('error', () => {
          latencies.push(Infinity);
          resolve();
        });
    });
  const timer = setInterval(() => {
    for (const now = performance.now(); due <= now; due += PING_EVERY_MS) inFlight.push(ping(due));
  }, 1);
  try {
    await busy();
  } finally {
    clearInterval(timer);
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { latencies, statuses };
}

/** A server holding the data that makes each read route's worst request real work. */
async function startLoadedServer() {
  const { child, url, dataDir } = await startOverdue({ key: KEY });
  const create = (fields) => api(url, 'POST', '/api/v1/checks', fields);
  const minutely = await create({ name: 'every minute', schedule: { kind: 'cron', expr: '* * * * *', tz: 'Europe/Berlin' } });
  const chatty = await create({ name: 'chatty' });
  const flappy = await create({ name: 'flappy', schedule: { kind: 'interval', period_s: 60 } });
  const target = await create({ name: 'pinged steadily' });
  // The minutely check has existed for 400 days, so the longest stats range is all real work. (The server notices
  // another process's commit and forgets what it cached.)
  const db = new Database(path.join(dataDir, 'overdue.db'));
  db.pragma('busy_timeout = 10000');
  db.prepare('update checks set created_at = ? where id = ?').run(Date.now() - 400 * DAY, minutely.id);
  db.close();
  // 1,000 bodies of 100 KB, 600 flips (and their incidents), 3,000 more checks.
  const body = 'x'.repeat(100 * 1024);
  for (let i = 0; i < 1000; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, () => fetch(`${url}/ping/${chatty.id}/log`, { method: 'POST', body }).then((r) => r.arrayBuffer())),
    );
  }
  for (let i = 0; i < 300; i += 1) {
    await (await fetch(`${url}/ping/${flappy.id}/fail`)).arrayBuffer();
    await (await fetch(`${url}/ping/${flappy.id}`)).arrayBuffer();
  }
  await createChecks(url, KEY, 3000);
  const some = await api(url, 'GET', '/api/v1/checks?limit=100');
  await api(url, 'PUT', '/api/v1/status-page', { slug: 'stalls', title: 'Stalls', checks: some.items.map((c) => c.id) });
  return { child, url, dataDir, minutely, chatty, flappy, target };
}

/** How long counting a minutely cron's beats over 90 days takes, beside stepping the same minutes one by one. */
async function cronCount() {
  const { expectedBeatsPerBucket } = await import(path.join(root, 'packages/server/dist/core/index.js'));
  const schedule = { kind: 'cron', expr: '* * * * *', tz: 'Europe/Berlin' };
  const from = Date.UTC(2026, 0, 10);
  const to = from + 90 * DAY;
  const time = (fn) => {
    fn(); // warm up
    const t0 = performance.now();
    const result = fn();
    return { ms: performance.now() - t0, result };
  };
  const counted = time(() => expectedBeatsPerBucket(schedule, from, to, 3_600_000).reduce((a, b) => a + b, 0));
  // Baseline: a loop over every minute of the range, asking the time zone's wall clock of each (what a naive count does).
  const wall = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', minute: 'numeric' });
  const stepped = time(() => {
    let n = 0;
    for (let t = from; t < to; t += 60_000) if (wall.formatToParts(t).length > 0) n += 1;
    return n;
  });
  return { counted, stepped };
}

export async function benchReadStalls() {
  const { counted, stepped } = await cronCount();
  console.log(`\nread stalls: a minutely cron's beats over 90 days (the stats route's own count), in-process`);
  console.log(
    `  stepping each minute (baseline)   ${fmt(stepped.ms, 1).padStart(7)} ms   ${stepped.result.toLocaleString('en-US')} minutes`,
  );
  console.log(
    `  expectedBeatsPerBucket            ${fmt(counted.ms, 1).padStart(7)} ms   ${counted.result.toLocaleString('en-US')} beats   ratio ${fmt(counted.ms / stepped.ms, 3)}`,
  );

  const server = await startLoadedServer();
  try {
    const pingUrl = `${server.url}/ping/${server.target.id}`;
    const alone = await pingLatenciesDuring(pingUrl, () => new Promise((r) => setTimeout(r, 2000)));
    const aloneP99 = percentile(alone.latencies, 99);
    console.log(
      `\nread stalls: a ping every ${PING_EVERY_MS} ms while each read route's worst request is sent ${READS} times, ${PAUSE_MS} ms apart`,
    );
    console.log(`  (latency from each ping's due time; ratio: the pings' p99 during the reads to their p99 alone)`);
    console.log(
      `  ${'pings alone (baseline)'.padEnd(40)} ${''.padStart(16)}   p50 ${fmt(percentile(alone.latencies, 50), 1).padStart(6)} ms   p99 ${fmt(aloneP99, 1).padStart(6)} ms`,
    );
    for (const [name, route] of worstReads(server)) {
      const readMs = [];
      const statuses = new Set();
      const during = await pingLatenciesDuring(pingUrl, async () => {
        for (let i = 0; i < READS; i += 1) {
          const t0 = performance.now();
          statuses.add(await drain(server.url + route()));
          readMs.push(performance.now() - t0);
          await new Promise((r) => setTimeout(r, PAUSE_MS));
        }
      });
      const p99 = percentile(during.latencies, 99);
      const refused = [...during.statuses].filter((s) => s !== 200);
      console.log(
        `  ${name.padEnd(40)} read ${fmt(percentile(readMs, 50), 0).padStart(5)} ms ${[...statuses].join('/')}   p50 ${fmt(percentile(during.latencies, 50), 1).padStart(6)} ms   p99 ${fmt(p99, 1).padStart(6)} ms   max ${fmt(Math.max(...during.latencies), 0).padStart(4)} ms   ratio ${fmt(p99 / aloneP99, 2)}${refused.length ? `   pings answered ${refused.join('/')}` : ''}`,
      );
    }
  } finally {
    await stopProcess(server.child);
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchReadStalls();
