// A million checks on SQLite: start and restart time (spawn → first 200 from /healthz), RSS, idle CPU, dashboard first
// rows (GET /api/v1/checks?limit=100, the dashboard's first page) and scheduler lag when a tenth of the checks fall
// due at the same instant. Baselines in the same run: the same measurements on a small store (1,000 checks, a tenth
// due), and a bare Node HTTP server's start time, RSS and idle CPU. While the due checks are processed, a ping every
// 20 ms to a check that is not due measures how long ingest waits behind the scheduler's transactions.
// BENCH_MILLION_CHECKS (default 100,000; the issue's figure is 1,000,000), BENCH_MILLION_IDLE_S (default 10; 30 for the table),
// BENCH_MILLION_SPREAD_S (default 0: the due checks share one instant; 60: spread evenly over a minute),
// BENCH_MILLION_HISTORY (default 0: a new store; 1: one past outage per check, a resolved incident and two flips).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { freePort, rssMiB, stopProcess } from './lib/processes.mjs';
import { seedChecks } from './lib/seed-checks.mjs';
import { seedHistory } from './lib/seed-history.mjs';
import { fmt } from './lib/figures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEY = 'bench-admin-key-0123456789';
const CHECKS = Number(process.env.BENCH_MILLION_CHECKS ?? 100_000);
const SMALL = 1000;
const IDLE_S = Number(process.env.BENCH_MILLION_IDLE_S ?? 10);
// 0: every due check at the same instant (cron checks of one minute with the same grace); else spread over this many seconds.
const SPREAD_S = Number(process.env.BENCH_MILLION_SPREAD_S ?? 0);
// Past outages per check: a store in use has far larger flip and incident indexes than a new one.
const HISTORY = Number(process.env.BENCH_MILLION_HISTORY ?? 0);

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime + stime, in clock ticks of 1/100 s.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Spawns a server and times it from spawn until /healthz (or any path) first answers 200. */
async function spawnUntilServing(args, env, port, probe = '/healthz') {
  const started = performance.now();
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (;;) {
    if (child.exitCode != null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}${probe}`);
      await res.arrayBuffer();
      if (res.status === 200) return { child, ms: performance.now() - started };
    } catch {
      // not listening yet
    }
    await sleep(10);
    if (performance.now() - started > 300_000) throw new Error('server did not start within 5 minutes');
  }
}

async function idleCpu(pid, seconds) {
  const before = cpuMs(pid);
  await sleep(seconds * 1000);
  return (cpuMs(pid) - before) / (seconds * 1000);
}

/** Pings `url` every 20 ms from `from` until stopped; stop() gives the latencies, sorted (ms). */
function pingWhile(url, from) {
  const latencies = [];
  let stopped = false;
  const done = (async () => {
    while (Date.now() < from) await sleep(5);
    // At least one ping, so that a pass over before the first still gives a figure.
    while (!stopped || latencies.length === 0) {
      const started = performance.now();
      const res = await fetch(url, { method: 'POST' });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`ping answered ${res.status}`);
      latencies.push(performance.now() - started);
      await sleep(20);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await done;
      return latencies.sort((a, b) => a - b);
    },
  };
}

async function timeGet(url) {
  const started = performance.now();
  const res = await fetch(url, { headers: { 'x-api-key': KEY } });
  const body = await res.json();
  if (res.status !== 200 || body.items.length === 0) throw new Error(`GET ${url} answered ${res.status}`);
  return performance.now() - started;
}

/** Seeds `n` checks (a tenth due at one instant after the idle window), then measures one server on them. */
async function measureStore(n) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-million-'));
  const due = Math.round(n / 10);
  const now = Date.now();
  const seedStarted = performance.now();
  // The rest are hourly checks due at times spread over the coming day, so they sit in the scheduler's index.
  const keys = await seedChecks({
    dataDir,
    apiKey: KEY,
    n,
    now,
    expectedOf: (i) => (i < due ? now + 86_400_000 : now + 7_200_000 + Math.floor(((i - due) / n) * 79_200_000)),
  });
  const outages = HISTORY > 0 ? await seedHistory({ dataDir, perCheck: HISTORY, now }) : 0;
  const seedMs = performance.now() - seedStarted;
  const port = await freePort();
  const env = { OVERDUE_PORT: String(port), OVERDUE_DATA_DIR: dataDir, OVERDUE_BOOTSTRAP_KEY: KEY, OVERDUE_LOG_LEVEL: 'warn' };
  const main = path.join(root, 'packages/server/dist/main.js');
  // The due instant leaves room for the start, the idle window and the dashboard reads before it.
  const dueAt = Date.now() + 20_000 + IDLE_S * 1000;
  const db = new Database(path.join(dataDir, 'overdue.db'));
  db.prepare(
    `update checks set expected_at = @at + (cast(substr(slug, 2) as integer) * @spread) / @due, next_deadline = @at + (cast(substr(slug, 2) as integer) * @spread) / @due,
    last_beat_at = @at + (cast(substr(slug, 2) as integer) * @spread) / @due - 3600000 where slug in (select slug from checks where cast(substr(slug, 2) as integer) < @due)`,
  ).run({ at: dueAt, spread: SPREAD_S * 1000, due });
  db.close();

  const first = await spawnUntilServing([main, 'serve'], env, port);
  const out = { n, due, outages, seedMs, startMs: first.ms };
  try {
    await sleep(2000);
    out.idleCpu = await idleCpu(first.child.pid, IDLE_S);
    out.rss = rssMiB(first.child.pid);
    const list = `http://127.0.0.1:${port}/api/v1/checks?limit=100`;
    const reads = [];
    for (let i = 0; i < 5; i++) reads.push(await timeGet(list));
    out.firstRowsMs = reads[0];
    out.firstRowsMedianMs = [...reads].sort((a, b) => a - b)[2];
    if (Date.now() > dueAt) throw new Error('the idle window ran past the due instant; raise the margin');
    // Wait for every due check's flip (lag from the shared deadline to the flip's record).
    const reader = new Database(path.join(dataDir, 'overdue.db'), { readonly: true });
    // Only flips recorded from now on: a seeded history (BENCH_MILLION_HISTORY) has down flips of its own. A rowid range
    // keeps the count cheap beside the server (a scan of millions of flips every 250 ms would take a core from it).
    const flipsBefore = reader.prepare('select coalesce(max(id), 0) from flips').pluck().get();
    const count = reader.prepare("select count(*) from flips where id > ? and to_status = 'down'").pluck();
    const pinging = pingWhile(`http://127.0.0.1:${port}/ping/${keys[n - 1]}`, dueAt);
    while (count.get(flipsBefore) < due && Date.now() < dueAt + SPREAD_S * 1000 + 300_000) await sleep(250);
    out.pingMs = await pinging.stop();
    // After the miss, expected_at has moved on one period (1 h) past the deadline the flip answered.
    out.lags = reader
      .prepare(
        "select f.at - (c.expected_at - 3600000) as lag from flips f join checks c on c.id = f.check_id where f.id > ? and f.to_status = 'down'",
      )
      .all(flipsBefore)
      .map((r) => r.lag)
      .sort((a, b) => a - b);
    reader.close();
    out.rssAfterDue = rssMiB(first.child.pid);
    await sleep(2000);
    out.idleCpuAfter = await idleCpu(first.child.pid, Math.min(IDLE_S, 10));
  } finally {
    await stopProcess(first.child);
  }
  const again = await spawnUntilServing([main, 'serve'], env, port);
  out.restartMs = again.ms;
  await stopProcess(again.child);
  out.dbMiB = Math.round(fs.statSync(path.join(dataDir, 'overdue.db')).size / 1048576);
  fs.rmSync(dataDir, { recursive: true, force: true });
  return out;
}

async function measureBareNode() {
  const port = await freePort();
  const bare = await spawnUntilServing([path.join(root, 'bench/baseline-server.mjs')], { PORT: String(port) }, port, '/');
  await sleep(2000);
  const idle = await idleCpu(bare.child.pid, IDLE_S);
  const rss = rssMiB(bare.child.pid);
  await stopProcess(bare.child);
  return { startMs: bare.ms, idleCpu: idle, rss };
}

export async function benchMillion() {
  const bare = await measureBareNode();
  const small = await measureStore(SMALL);
  const big = await measureStore(CHECKS);
  const ratio = (a, b) => (b > 0 ? `×${fmt(a / b, 1)}` : '');
  const row = (label, a, b, unit, digits = 0) =>
    console.log(
      `  ${label.padEnd(38)} ${`${fmt(a, digits)} ${unit}`.padStart(14)}   ${`${fmt(b, digits)} ${unit}`.padStart(14)}   ${ratio(a, b)}`,
    );
  console.log(
    `\nmany checks on SQLite: ${fmt(CHECKS)} checks (${fmt(big.due)} due ${SPREAD_S ? `spread over ${SPREAD_S} s` : 'at one instant'}), beside ${fmt(SMALL)} checks (${fmt(small.due)} due) and a bare Node server` +
      ` — ${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((l) => fmt(l, 1))
        .join(' ')}; database ${fmt(big.dbMiB)} MiB, seeded in ${fmt(big.seedMs / 1000, 1)} s` +
      (HISTORY > 0 ? `; history: ${fmt(big.outages)} / ${fmt(small.outages)} past outages (an incident and two flips each)` : ''),
  );
  console.log(`  ${''.padEnd(38)} ${`${fmt(CHECKS)} checks`.padStart(14)}   ${`${fmt(SMALL)} checks`.padStart(14)}   ratio`);
  row('start (spawn → first 200 /healthz)', big.startMs, small.startMs, 'ms');
  row('restart (same, second start)', big.restartMs, small.restartMs, 'ms');
  row('RSS after start', big.rss, small.rss, 'MiB');
  row(`idle CPU over ${IDLE_S} s (% of a core)`, big.idleCpu * 100, small.idleCpu * 100, '%', 2);
  row('dashboard first rows (first GET)', big.firstRowsMs, small.firstRowsMs, 'ms', 1);
  row('dashboard first rows (median of 5)', big.firstRowsMedianMs, small.firstRowsMedianMs, 'ms', 1);
  row('scheduler lag p50', pct(big.lags, 50), pct(small.lags, 50), 'ms');
  row('scheduler lag p99', pct(big.lags, 99), pct(small.lags, 99), 'ms');
  row('scheduler lag max', big.lags[big.lags.length - 1], small.lags[small.lags.length - 1], 'ms');
  row('flips recorded', big.lags.length, small.lags.length, '');
  row('ping meanwhile: p50', pct(big.pingMs, 50), pct(small.pingMs, 50), 'ms', 1);
  row('ping meanwhile: max', big.pingMs[big.pingMs.length - 1], small.pingMs[small.pingMs.length - 1], 'ms', 1);
  row('RSS after the due instant', big.rssAfterDue, small.rssAfterDue, 'MiB');
  row('idle CPU after it (% of a core)', big.idleCpuAfter * 100, small.idleCpuAfter * 100, '%', 2);
  console.log(
    `  bare Node http server: start ${fmt(bare.startMs)} ms, RSS ${bare.rss} MiB, idle CPU ${fmt(bare.idleCpu * 100, 2)} % of a core`,
  );
  return { big, small, bare };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchMillion();
