// Load generators, always in a separate process from the server: wrk for throughput, autocannon for a fixed rate.
import { execFile, fork, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function toMs(text) {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

/** Exits with a sentence saying what to install when wrk is missing, before any server is started. */
export function requireWrk() {
  if (spawnSync('wrk', ['--version']).error?.code !== 'ENOENT') return;
  console.error('wrk is not installed: the ingest benchmarks need it as their load generator (Debian: apt-get install -y wrk).');
  process.exit(1);
}

/** Runs wrk rotating POSTs over `paths`; returns requests/s, p50/p99 latency (ms) and non-2xx count. */
export function wrk(url, paths, { seconds = 10, connections = 64, threads = 1 } = {}) {
  const script = path.join(os.tmpdir(), `overdue-bench-${process.pid}-${Date.now()}.lua`);
  fs.writeFileSync(
    script,
    `
local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("POST", paths[i])
end
`,
  );
  return new Promise((resolve, reject) => {
    execFile(
      'wrk',
      ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--latency', '-s', script, url],
      { maxBuffer: 1 << 20 },
      (error, stdout) => {
        fs.rmSync(script, { force: true });
        if (error) return reject(error);
        const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
        const p50 = toMs(/\s50%\s+(\S+)/.exec(stdout)?.[1] ?? '');
        const p99 = toMs(/\s99%\s+(\S+)/.exec(stdout)?.[1] ?? '');
        const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
        const errors = /Socket errors:.*/.exec(stdout)?.[0] ?? null;
        resolve({ rps, p50, p99, non2xx, errors, raw: stdout });
      },
    );
  });
}

/** Sends `rate` requests/s for `seconds` (autocannon in a child process); returns p50/p99 latency and counts. */
export function fixedRate(url, paths, { rate, seconds = 10, connections = 50 }) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(here, 'fixed-rate-worker.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', resolve);
    child.once('error', reject);
    child.send({ url, paths, rate, seconds, connections });
  });
}
