// What the failure-rate and quorum rules add to one signal's work in the core and the row it writes: applySignal plus
// the state columns, for a plain check (the same-run baseline) and for checks with each rule on. Pure CPU, one process.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const core = await import(path.join(root, 'packages/server/dist/core/index.js'));
const { stateColumns } = await import(path.join(root, 'packages/server/dist/store/check-rows.js'));
const N = Number(process.env.BENCH_SIGNALS ?? 300_000);

const base = {
  schedule: { kind: 'interval', period_s: 60 },
  grace_s: 30,
  grace_multiplier: null,
  max_runtime_s: null,
  failure_threshold: 5,
  recovery_threshold: 1,
  manual_resume: false,
  alert_before_first_ping: false,
};
const cases = {
  'plain (baseline)': base,
  'failure rate 3 of 10': { ...base, failure_rate_count: 3, failure_rate_window: 10 },
  'quorum of 3 hosts': { ...base, quorum_hosts: 3 },
};

function run(timing) {
  let state = core.initialState(timing, 0);
  const hosts = ['web1', 'web2', 'web3'];
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i += 1) {
    const at = 1_000 + i * 20_000;
    const sig = {
      kind: i % 7 === 3 ? 'fail' : 'success',
      at,
      exit_code: null,
      progress: null,
      message: null,
      degraded: false,
      rid: null,
      host: hosts[i % 3],
    };
    state = core.applySignal(timing, state, sig, null, `r${i}`).state;
    stateColumns(timing, state, at);
  }
  return Number(process.hrtime.bigint() - started) / N;
}

// Interleaved rounds, the best of each: on a shared machine the minimum is the least disturbed measurement.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const best = new Map(Object.keys(cases).map((name) => [name, Infinity]));
for (let round = 0; round <= ROUNDS; round += 1) {
  for (const [name, timing] of Object.entries(cases)) {
    const ns = run(timing);
    if (round > 0) best.set(name, Math.min(best.get(name), ns)); // round 0 warms up
  }
}
const results = [...best];
const baseline = results[0][1];
for (const [name, ns] of results) console.log(`${name.padEnd(22)} ${(ns / 1000).toFixed(2)} µs/signal  ×${(ns / baseline).toFixed(2)}`);
