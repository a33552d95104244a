// Overdue as separate processes (the built dist/main.js), for tests of several instances sharing one database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startProcess, type ServerProcess } from './process.js';

/** A process with a data directory of its own, removed by stop(). */
export type Instance = ServerProcess;

/** Starts `overdue serve` on a free loopback port with `env` (and a fresh data directory) and waits until it listens. */
export async function startInstance(env: Record<string, string>, timeoutMs = 30_000): Promise<Instance> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-instance-'));
  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  let started: ServerProcess;
  try {
    started = await startProcess(dataDir, env, timeoutMs);
  } catch (error) {
    removeDataDir();
    throw error;
  }
  return {
    ...started,
    async stop() {
      await started.stop();
      removeDataDir();
    },
  };
}
