// Ingest benchmark: Overdue's /ping against a bare Node HTTP server under the same load, in the same run.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { cpuMs, freePort, rssMiB, startOverdue, startProcess, stopProcess } from './lib/processes.mjs';
import { fixedRate, wrk } from './lib/load.mjs';
import { createChecks } from './lib/checks.mjs';
import { fmt } from './lib/figures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEY = 'bench-admin-key-0123456789';
const CHECKS = Number(process.env.BENCH_CHECKS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = 5000;
// BENCH_STEADY_ONLY=1: the steady-ingest headline alone (wrk against sync=full and the bare server; no sync=normal,
// no fixed-rate latency), for measuring a change to the ingest path quickly.
const STEADY_ONLY = process.env.BENCH_STEADY_ONLY === '1';

async function startBaseline() {
  const port = await freePort();
  const { child } = await startProcess([path.join(root, 'bench/baseline-server.mjs')], {
    env: { PORT: String(port) },
    ready: 'baseline listening',
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Cumulative counts of the server's own ping-duration histogram, by bucket bound (seconds). */
async function pingDurationBuckets(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets = new Map();
  for (const m of text.matchAll(/^overdue_ping_request_duration_seconds_bucket\{le="([^"]+)"\} (\S+)$/gm)) buckets.set(m[1], Number(m[2]));
  return buckets;
}

/** The bucket bound (ms) under which 99 % of the pings between two scrapes were answered, server-side. */
function serverP99Ms(before, after) {
  const total = after.get('+Inf') - before.get('+Inf');
  for (const [le, n] of after) if (le !== '+Inf' && n - before.get(le) >= 0.99 * total) return Number(le) * 1000;
  return Infinity;
}

function storedSignals(dataDir) {
  const db = new Database(path.join(dataDir, 'overdue.db'), { readonly: true });
  const n = db.prepare('select count(*) as n from signals').get().n;
  db.close();
  return n;
}

/** CPU milliseconds a process spent during a wrk run, per request it answered, in µs. */
function cpuPerRequestUs(ms, load) {
  return (ms * 1000) / Math.max(1, load.rps * SECONDS);
}

export async function benchIngest() {
  const paths = Array.from({ length: CHECKS }, (_, i) => `/ping/placeholder${i}`);
  const lines = [];
  const log = (s) => {
    lines.push(s);
    console.log(s);
  };

  const baseline = await startBaseline();
  await wrk(baseline.url, paths, { seconds: 2 });
  const baseCpuBefore = cpuMs(baseline.child.pid);
  const base = await wrk(baseline.url, paths, { seconds: SECONDS });
  base.cpuUs = cpuPerRequestUs(cpuMs(baseline.child.pid) - baseCpuBefore, base);
  const baseFixed = STEADY_ONLY ? null : await fixedRate(baseline.url, paths, { rate: RATE, seconds: SECONDS });
  await stopProcess(baseline.child);

  const results = {};
  for (const sync of STEADY_ONLY ? ['full'] : ['full', 'normal']) {
    const server = await startOverdue({ key: KEY, env: { OVERDUE_SQLITE_SYNC: sync } });
    const keys = await createChecks(server.url, KEY, CHECKS);
    const pingPaths = keys.map((k) => `/ping/${k}`);
    await wrk(server.url, pingPaths, { seconds: 2 });
    const before = storedSignals(server.dataDir);
    const cpuBefore = cpuMs(server.child.pid);
    const load = await wrk(server.url, pingPaths, { seconds: SECONDS });
    load.cpuUs = cpuPerRequestUs(cpuMs(server.child.pid) - cpuBefore, load);
    let fixed = null;
    if (!STEADY_ONLY) {
      const bucketsBefore = await pingDurationBuckets(server.url);
      fixed = await fixedRate(server.url, pingPaths, { rate: RATE, seconds: SECONDS });
      fixed.serverP99 = serverP99Ms(bucketsBefore, await pingDurationBuckets(server.url));
    }
    const rss = rssMiB(server.child.pid);
    await stopProcess(server.child);
    const stored = storedSignals(server.dataDir) - before;
    fs.rmSync(server.dataDir, { recursive: true, force: true });
    results[sync] = { load, fixed, rss, stored };
  }

  log(
    `\ningest: POST /ping/{key} over ${fmt(CHECKS)} checks — wrk, 1 thread, 64 connections, ${SECONDS} s (load generator in its own process)`,
  );
  log(`  (CPU µs/req: the server process's user+system CPU over the run per answered request; steadier than req/s on a shared machine)`);
  log(
    `  bare Node http server          ${fmt(base.rps).padStart(8)} req/s   p50 ${fmt(base.p50, 2)} ms   p99 ${fmt(base.p99, 2)} ms   CPU ${fmt(base.cpuUs, 1)} µs/req`,
  );
  for (const [sync, r] of Object.entries(results)) {
    log(
      `  Overdue, SQLite sync=${sync.padEnd(6)}    ${fmt(r.load.rps).padStart(8)} req/s   p50 ${fmt(r.load.p50, 2)} ms   p99 ${fmt(r.load.p99, 2)} ms   ratio ${fmt(r.load.rps / base.rps, 2)}   CPU ${fmt(r.load.cpuUs, 1)} µs/req   non-2xx ${r.load.non2xx}`,
    );
  }
  log(
    `  headline: steady ingest ratio ${fmt(results.full.load.rps / base.rps, 2)} with OVERDUE_SQLITE_SYNC=full (the default: every 2xx answered after the WAL sync that made it durable)`,
  );
  if (STEADY_ONLY) return { base, baseFixed, results };
  log(`\nlatency at a fixed ${fmt(RATE)} pings/s — open-loop generator (latency from each request's scheduled time), ${SECONDS} s`);
  log(
    `  bare Node http server          p50 ${fmt(baseFixed.p50, 2)} ms   p99 ${fmt(baseFixed.p99, 2)} ms   (generator's own event-loop delay p99 ${fmt(baseFixed.generatorLagP99, 1)} ms)`,
  );
  for (const [sync, r] of Object.entries(results)) {
    log(
      `  Overdue, SQLite sync=${sync.padEnd(6)}    p50 ${fmt(r.fixed.p50, 2)} ms   p99 ${fmt(r.fixed.p99, 2)} ms   (ratio of p99 ${fmt(r.fixed.p99 / Math.max(baseFixed.p99, 0.01), 1)}x; non-2xx ${r.fixed.non2xx}, errors ${r.fixed.errors}; generator delay p99 ${fmt(r.fixed.generatorLagP99, 1)} ms)`,
    );
    log(`      server-side (its own histogram, arrival → answer sent): p99 ≤ ${fmt(r.fixed.serverP99, 1)} ms`);
  }
  for (const [sync, r] of Object.entries(results)) {
    const acked = Math.round(r.load.rps * SECONDS) + r.fixed.sent;
    log(`  sync=${sync}: ~${fmt(acked)} pings acknowledged during measurement, ${fmt(r.stored)} signals stored; server RSS ${r.rss} MiB`);
  }
  return { base, baseFixed, results };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchIngest();
