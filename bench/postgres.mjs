// PostgreSQL benchmark: /ping throughput of one and of three Overdue instances sharing one PostgreSQL database,
// against bare Node HTTP servers (one, and three) under the same load, in the same run. wrk runs in its own processes.
// BENCH_PG_URL names a database the benchmark may create and drop databases from (default: the test server's).
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, rssMiB, startProcess, stopProcess } from './lib/processes.mjs';
import { requireWrk, wrk } from './lib/load.mjs';
import { createChecks } from './lib/checks.mjs';
import { fmt } from './lib/figures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEY = 'bench-admin-key-0123456789';
const ADMIN_URL = process.env.BENCH_PG_URL || process.env.OVERDUE_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
const CHECKS = Number(process.env.BENCH_CHECKS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 64;

requireWrk();

async function admin(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(name) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** CPU seconds a process has used so far (Linux /proc; clock ticks of 1/100 s). */
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds used so far by every PostgreSQL process on this machine (other users of the server included). */
function postgresCpuSeconds() {
  const out = execFileSync('ps', ['-C', 'postgres', '-o', 'pid='], { encoding: 'utf8' });
  let total = 0;
  for (const pid of out.split(/\s+/).filter(Boolean)) {
    try {
      total += cpuSeconds(pid);
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

async function startBaselines(n) {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const port = await freePort();
      const { child } = await startProcess([path.join(root, 'bench/baseline-server.mjs')], {
        env: { PORT: String(port) },
        ready: 'baseline listening',
      });
      return { child, url: `http://127.0.0.1:${port}` };
    }),
  );
}

async function startOverdues(n, url) {
  const start = async () => {
    const port = await freePort();
    const { child } = await startProcess([path.join(root, 'packages/server/dist/main.js'), 'serve'], {
      env: {
        OVERDUE_PORT: String(port),
        DATABASE_URL: url,
        OVERDUE_BOOTSTRAP_KEY: KEY,
        OVERDUE_LOG_LEVEL: 'warn',
        OVERDUE_PING_RATE_LIMIT: '1000000',
        OVERDUE_CLIENT_RATE_LIMIT: '0',
        OVERDUE_DATA_DIR: os.tmpdir(),
      },
      ready: 'Overdue listening',
    });
    return { child, url: `http://127.0.0.1:${port}` };
  };
  // Started at once, as a deployment would: they take turns to migrate and bootstrap.
  return Promise.all(Array.from({ length: n }, start));
}

/**
 * wrk against every server at once, the connections split between them; requests/s summed, latency the worst.
 * Each server gets its own share of the checks, as each job pings its own check through whichever instance the
 * load balancer picks: pings of one check seconds apart, not twenty times a second through three instances at once.
 */
async function wrkAll(urls, paths, seconds) {
  const each = Math.ceil(CONNECTIONS / urls.length);
  const results = await Promise.all(
    urls.map((url, n) =>
      wrk(
        url,
        paths.filter((_, i) => i % urls.length === n),
        { seconds, connections: each },
      ),
    ),
  );
  return {
    rps: results.reduce((sum, r) => sum + r.rps, 0),
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors:
      results
        .map((r) => r.errors)
        .filter(Boolean)
        .join('; ') || null,
  };
}

async function measureOverdue(n) {
  const name = `overdue_bench_${randomBytes(5).toString('hex')}`;
  await admin(ADMIN_URL, (c) => c.query(`create database ${name}`));
  const url = databaseUrl(name);
  const servers = await startOverdues(n, url);
  try {
    const keys = await createChecks(servers[0].url, KEY, CHECKS);
    const pingPaths = keys.map((k) => `/ping/${k}`);
    const urls = servers.map((s) => s.url);
    await wrkAll(urls, pingPaths, 2);
    const count = () => admin(url, async (c) => Number((await c.query('select count(*) as n from signals')).rows[0].n));
    const before = await count();
    const commits = () =>
      admin(url, async (c) =>
        Number((await c.query('select xact_commit from pg_stat_database where datname = current_database()')).rows[0].xact_commit),
      );
    const commitsBefore = await commits();
    const cpuBefore = { overdue: servers.reduce((t, s) => t + cpuSeconds(s.child.pid), 0), postgres: postgresCpuSeconds() };
    const load = await wrkAll(urls, pingPaths, SECONDS);
    const cpu = {
      overdue: servers.reduce((t, s) => t + cpuSeconds(s.child.pid), 0) - cpuBefore.overdue,
      postgres: postgresCpuSeconds() - cpuBefore.postgres,
    };
    // Every transaction of the database during the run (ingest batches, and the few of the scheduler and health).
    const commitsPerSecond = ((await commits()) - commitsBefore) / SECONDS;
    const rss = servers.map((s) => rssMiB(s.child.pid));
    await Promise.all(servers.map((s) => stopProcess(s.child)));
    const stored = (await count()) - before;
    // Bytes on disk per stored signal (table, TOAST and indexes), for sizing retention.
    const bytesPerSignal = await admin(url, async (c) => {
      const { rows } = await c.query("select pg_total_relation_size('signals') as bytes, count(*) as n from signals");
      return Number(rows[0].bytes) / Math.max(1, Number(rows[0].n));
    });
    return { load, rss, stored, bytesPerSignal, commitsPerSecond, cpu };
  } finally {
    await Promise.all(servers.map((s) => stopProcess(s.child)));
    await admin(ADMIN_URL, (c) => c.query(`drop database if exists ${name} with (force)`));
  }
}

export async function benchPostgres() {
  const settings = await admin(ADMIN_URL, async (c) => {
    const show = async (s) => (await c.query(`show ${s}`)).rows[0][s];
    return { version: await show('server_version'), synchronous_commit: await show('synchronous_commit'), fsync: await show('fsync') };
  });
  const paths = Array.from({ length: CHECKS }, (_, i) => `/ping/placeholder${i}`);
  const results = [];
  for (const n of [1, 3]) {
    const baselines = await startBaselines(n);
    const urls = baselines.map((b) => b.url);
    await wrkAll(urls, paths, 2);
    const base = await wrkAll(urls, paths, SECONDS);
    await Promise.all(baselines.map((b) => stopProcess(b.child)));
    const overdue = await measureOverdue(n);
    results.push({ n, base, ...overdue });
  }

  const load = os
    .loadavg()
    .map((l) => fmt(l, 1))
    .join(' ');
  console.log(
    `\ningest on PostgreSQL ${settings.version} (synchronous_commit=${settings.synchronous_commit}, fsync=${settings.fsync}, same machine):` +
      ` POST /ping/{key} over ${fmt(CHECKS)} checks — wrk, ${CONNECTIONS} connections split over the servers, ${SECONDS} s, ${os.cpus().length} cores` +
      ` (load average ${load} at the end: other work on the machine shares these cores)`,
  );
  for (const r of results) {
    const label = r.n === 1 ? '1 server ' : `${r.n} servers`;
    console.log(
      `  bare Node http, ${label}      ${fmt(r.base.rps).padStart(8)} req/s   p50 ${fmt(r.base.p50, 2)} ms   p99 ${fmt(r.base.p99, 2)} ms`,
    );
    console.log(
      `  Overdue, ${r.n} instance${r.n === 1 ? ' ' : 's'} on PG     ${fmt(r.load.rps).padStart(8)} req/s   p50 ${fmt(r.load.p50, 2)} ms   p99 ${fmt(r.load.p99, 2)} ms   ratio ${fmt(r.load.rps / r.base.rps, 2)}   non-2xx ${r.load.non2xx}${r.load.errors ? `   ${r.load.errors}` : ''}`,
    );
    console.log(`      CPU per 1,000 pings: Overdue ${fmt((r.cpu.overdue / (r.load.rps * SECONDS)) * 1e6)} ms, PostgreSQL ${fmt((r.cpu.postgres / (r.load.rps * SECONDS)) * 1e6)} ms (every postgres process of the machine)
      ${fmt(r.commitsPerSecond)} commits/s (${fmt(r.load.rps / Math.max(1, r.commitsPerSecond), 1)} pings per commit); ~${fmt(Math.round(r.load.rps * SECONDS))} pings acknowledged during measurement, ${fmt(r.stored)} signals stored (${fmt(r.bytesPerSignal)} bytes each on disk); RSS ${r.rss.join(' + ')} MiB`);
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPostgres();
