// createClient: the job-side API. Every signal method resolves with a SignalResult and never throws.
import { answerMessage, OverdueRequestError } from './errors.js';
import { exchange, type TransportSettings } from './transport.js';
import { sendSignal, type ErrorHook, type SignalResult, type SignalSettings } from './send-signal.js';
import { Run, type SignalOptions } from './run.js';
import { heartbeatLoop, type HeartbeatCron, type HeartbeatCronOptions, type HeartbeatOptions } from './heartbeat.js';
import type { PingAction } from './ping-url.js';

export const SDK_VERSION = '0.1.0';

export interface ClientOptions {
  /** Where Overdue runs, e.g. https://overdue.example.com. */
  baseUrl: string;
  /** API key for management calls (client.api). Pings need none. */
  apiKey?: string;
  /** Longest wait for one attempt, ms (default 5000). */
  timeoutMs?: number;
  /** Retries after a failed attempt (default 2): no connection, timeout, 408, 429 or 5xx. */
  retries?: number;
  /** First retry delay, ms (default 250), doubling with jitter. */
  backoffMs?: number;
  /** Longest time one signal may take including retries, ms (default 15000). */
  deadlineMs?: number;
  /** Called once per signal that could not be delivered (default: a one-line console.warn). */
  onError?: ErrorHook;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

export interface MonitorOptions {
  /** Message of the start signal. */
  message?: string;
}

const warn: ErrorHook = (error) => {
  console.warn(`overdue: ${error.message}`);
};

/** A duration as the SDK and `overdue exec` write it in messages: "1.25 s", "42 s". */
export function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms / 1000)} s`;
}

export class OverdueClient {
  private readonly settings: SignalSettings;
  private readonly apiKey?: string;
  /** The open run per check started through client.start(), so later signals carry its run id. */
  private readonly current = new Map<string, Run>();

  constructor(options: ClientOptions) {
    if (!options || typeof options.baseUrl !== 'string' || !/^https?:\/\//i.test(options.baseUrl)) {
      throw new TypeError(
        `createClient: baseUrl must be an http(s) URL such as http://127.0.0.1:8000; got ${JSON.stringify(options?.baseUrl)}.`,
      );
    }
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function')
      throw new TypeError('createClient: no fetch available; pass options.fetch (Node 18+ has one built in).');
    const transport: TransportSettings = {
      timeoutMs: options.timeoutMs ?? 5000,
      retries: Math.max(0, Math.floor(options.retries ?? 2)),
      backoffMs: options.backoffMs ?? 250,
      deadlineMs: options.deadlineMs ?? 15_000,
      fetch: fetchImpl.bind(globalThis),
    };
    const headers: Record<string, string> = { ...options.headers };
    if (typeof process !== 'undefined' && process.versions?.node)
      headers['user-agent'] ??= `overdue-sdk/${SDK_VERSION} node/${process.versions.node}`;
    this.settings = { ...transport, baseUrl: options.baseUrl.replace(/\/+$/, ''), headers, onError: options.onError ?? warn };
    this.apiKey = options.apiKey;
  }

  private readonly send = (check: string, action: PingAction, payload: Parameters<typeof sendSignal>[3]) =>
    sendSignal(this.settings, check, action, payload);

  /**
   * A new run of a check with its own run id (or the one given; null: signals without a run id), for jobs
   * that overlap or report from several places.
   */
  run(check: string, rid?: string | null): Run {
    return new Run(this.send, check, rid);
  }

  /** The run client.start() opened for this check, else signals without a run id. */
  private open(check: string): Run {
    return this.current.get(check) ?? new Run(this.send, check, null);
  }

  /** The open run, forgotten because the signal about to be sent ends it. */
  private take(check: string): Run {
    const run = this.open(check);
    this.current.delete(check);
    return run;
  }

  /** A plain "it worked" ping, outside any run. */
  ping(check: string, options?: SignalOptions): Promise<SignalResult> {
    return new Run(this.send, check, null).success(options);
  }

  /** Starts a run; its run id is kept and sent with this check's later signals until it ends. */
  start(check: string, options?: SignalOptions): Promise<SignalResult> {
    const run = this.run(check);
    this.current.set(check, run);
    return run.start(options);
  }

  /** A log line for the open run (no status change). */
  log(check: string, text: string): Promise<SignalResult> {
    return this.open(check).log(text);
  }

  /** Progress of the open run: a percentage (0–100) and/or a message. */
  progress(check: string, percent?: number | null, message?: string): Promise<SignalResult> {
    return this.open(check).progress(percent, message);
  }

  /** Ends the open run well (or pings success when none is open). */
  success(check: string, options?: SignalOptions): Promise<SignalResult> {
    return this.take(check).success(options);
  }

  /** Ends the open run as failed, with an Error's message and stack or a message. */
  fail(check: string, error?: unknown): Promise<SignalResult> {
    return this.take(check).fail(error);
  }

  /** Ends the open run with an exit status: 0 is success, anything else a failure. */
  exitCode(check: string, code: number, options?: SignalOptions): Promise<SignalResult> {
    return this.take(check).exitCode(code, options);
  }

  /**
   * Runs `fn` as one monitored run: start, then success with the duration, or fail with the error's message
   * (and the error rethrown). `fn` gets the run, to report progress or log lines on it. The start signal goes
   * out while `fn` already works, so an unreachable Overdue never delays the job's start.
   */
  async monitor<T>(check: string, fn: (run: Run) => T | Promise<T>, options: MonitorOptions = {}): Promise<T> {
    const run = this.run(check);
    const began = Date.now();
    void run.start(options.message);
    let value: T;
    try {
      value = await fn(run);
    } catch (error) {
      await run.fail(error);
      throw error;
    }
    const durationMs = Date.now() - began;
    const message = `succeeded in ${formatSeconds(durationMs)}`;
    await run.successWith({ message, duration_ms: durationMs }, message);
    return value;
  }

  /** One heartbeat: a success signal with metadata as a JSON body. */
  sendHeartbeat(options: HeartbeatOptions): Promise<SignalResult> {
    const json: Record<string, unknown> = {};
    if (options.message) json.message = options.message;
    if (options.metadata) json.metadata = options.metadata;
    return this.send(options.check, { kind: 'success' }, { message: options.message, json: Object.keys(json).length ? json : undefined });
  }

  /** Heartbeats every `everyMs` until stop() is called. */
  startHeartbeatCron(options: HeartbeatCronOptions): HeartbeatCron {
    return heartbeatLoop((beat) => this.sendHeartbeat(beat), options);
  }

  /**
   * A management API call (`/api/v1/…`) with the client's API key. Unlike signals this throws an
   * OverdueRequestError when the call does not succeed, since its caller needs the answer.
   */
  async api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { ...this.settings.headers, accept: 'application/json' };
    if (this.apiKey) headers['x-api-key'] = this.apiKey;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const url = `${this.settings.baseUrl}/api/v1${path.startsWith('/') ? path : `/${path}`}`;
    // Retrying a POST could create twice: only reads and idempotent changes are retried.
    const retries = ['GET', 'PUT', 'DELETE', 'HEAD'].includes(method.toUpperCase()) ? this.settings.retries : 0;
    const answer = await exchange(
      { method, url, headers, body: body === undefined ? undefined : JSON.stringify(body) },
      { ...this.settings, retries },
    );
    if (answer.status >= 200 && answer.status < 300) return (answer.text ? JSON.parse(answer.text) : undefined) as T;
    const { message, code } = answerMessage(answer.text);
    throw new OverdueRequestError(`${method} ${path}: ${answer.status} ${message}`, {
      kind: 'http',
      url: url.replace(/\?.*$/, ''),
      attempts: answer.attempts,
      status: answer.status,
      code,
    });
  }
}

/** A client for one Overdue server. */
export function createClient(options: ClientOptions): OverdueClient {
  return new OverdueClient(options);
}
