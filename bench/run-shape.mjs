// Run-shape benchmark: what the duration anomaly rule adds to a success that closes a run. With the rule on, ingest
// reads the check's last 20 successful durations from `runs` before applying the signal; with it off (the baseline,
// measured in the same run on the same store) it reads nothing. In-process on embedded SQLite, inside a transaction
// as ingest runs it. Usage: node bench/run-shape.mjs (after node scripts/build.mjs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt } from './lib/figures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'packages/server/dist');
const RUNS = Number(process.env.BENCH_RUN_SHAPE_RUNS ?? 2000);
const ITERATIONS = Number(process.env.BENCH_RUN_SHAPE_ITERATIONS ?? 20_000);

export async function benchRunShape() {
  const { openStore, migrate } = await import(path.join(dist, 'store/database.js'));
  const { bootstrap } = await import(path.join(dist, 'auth/bootstrap.js'));
  const { createCheck } = await import(path.join(dist, 'checks/operations.js'));
  const { stateOf, timingOf } = await import(path.join(dist, 'store/check-rows.js'));
  const { recentSuccessDurations } = await import(path.join(dist, 'store/runs.js'));
  const { applySignal, needsDurationHistory } = await import(path.join(dist, 'core/index.js'));

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-run-shape-'));
  const store = await openStore({ dataDir, sqliteSync: 'normal' });
  await migrate(store);
  const now = Date.now();
  await bootstrap(store.db, 'bench-admin-key-0123456789', now);
  const workspaceId = (await store.db.selectFrom('workspaces').select('id').executeTakeFirst()).id;
  const ops = { db: store.db, publicUrl: 'http://127.0.0.1' };
  const on = await createCheck(ops, workspaceId, { name: 'anomaly on', duration_anomaly_factor: 2, max_runtime_s: 7200 }, now);
  const off = await createCheck(ops, workspaceId, { name: 'anomaly off', max_runtime_s: 7200 }, now);
  // A long history for both: the query must stay a short index walk however many runs a check has.
  for (const check of [on, off]) {
    const rows = [];
    for (let i = 0; i < RUNS; i++) {
      const started = now - (RUNS - i) * 3_600_000;
      rows.push({
        id: `${check.id.slice(0, 8)}-${String(i).padStart(8, '0')}`,
        check_id: check.id,
        rid: null,
        started_at: started,
        ended_at: started + 600_000,
        duration_ms: 600_000,
        result: i % 10 === 0 ? 'fail' : 'success',
        exit_code: null,
        progress: null,
        last_message: null,
        host: null,
      });
    }
    for (let i = 0; i < rows.length; i += 500)
      await store.db
        .insertInto('runs')
        .values(rows.slice(i, i + 500))
        .execute();
  }

  const open = {
    id: 'open',
    rid: null,
    started_at: now - 900_000,
    ended_at: null,
    duration_ms: null,
    result: null,
    exit_code: null,
    progress: null,
    last_message: null,
  };
  const success = { kind: 'success', at: now, exit_code: null, progress: null, message: null, degraded: false, rid: null };
  /** One run-closing success as ingest handles it: the history read (only when the rule is on), then the core. */
  async function closeRuns(row, n) {
    const timing = timingOf(row);
    const state = { ...stateOf(row), status: 'up', open_runs: 1, run_deadline: now + 3_600_000 };
    return store.db.transaction().execute(async (trx) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        const history = needsDurationHistory(timing) ? await recentSuccessDurations(trx, row.id) : null;
        applySignal(timing, state, success, open, `new-${i}`, history);
      }
      return Number(process.hrtime.bigint() - start) / 1000 / n;
    });
  }
  await closeRuns(off, 1000);
  await closeRuns(on, 1000);
  // Interleaved rounds, so both see the same machine load.
  const offTimes = [];
  const onTimes = [];
  for (let round = 0; round < 5; round++) {
    offTimes.push(await closeRuns(off, ITERATIONS / 5));
    onTimes.push(await closeRuns(on, ITERATIONS / 5));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(offTimes);
  const rule = median(onTimes);
  console.log(
    `\nRun-shape rules: a success closing a run, ${RUNS.toLocaleString('en-US')} runs of history per check (median of 5 interleaved rounds)`,
  );
  console.log(`  baseline, duration anomaly off (core only):   ${fmt(base, 2)} µs per success`);
  console.log(
    `  duration anomaly on (history read + core):    ${fmt(rule, 2)} µs per success  (×${fmt(rule / base, 1)}, +${fmt(rule - base, 2)} µs)`,
  );
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRunShape();
