// Runs the built `overdue` executable as a real child process (servers that misbehave on purpose: the server's
// test/support/http.ts startReceiver with 'hold' or scripted statuses).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../server/test/support/server.js';
import { cleanEnv as withoutOverdueSettings } from '../../../server/test/support/cli.js';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  input?: string;
  /** Another copy of the executable to run. */
  cli?: string;
}

/** The server tests' clean environment (no OVERDUE_* settings), with an empty home: no config files either. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-home-'));
  return withoutOverdueSettings({ HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), ...extra }) as Record<string, string>;
}

/** Starts `overdue <args>`; the caller waits with `finished`. */
export function startCli(
  args: string[],
  options: CliOptions = {},
): { child: ChildProcess; finished: Promise<CliResult>; output: () => string } {
  const child = spawn(process.execPath, [options.cli ?? CLI, ...args], {
    env: options.env ?? cleanEnv(),
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  else child.stdin!.end();
  const finished = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, finished, output: () => stdout };
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).finished;
}

/** Resolves once the child's stdout contains the text. */
export function waitForOutput(output: () => string, child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (output().includes(text)) {
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.on('close', () => reject(new Error(`process ended before printing "${text}"; it printed: ${output()}`)));
    check();
  });
}

/** A loopback port nothing listens on: the server is down. */
export const closedPort = freePort;
