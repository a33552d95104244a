// A throwaway PostgreSQL server of the test's own (initdb in a temporary directory, a free port), for tests that stop
// and restart the database: restarting the shared server would break every other suite running against it.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './server.js';

export interface PrivatePostgres {
  /** postgres://… of the server's `postgres` database (trust authentication on 127.0.0.1). */
  url: string;
  /** Stops the server (fast shutdown: open sessions are terminated, as in a real restart). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server if it runs and deletes its files. Never throws. */
  destroy(): void;
}

/** The directory with initdb and pg_ctl: OVERDUE_TEST_PG_BIN, else the newest /usr/lib/postgresql/N/bin, else null. */
export function postgresBinDir(): string | null {
  const candidates = [process.env.OVERDUE_TEST_PG_BIN];
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((x, y) => Number(y) - Number(x));
    candidates.push(...versions.map((v) => path.join(root, v, 'bin')));
  }
  return (
    candidates.find(
      (dir): dir is string => dir != null && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')),
    ) ?? null
  );
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` system user. */
function runAsUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('initdb and pg_ctl were not found (install postgresql or set OVERDUE_TEST_PG_BIN).');
  const user = runAsUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-pg-'));
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const port = await freePort();
  // Asynchronous, so that a load running in this process goes on while the server stops and starts.
  const run = async (command: string, args: string[]) => {
    try {
      await promisify(execFile)(path.join(bin, command), args, { encoding: 'utf8', cwd: dir, ...(user ?? {}), timeout: 60_000 });
    } catch (error) {
      const e = error as { code?: unknown; stderr?: string; stdout?: string };
      throw new Error(`${command} ${args.join(' ')} failed (${e.code}): ${e.stderr || e.stdout || error}`);
    }
  };
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=50 -c shared_buffers=16MB`;
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
  try {
    await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await start();
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    destroy() {
      spawnSync(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], { cwd: dir, ...(user ?? {}), timeout: 30_000 });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
