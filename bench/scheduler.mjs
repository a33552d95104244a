// Scheduler benchmark: lag between deadlines and their processing with 100,000 checks, and the idle cost of
// checks that are not due. Baselines: bare Node timers for the same deadlines; an idle bare Node process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { freePort, rssMiB, startProcess, stopProcess } from './lib/processes.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'packages/server/dist');
const CHECKS = Number(process.env.BENCH_SCHEDULER_CHECKS ?? 100_000);
const WINDOW_S = Number(process.env.BENCH_SCHEDULER_WINDOW ?? 30);
const KEY = 'bench-admin-key-0123456789';

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Creates a data dir with `n` checks; `due(i)` gives check i's expected time (null: idle, nothing expected). */
async function seed(n, due) {
  const { openStore, migrate } = await import(path.join(dist, 'store/database.js'));
  const { bootstrap } = await import(path.join(dist, 'auth/bootstrap.js'));
  const { stateColumns, timingColumns } = await import(path.join(dist, 'store/check-rows.js'));
  const { newId, newCheckKey, readIdOf } = await import(path.join(dist, 'store/ids.js'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-sched-'));
  const store = await openStore({ dataDir, sqliteSync: 'normal' });
  await migrate(store);
  await bootstrap(store.db, KEY, Date.now());
  const workspaceId = (await store.db.selectFrom('workspaces').select('id').executeTakeFirst()).id;
  // No grace: each check goes down at its expected time, and that flip is what the lag is measured from.
  const timing = {
    schedule: { kind: 'interval', period_s: 3600 },
    grace_s: 0,
    grace_multiplier: null,
    max_runtime_s: null,
    failure_threshold: 1,
    recovery_threshold: 1,
    manual_resume: false,
    alert_before_first_ping: false,
  };
  const now = Date.now();
  for (let i = 0; i < n; i += 500) {
    const rows = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      const expected = due(j);
      const state = {
        status: expected == null ? 'new' : 'up',
        degraded: false,
        created_at: now,
        last_signal_at: expected == null ? null : now,
        last_beat_at: expected == null ? null : expected - 3_600_000,
        last_success_at: null,
        expected_at: expected,
        run_deadline: null,
        open_runs: 0,
        consecutive_failures: 0,
        consecutive_successes: 1,
        signal_count: 0,
        run_count: 0,
        last_duration_ms: null,
        last_message: null,
      };
      const id = newId();
      rows.push({
        id,
        read_id: readIdOf(id),
        workspace_id: workspaceId,
        key: newCheckKey(),
        slug: `c${j}`,
        name: `check ${j}`,
        description: '',
        project: null,
        service_id: null,
        tags: '[]',
        ...timingColumns(timing),
        enabled: 1,
        methods: null,
        ...stateColumns(timing, state, now),
        last_signal_id: null,
        created_at: now,
      });
    }
    // 500 rows × 43 columns stays under SQLite's limit of 32,766 bound parameters.
    await store.db.transaction().execute((trx) => trx.insertInto('checks').values(rows).execute());
  }
  await store.close();
  return dataDir;
}

async function startServer(dataDir) {
  const port = await freePort();
  const profile = process.env.BENCH_PROFILE_DIR ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const { child } = await startProcess([...profile, path.join(dist, 'main.js'), 'serve'], {
    env: { OVERDUE_PORT: String(port), OVERDUE_DATA_DIR: dataDir, OVERDUE_BOOTSTRAP_KEY: KEY, OVERDUE_LOG_LEVEL: 'warn' },
    ready: 'Overdue listening',
    timeoutMs: 60_000,
  });
  return child;
}

function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function lagScenario() {
  const start = Date.now() + 8000;
  const deadlines = Array.from({ length: CHECKS }, (_, i) => start + Math.floor((i / CHECKS) * WINDOW_S * 1000));
  const dataDir = await seed(CHECKS, (i) => deadlines[i]);
  // The baseline: plain timers for the same deadlines, in a process of their own, running alongside.
  const baseline = fork(path.join(root, 'bench/lib/timer-baseline.mjs'));
  const baselineLags = new Promise((resolve) => baseline.once('message', (m) => resolve(m.lags)));
  baseline.send({ deadlines });
  const server = await startServer(dataDir);
  await new Promise((r) => setTimeout(r, Math.max(0, start + WINDOW_S * 1000 + 3000 - Date.now())));
  const rss = rssMiB(server.pid);
  await stopProcess(server);
  const db = new Database(path.join(dataDir, 'overdue.db'), { readonly: true });
  // After the miss, expected_at has moved on one period (1 h) past the deadline the flip answered.
  const flips = db
    .prepare(`select f.at - (c.expected_at - 3600000) as lag from flips f join checks c on c.id = f.check_id where f.to_status = 'down'`)
    .all();
  db.close();
  const lags = flips.map((f) => f.lag).sort((a, b) => a - b);
  const base = (await baselineLags).sort((a, b) => a - b);
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { lags, base, rss };
}

async function idleScenario() {
  const dataDir = await seed(CHECKS, () => null);
  const server = await startServer(dataDir);
  await new Promise((r) => setTimeout(r, 2000));
  const before = cpuMs(server.pid);
  await new Promise((r) => setTimeout(r, 10_000));
  const used = cpuMs(server.pid) - before;
  const rss = rssMiB(server.pid);
  await stopProcess(server);
  const idleNode = fork(path.join(root, 'bench/lib/timer-baseline.mjs'));
  await new Promise((r) => setTimeout(r, 2000));
  const nodeBefore = cpuMs(idleNode.pid);
  await new Promise((r) => setTimeout(r, 10_000));
  const nodeUsed = cpuMs(idleNode.pid) - nodeBefore;
  idleNode.kill();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { used, nodeUsed, rss };
}

export async function benchScheduler() {
  const lag = await lagScenario();
  console.log(
    `\nscheduler: ${fmt(CHECKS)} checks falling due over ${WINDOW_S} s (${fmt(CHECKS / WINDOW_S)} deadlines/s), lag from deadline to the recorded flip`,
  );
  console.log(
    `  bare Node timers, same deadlines   p50 ${fmt(pct(lag.base, 50))} ms   p99 ${fmt(pct(lag.base, 99))} ms   max ${fmt(lag.base[lag.base.length - 1])} ms`,
  );
  console.log(
    `  Overdue scheduler (SQLite)         p50 ${fmt(pct(lag.lags, 50))} ms   p99 ${fmt(pct(lag.lags, 99))} ms   max ${fmt(lag.lags[lag.lags.length - 1])} ms   (${fmt(lag.lags.length)} of ${fmt(CHECKS)} flips; p99 ${fmt(pct(lag.lags, 99) - pct(lag.base, 99))} ms above the timer baseline)`,
  );
  console.log(`  server RSS with ${fmt(CHECKS)} checks: ${lag.rss} MiB`);
  const idle = await idleScenario();
  console.log(`idle cost: ${fmt(CHECKS)} checks with nothing due, 10 s`);
  console.log(`  idle bare Node process   ${fmt(idle.nodeUsed)} ms CPU`);
  console.log(`  Overdue                  ${fmt(idle.used)} ms CPU   RSS ${idle.rss} MiB`);
  return { lag, idle };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchScheduler();
