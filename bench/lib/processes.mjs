// Start and stop the processes a benchmark measures: each server runs apart from the load generator.
import { spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Spawns `node args…` and resolves once stdout contains `ready` (a string or RegExp). */
export function startProcess(args, { env = {}, ready, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`process did not become ready: ${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      if (typeof ready === 'string' ? output.includes(ready) : ready.test(output)) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve({ child, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited with ${code}: ${output}`));
    });
  });
}

export async function stopProcess(child) {
  if (child.exitCode != null) return;
  child.removeAllListeners('exit');
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** Resident set size of a process in MiB (Linux /proc). */
export function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** User + system CPU time a process has used so far, in ms (Linux /proc; clock ticks of 10 ms). */
export function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Starts the built server (`node packages/server/dist/main.js serve`) on a free port with a fresh data directory,
 * `key` as its admin key, warnings-only logs and no rate limits a benchmark would run into; `env` adds or overrides.
 */
export async function startOverdue({ key, env = {} }) {
  const root = new URL('../../', import.meta.url).pathname;
  const port = await freePort();
  const dataDir = fs.mkdtempSync(`${os.tmpdir()}/overdue-bench-`);
  const { child } = await startProcess([`${root}packages/server/dist/main.js`, 'serve'], {
    env: {
      OVERDUE_PORT: String(port),
      OVERDUE_DATA_DIR: dataDir,
      OVERDUE_BOOTSTRAP_KEY: key,
      OVERDUE_LOG_LEVEL: 'warn',
      OVERDUE_PING_RATE_LIMIT: '1000000',
      OVERDUE_CLIENT_RATE_LIMIT: '0',
      ...env,
    },
    ready: 'Overdue listening',
  });
  return { child, url: `http://127.0.0.1:${port}`, dataDir };
}
