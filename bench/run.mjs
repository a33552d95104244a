// npm run bench: every benchmark, each printing its figure beside a baseline measured in the same run.
import { benchIngest } from './ingest.mjs';
import { benchScheduler } from './scheduler.mjs';
import { benchBurst } from './burst.mjs';
import { benchMillion } from './million.mjs';
import { requireWrk } from './lib/load.mjs';
import { benchRunShape } from './run-shape.mjs';
import { benchReadStalls } from './read-stalls.mjs';

const only = process.argv[2];
console.log(`Overdue benchmarks — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
if (!only || only === 'ingest') {
  requireWrk();
  await benchIngest();
}
if (!only || only === 'scheduler') await benchScheduler();
if (!only || only === 'run-shape') await benchRunShape();
if (!only || only === 'read-stalls') await benchReadStalls();
// Smaller than the sizes by default (BENCH_BURST_CHECKS=100000, BENCH_MILLION_CHECKS=1000000 for those).
if (!only || only === 'burst') await benchBurst(['sqlite']);
if (!only || only === 'million') await benchMillion();
if (!only || only === 'alerts') {
  // A script of its own (it sets process.exitCode): run it as a child and pass its output through.
  const { spawnSync } = await import('node:child_process');
  console.log('');
  spawnSync(process.execPath, [new URL('./alert-latency.mjs', import.meta.url).pathname], { stdio: 'inherit' });
}
