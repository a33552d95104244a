// The built server (`overdue serve` from dist/main.js) as a real process on a port the kernel picks, for tests
// that kill it, restart it, read what it prints, or run several of them on one database.
import { spawn, type ChildProcess } from 'node:child_process';
import { apiRequest } from './http.js';
import { cleanEnv, MAIN, requireBuiltCli } from './cli.js';

/** The bootstrap admin key of every process started here (unless the test's env names another). */
export const PROCESS_KEY = 'process-test-admin-key-0123456789';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Sends the signal (default SIGKILL: no shutdown, nothing flushed — a crash) and resolves once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** The graceful stop: SIGTERM (SIGKILL after 10 s); resolves once the process has exited. */
  stop(): Promise<void>;
}

/** Starts `overdue serve` with its data in `dataDir` and `env` over the defaults; resolves once it listens. */
export function startProcess(dataDir: string, env: Record<string, string> = {}, timeoutMs = 20_000): Promise<ServerProcess> {
  requireBuiltCli();
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    env: cleanEnv({
      OVERDUE_PORT: '0',
      OVERDUE_HOST: '127.0.0.1',
      OVERDUE_DATA_DIR: dataDir,
      OVERDUE_BOOTSTRAP_KEY: PROCESS_KEY,
      OVERDUE_LOG_LEVEL: 'warn',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode == null && child.signalCode == null;
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (running()) child.kill(signal);
    await exited;
  };
  const stop = async () => {
    if (!running()) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void kill();
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${text}`));
    }, timeoutMs);
    const onData = () => {
      const match = /Overdue listening on (http:\/\/\S+)/.exec(text);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({ child, url: match[1], output: () => text, kill, stop });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${text}`));
    });
  });
}

/** JSON over fetch against a process, with its admin key unless `key` says otherwise (null: no key). */
export function api(
  url: string,
  method: string,
  route: string,
  body?: unknown,
  key: string | null = PROCESS_KEY,
): Promise<{ status: number; body: any; headers: Headers }> {
  return apiRequest(url, method, route, body, key);
}

/** Polls `probe` until it returns something other than undefined. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
