// Burst benchmark: N checks whose jobs all run in the same minute, each sending `start` then `success` within the same
// 2 s (starts spread over the first second, each success one second after its start). An open-loop sender in its own
// process keeps that fixed arrival schedule whatever the server does; latency counts from the scheduled send time.
// Baseline: a bare Node HTTP server receiving the same schedule from the same sender, in the same run.
// BENCH_BURST_CHECKS (default 20,000; the figure is 100,000), BENCH_BURST_CONNECTIONS (default 1,024: each job is a
// client of its own, so a burst arrives over many connections; one request in flight on each).
// `node bench/burst.mjs` runs SQLite; `node bench/burst.mjs postgres` (or bench:postgres) runs PostgreSQL.
import { randomBytes } from 'node:crypto';
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freePort, rssMiB, startProcess, stopProcess } from './lib/processes.mjs';
import { seedChecks } from './lib/seed-checks.mjs';
import { fmt } from './lib/figures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEY = 'bench-admin-key-0123456789';
const CHECKS = Number(process.env.BENCH_BURST_CHECKS ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_BURST_CONNECTIONS ?? 1024);
const ADMIN_URL = process.env.BENCH_PG_URL || process.env.OVERDUE_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Start at a spread over the first second, success one second later, after its start was answered. */
function scheduleFor(keys) {
  const n = keys.length;
  const at = [];
  const paths = [];
  const after = [];
  keys.forEach((key, i) => {
    const startAt = Math.floor((i / n) * 1000);
    at.push(startAt, startAt + 1000);
    paths.push(`/ping/${key}/start`, `/ping/${key}`);
    after.push(-1, 2 * i);
  });
  return { at, path: paths, after };
}

/** Runs the schedule against a port from a sender process of its own; returns the figures of the burst. */
async function burst(port, keys) {
  const schedule = scheduleFor(keys);
  const file = path.join(os.tmpdir(), `overdue-burst-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(schedule));
  const sender = fork(path.join(root, 'bench/lib/open-loop-sender.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const t0 = Date.now() + 3000;
  const result = await new Promise((resolve, reject) => {
    sender.on('message', (m) => {
      if (m.doneAt) resolve(m);
    });
    sender.once('error', reject);
    sender.once('exit', (code) => code !== 0 && reject(new Error(`sender exited with ${code}`)));
    sender.send({ port, schedulePath: file, connections: CONNECTIONS, t0 });
  });
  fs.rmSync(file, { force: true });
  const lat = [];
  let acknowledged = 0;
  let unavailable = 0;
  let other = 0;
  let lastAnswer = 0;
  result.doneAt.forEach((done, i) => {
    const code = result.status[i];
    if (code >= 200 && code < 300) acknowledged += 1;
    else if (code === 503) unavailable += 1;
    else other += 1;
    lat.push(done - (t0 + schedule.at[i]));
    lastAnswer = Math.max(lastAnswer, done);
  });
  lat.sort((a, b) => a - b);
  // The schedule ends 2 s after t0: whatever is answered after that was backlog.
  return {
    sent: lat.length,
    acknowledged,
    unavailable,
    other,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    max: lat[lat.length - 1],
    backlogMs: Math.max(0, lastAnswer - (t0 + 2000)),
  };
}

async function baselineBurst(keys) {
  const port = await freePort();
  const { child } = await startProcess([path.join(root, 'bench/baseline-server.mjs')], {
    env: { PORT: String(port) },
    ready: 'baseline listening',
  });
  try {
    return await burst(port, keys);
  } finally {
    await stopProcess(child);
  }
}

async function overdueBurst(env, keys, counts) {
  const port = await freePort();
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const { child } = await startProcess([...profile, path.join(root, 'packages/server/dist/main.js'), 'serve'], {
    env: {
      OVERDUE_PORT: String(port),
      OVERDUE_BOOTSTRAP_KEY: KEY,
      OVERDUE_LOG_LEVEL: 'warn',
      OVERDUE_PING_RATE_LIMIT: '1000000',
      OVERDUE_CLIENT_RATE_LIMIT: '0',
      ...env,
    },
    ready: 'Overdue listening',
    timeoutMs: 120_000,
  });
  try {
    const figures = await burst(port, keys);
    figures.rss = rssMiB(child.pid);
    await stopProcess(child);
    figures.stored = await counts();
    return figures;
  } finally {
    await stopProcess(child);
  }
}

const sqliteCounts = (dataDir) => async () => {
  const db = new Database(path.join(dataDir, 'overdue.db'), { readonly: true });
  const signals = db.prepare('select count(*) as n from signals').get().n;
  const runs = db.prepare('select count(*) as n from runs where ended_at is not null').get().n;
  db.close();
  return { signals, runs };
};

async function onSqlite() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-burst-'));
  const now = Date.now();
  // Hourly checks that last pinged a while ago: their next deadline is well after the burst.
  const keys = await seedChecks({ dataDir, apiKey: KEY, n: CHECKS, expectedOf: () => now + 1_800_000, graceS: 300, now });
  try {
    return await overdueBurst({ OVERDUE_DATA_DIR: dataDir }, keys, sqliteCounts(dataDir));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function admin(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function onPostgres() {
  const name = `overdue_burst_${randomBytes(5).toString('hex')}`;
  await admin(ADMIN_URL, (c) => c.query(`create database ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const now = Date.now();
  try {
    const keys = await seedChecks({
      databaseUrl: url.toString(),
      apiKey: KEY,
      n: CHECKS,
      expectedOf: () => now + 1_800_000,
      graceS: 300,
      now,
    });
    const counts = () =>
      admin(url.toString(), async (c) => ({
        signals: Number((await c.query('select count(*) as n from signals')).rows[0].n),
        runs: Number((await c.query('select count(*) as n from runs where ended_at is not null')).rows[0].n),
      }));
    return await overdueBurst({ DATABASE_URL: url.toString(), OVERDUE_DATA_DIR: os.tmpdir() }, keys, counts);
  } finally {
    await admin(ADMIN_URL, (c) => c.query(`drop database if exists ${name} with (force)`));
  }
}

function line(label, r, base) {
  const ratio = (v, b) => (b > 0 ? `×${fmt(v / b, 1)}` : '');
  return (
    `  ${label.padEnd(26)} ack ${fmt(r.acknowledged).padStart(7)}/${fmt(r.sent)}   503 ${fmt(r.unavailable)}   other ${fmt(r.other)}` +
    `   p50 ${fmt(r.p50)} ms   p99 ${fmt(r.p99)} ms   max ${fmt(r.max)} ms   backlog gone ${fmt(r.backlogMs)} ms after the 2 s` +
    (base ? `   (p99 ${ratio(r.p99, base.p99)}, backlog ${ratio(r.backlogMs, base.backlogMs)} of bare Node)` : '') +
    (r.stored ? `\n  ${''.padEnd(26)} stored ${fmt(r.stored.signals)} signals, ${fmt(r.stored.runs)} completed runs; RSS ${r.rss} MiB` : '')
  );
}

/** Runs the burst on the given engines, each beside a bare Node baseline measured in the same run. */
export async function benchBurst(engines = ['sqlite']) {
  const placeholders = Array.from({ length: CHECKS }, (_, i) => `p${String(i).padStart(7, '0')}`);
  const base = await baselineBurst(placeholders);
  const results = { base };
  for (const engine of engines) results[engine] = engine === 'postgres' ? await onPostgres() : await onSqlite();
  console.log(
    `\nburst: ${fmt(CHECKS)} checks each send start then success within the same 2 s (${fmt(CHECKS)} req/s open-loop, ${CONNECTIONS} keep-alive` +
      ` connections; latency from the scheduled send time; load average ${os
        .loadavg()
        .map((l) => fmt(l, 1))
        .join(' ')})`,
  );
  console.log(line('bare Node http', base));
  for (const engine of engines) console.log(line(`Overdue on ${engine === 'postgres' ? 'PostgreSQL' : 'SQLite'}`, results[engine], base));
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchBurst(process.argv[2] === 'postgres' ? ['postgres'] : ['sqlite']);
