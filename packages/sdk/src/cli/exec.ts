// `overdue exec <check> -- command…`: run a command as one monitored run, exactly as if it ran on its own.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { isatty } from 'node:tty';
import type { Readable, Writable } from 'node:stream';
import { formatSeconds, type OverdueClient } from '../client.js';
import { OutputTail } from './output-tail.js';

/** Signals overdue catches (so it outlives the command and reports its end) and may pass on to it. */
const CAUGHT = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * Whether overdue passes a signal it caught on to the command. At a terminal, Ctrl-C (SIGINT) and a hang-up
 * (SIGHUP) go to the whole foreground process group, the command included: passing them on would deliver them
 * twice, and many programs take a second Ctrl-C as "stop cleaning up, quit now". SIGTERM is sent to one process.
 */
export function passesOn(signal: NodeJS.Signals, atTerminal: boolean): boolean {
  return signal === 'SIGTERM' || !atTerminal;
}

/** Whether overdue runs attached to a terminal (then the terminal's signals reach the command directly). */
function attachedToTerminal(): boolean {
  return [0, 1, 2].some((fd) => isatty(fd));
}

/** How long to wait for the command's output to end after it exited. */
const STRAGGLER_WAIT_MS = 2000;

/** How the command ended. */
export interface Outcome {
  /** The exit status overdue itself ends with (128 + signal number when the command was killed). */
  code: number;
  /** The signal that killed the command, if one did. */
  signal: NodeJS.Signals | null;
  message: string;
}

/** Copies a command's output stream to ours, keeping its tail. */
function passThrough(from: Readable, to: Writable, tail: OutputTail): void {
  from.on('data', (chunk: Buffer) => tail.push(chunk));
  from.pipe(to, { end: false });
  // Our reader went away (`overdue exec … | head`): close the command's pipe too, so it finds out the way it
  // would have without us (EPIPE / SIGPIPE) instead of overdue crashing.
  to.on('error', () => from.destroy());
}

/** Shell conventions for a command that could not start: 127 not found, 126 not executable. */
function spawnFailure(command: string, error: NodeJS.ErrnoException): Outcome {
  if (error.code === 'ENOENT') return { code: 127, signal: null, message: `command not found: ${command}` };
  if (error.code === 'EACCES') return { code: 126, signal: null, message: `permission denied: ${command}` };
  return { code: 126, signal: null, message: `cannot run ${command}: ${error.message}` };
}

/**
 * Runs the command with stdin inherited and stdout/stderr passed through (and their last 10 KB kept), while
 * the start signal travels in parallel; then reports the end with the exit status and that output.
 * Resolves with the outcome once the end signal was delivered or given up on.
 */
export async function runMonitored(
  client: OverdueClient | null,
  check: string,
  argv: string[],
  warn: (line: string) => void,
): Promise<Outcome> {
  // Without a client (unusable settings) the command still runs, just unreported.
  const run = client?.run(check);
  const began = Date.now();
  // Only the program's name: arguments may hold secrets that have no business on the monitoring server.
  void run?.start({ message: `started ${argv[0].slice(argv[0].lastIndexOf('/') + 1)}`.slice(0, 200) });
  const tail = new OutputTail();

  const outcome = await new Promise<Outcome>((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['inherit', 'pipe', 'pipe'] });
    const atTerminal = attachedToTerminal();
    const forward = (signal: NodeJS.Signals) => () => {
      // The command may ignore or handle the signal; we wait for it to end either way.
      if (passesOn(signal, atTerminal) && child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const handlers = CAUGHT.map((signal) => [signal, forward(signal)] as const);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    let settled = false;
    const done = (result: Outcome) => {
      if (settled) return;
      settled = true;
      for (const [signal, handler] of handlers) process.off(signal, handler);
      resolve(result);
    };

    passThrough(child.stdout, process.stdout, tail);
    passThrough(child.stderr, process.stderr, tail);

    child.on('error', (error: NodeJS.ErrnoException) => {
      const failed = spawnFailure(argv[0], error);
      warn(failed.message);
      tail.push(`overdue: ${failed.message}\n`);
      done(failed);
    });
    let ended: Outcome | null = null;
    child.on('exit', (code, signal) => {
      const took = formatSeconds(Date.now() - began);
      ended = signal
        ? { code: 128 + (constants.signals[signal] ?? 15), signal, message: `killed by ${signal} after ${took}` }
        : { code: code ?? 1, signal: null, message: `exit status ${code} after ${took}` };
      // Normally its output ends with it; a background process it left behind may hold the pipes open.
      setTimeout(() => done(ended!), STRAGGLER_WAIT_MS).unref();
    });
    child.on('close', () => {
      if (ended) done(ended);
    });
  });

  await run?.exitCode(outcome.code, { message: outcome.message, body: tail.text() || outcome.message });
  return outcome;
}
