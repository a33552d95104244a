// One execution of a job: its signals share a run id and leave in the order they were made.
import { newRunId, normaliseExitCode, normalisePercent, PROGRESS_MESSAGE_MAX, type PingAction } from './ping-url.js';
import type { SignalPayload, SignalResult } from './send-signal.js';

/** A message, or the full set of options a signal takes. */
export type SignalOptions = string | { message?: string; body?: string };

export type Send = (check: string, action: PingAction, payload: SignalPayload) => Promise<SignalResult>;

function options(given: SignalOptions | undefined): { message?: string; body?: string } {
  return typeof given === 'string' ? { message: given } : (given ?? {});
}

/** The message and log of a failure: an Error's message and stack, or the text given. */
export function describeFailure(error: unknown): { message: string; body: string } {
  if (error instanceof Error) return { message: error.message || error.name, body: error.stack ?? `${error.name}: ${error.message}` };
  const text = typeof error === 'string' ? error : error === undefined ? 'failed' : safeJson(error);
  return { message: text, body: text };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export class Run {
  /** The run id every signal of this run carries (`?rid=`); null for signals outside a run. */
  readonly rid: string | null;
  private queue: Promise<unknown> = Promise.resolve();

  /** `rid` undefined: a fresh run id; null: signals without one (the server matches the latest open run). */
  constructor(
    private readonly send: Send,
    readonly check: string,
    rid?: string | null,
  ) {
    this.rid = rid === undefined ? newRunId() : rid;
  }

  /** Queues a signal behind this run's earlier ones, so the server sees them in order. */
  private signal(action: PingAction, payload: SignalPayload): Promise<SignalResult> {
    const next = this.queue.then(() => this.send(this.check, action, { ...payload, rid: this.rid }));
    this.queue = next;
    return next;
  }

  /** The run began. */
  start(given?: SignalOptions): Promise<SignalResult> {
    return this.signal({ kind: 'start' }, options(given));
  }

  /** A log line (no status change). */
  log(text: string): Promise<SignalResult> {
    const firstLine = text.split('\n', 1)[0];
    return this.signal({ kind: 'log' }, { message: firstLine, body: text });
  }

  /** How far along the run is (0–100, or null for a message only). */
  progress(percent?: number | null, message?: string): Promise<SignalResult> {
    const clipped = message && message.length > PROGRESS_MESSAGE_MAX ? message.slice(0, PROGRESS_MESSAGE_MAX) : message;
    return this.signal({ kind: 'progress', percent: normalisePercent(percent) }, { message: clipped, body: message });
  }

  /** The run ended well. */
  success(given?: SignalOptions): Promise<SignalResult> {
    return this.signal({ kind: 'success' }, options(given));
  }

  /** The run failed: an Error (its message and stack are sent) or a message. */
  fail(error?: unknown, given?: { body?: string }): Promise<SignalResult> {
    const failure = describeFailure(error);
    return this.signal({ kind: 'fail' }, { message: failure.message, body: given?.body ?? failure.body });
  }

  /** The run ended with this exit status: 0 is success, anything else a failure. */
  exitCode(code: number, given?: SignalOptions): Promise<SignalResult> {
    return this.signal({ kind: 'exit', code: normaliseExitCode(code) }, options(given));
  }

  /** Sends a JSON document as the signal's body (used for durations and heartbeat metadata). */
  successWith(json: Record<string, unknown>, message?: string): Promise<SignalResult> {
    return this.signal({ kind: 'success' }, { message, json });
  }
}
