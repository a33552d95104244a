#!/usr/bin/env node
// Alert latency: from a check's deadline to the webhook arriving at a local receiver, with the real clock.
// Starts a built server process on a temporary SQLite store, creates N short-interval checks whose only channel is
// a webhook to a receiver on 127.0.0.1, pings each once, then lets them all miss. Prints p50/p90/p99/max of
// (receipt time − down deadline) and a JSON line for bench/run.mjs. Target: p99 ≤ 2000 ms.
//
//   node bench/alert-latency.mjs [--checks 200] [--period 2] [--grace 1] [--batching [--window 1]]
// With --batching the workspace batches (digest window --window seconds), which adds up to 1 s to a lone alert
// and up to the window to alerts that follow a digest during a storm.
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './lib/figures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const main = path.join(root, 'packages/server/dist/main.js');
const KEY = 'bench-alert-latency-key-0123456789';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  return value == null || value.startsWith('--') ? true : value;
}
const N = Number(option('checks', 200));
const PERIOD_S = Number(option('period', 2));
const GRACE_S = Number(option('grace', 1));
const BATCHING = option('batching', false) === true;
const WINDOW_S = Number(option('window', 1));
const TARGET_P99_MS = 2000;

if (!fs.existsSync(main)) {
  console.error(`${main} is missing; run "npm run build" first.`);
  process.exit(2);
}

/**
 * The receiver: records when each check's first down alert arrived (digests count for every check inside).
 * Requests to /baseline come from the bare-Node baseline and are recorded apart.
 */
function startReceiver() {
  const arrivals = new Map();
  const flipped = new Map();
  const baseline = new Map();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (req.url === '/baseline') {
          if (!baseline.has(body.check.id)) baseline.set(body.check.id, at);
          return void res.writeHead(200).end('ok');
        }
        for (const n of body.event === 'digest' ? body.notifications : [body]) {
          if (n.event === 'check.down' && !arrivals.has(n.check.id)) {
            arrivals.set(n.check.id, at);
            flipped.set(n.check.id, Date.parse(n.flip.at));
          }
        }
      } catch {
        // not ours
      }
      res.writeHead(200).end('ok');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, arrivals, flipped, baseline, url: `http://127.0.0.1:${server.address().port}` })),
  );
}

function startServer(dataDir) {
  const child = spawn(process.execPath, [main, 'serve'], {
    env: {
      ...process.env,
      OVERDUE_PORT: '0',
      OVERDUE_HOST: '127.0.0.1',
      OVERDUE_DATA_DIR: dataDir,
      OVERDUE_BOOTSTRAP_KEY: KEY,
      OVERDUE_ALLOW_PRIVATE_TARGETS: 'true',
      OVERDUE_LOG_LEVEL: 'error',
      OVERDUE_PING_RATE_LIMIT: '100000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /Overdue listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

async function api(base, method, route, body) {
  const res = await fetch(base + route, {
    method,
    headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-bench-alerts-'));
const receiver = await startReceiver();
const server = await startServer(dataDir);
try {
  await api(server.url, 'POST', '/api/v1/channels', { kind: 'webhook', name: 'bench receiver', config: { url: `${receiver.url}/hook` } });
  if (BATCHING) await api(server.url, 'PATCH', '/api/v1/workspace/alerting', { batching: true, batch_window_s: WINDOW_S });
  const ids = [];
  for (let i = 0; i < N; i += 1) {
    const check = await api(server.url, 'POST', '/api/v1/checks', {
      name: `latency ${i}`,
      schedule: { kind: 'interval', period_s: PERIOD_S },
      grace_s: GRACE_S,
    });
    ids.push(check.id);
  }
  // One ping each, spread over a period, so deadlines are spread too (not one burst the scheduler handles at once).
  const spreadMs = PERIOD_S * 1000;
  const started = Date.now();
  // The down deadline of each check: the beat its ping made expected, plus the grace (it is "late" in between).
  const deadlines = new Map();
  for (let i = 0; i < N; i += 1) {
    const wait = started + (i * spreadMs) / N - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const res = await fetch(`${server.url}/ping/${ids[i]}`, { method: 'POST', headers: { accept: 'application/json' } });
    if (res.status !== 200) throw new Error(`ping answered ${res.status}`);
    deadlines.set(ids[i], Date.parse((await res.json()).next_expected) + GRACE_S * 1000);
  }
  // The baseline, in the same run and under the same load: a timer at each deadline, then a POST.
  const timers = fork(path.join(root, 'bench/lib/timer-post-baseline.mjs'));
  timers.send({ url: receiver.url, deadlines: [...deadlines] });
  const lastDeadline = Math.max(...deadlines.values());
  const giveUpAt = lastDeadline + 15_000 + (BATCHING ? WINDOW_S * 1000 : 0);
  while ((receiver.arrivals.size < N || receiver.baseline.size < N) && Date.now() < giveUpAt) await new Promise((r) => setTimeout(r, 50));
  timers.disconnect();
  const base = ids
    .filter((id) => receiver.baseline.has(id))
    .map((id) => receiver.baseline.get(id) - deadlines.get(id))
    .sort((a, b) => a - b);

  const got = ids.filter((id) => receiver.arrivals.has(id));
  const latencies = got.map((id) => receiver.arrivals.get(id) - deadlines.get(id)).sort((a, b) => a - b);
  // The two halves: deadline → the scheduler's flip, flip → receipt (batching hold and delivery).
  const lags = got.map((id) => receiver.flipped.get(id) - deadlines.get(id)).sort((a, b) => a - b);
  const sends = got.map((id) => receiver.arrivals.get(id) - receiver.flipped.get(id)).sort((a, b) => a - b);
  const missing = N - latencies.length;
  const result = {
    bench: 'alert-latency',
    checks: N,
    period_s: PERIOD_S,
    grace_s: GRACE_S,
    batching: BATCHING,
    batch_window_s: BATCHING ? WINDOW_S : null,
    received: latencies.length,
    missing,
    p50_ms: percentile(latencies, 50),
    p90_ms: percentile(latencies, 90),
    p99_ms: percentile(latencies, 99),
    max_ms: latencies[latencies.length - 1],
    min_ms: latencies[0],
    baseline_p50_ms: percentile(base, 50),
    baseline_p99_ms: percentile(base, 99),
    scheduler_lag_p99_ms: percentile(lags, 99),
    delivery_p99_ms: percentile(sends, 99),
    target_p99_ms: TARGET_P99_MS,
  };
  result.ok = missing === 0 && result.p99_ms <= TARGET_P99_MS;
  console.log(
    `alert latency, deadline → webhook receipt (${N} checks, every ${PERIOD_S}s + ${GRACE_S}s grace, batching ${BATCHING ? `on, ${WINDOW_S}s window` : 'off'}):`,
  );
  console.log(`  bare Node timer + POST, same deadlines   p50 ${result.baseline_p50_ms} ms   p99 ${result.baseline_p99_ms} ms`);
  console.log(
    `  Overdue                                  p50 ${result.p50_ms} ms   p90 ${result.p90_ms} ms   p99 ${result.p99_ms} ms   max ${result.max_ms} ms   missing ${missing}   (scheduler lag p99 ${result.scheduler_lag_p99_ms} ms, flip → receipt p99 ${result.delivery_p99_ms} ms)   target p99 ≤ ${TARGET_P99_MS} ms: ${result.ok ? 'met' : 'NOT met'}; p99 ${result.p99_ms - result.baseline_p99_ms} ms above the baseline`,
  );
  console.log(JSON.stringify(result));
  process.exitCode = result.ok ? 0 : 1;
} finally {
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
  receiver.server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
