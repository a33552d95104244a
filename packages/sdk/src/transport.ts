// One HTTP exchange with bounded patience: a timeout per attempt, a few retries with backoff, a total deadline.
import { OverdueRequestError } from './errors.js';

export interface TransportSettings {
  /** Longest wait for one attempt (connect, answer and body), ms. */
  timeoutMs: number;
  /** Further attempts after the first when the server is unreachable, slow, or answers 408/429/5xx. */
  retries: number;
  /** Wait before the first retry, ms; doubles each time (with jitter), capped at 5 s or Retry-After. */
  backoffMs: number;
  /** Longest time one call may take including every retry, ms. */
  deadlineMs: number;
  fetch: typeof fetch;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  status: number;
  text: string;
  headers: Headers;
  attempts: number;
}

const MAX_BACKOFF_MS = 5000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Seconds or an HTTP date in Retry-After, as ms; null when absent or unreadable. */
function retryAfterMs(headers: Headers): number | null {
  const raw = headers.get('retry-after');
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** One attempt; the timer covers reading the body too, so a server that stalls mid-answer cannot hold us. */
async function attempt(
  request: HttpRequest,
  settings: TransportSettings,
  timeoutMs: number,
): Promise<{ status: number; text: string; headers: Headers }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await settings.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    const text = await response.text();
    return { status: response.status, text, headers: response.headers };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends a request, retrying what may succeed on a later try (no connection, timeout, 408, 429, 5xx).
 * Resolves with the first answer that is not worth retrying (the caller judges its status); rejects with an
 * OverdueRequestError when retries or the deadline ran out.
 */
export async function exchange(request: HttpRequest, settings: TransportSettings): Promise<HttpAnswer> {
  const began = Date.now();
  const safeUrl = request.url.replace(/\?.*$/, '');
  let backoff = settings.backoffMs;
  for (let attempts = 1; ; attempts += 1) {
    const remaining = settings.deadlineMs - (Date.now() - began);
    const timeoutMs = Math.max(1, Math.min(settings.timeoutMs, remaining));
    let failure: OverdueRequestError;
    let waitMs = backoff * (0.5 + Math.random());
    try {
      const answer = await attempt(request, settings, timeoutMs);
      if (!retryable(answer.status)) return { ...answer, attempts };
      failure = new OverdueRequestError(`Overdue answered ${answer.status} for ${safeUrl}`, {
        kind: 'http',
        url: safeUrl,
        attempts,
        status: answer.status,
      });
      const hinted = retryAfterMs(answer.headers);
      if (hinted != null) waitMs = hinted;
    } catch (error) {
      const timedOut = (error as Error)?.name === 'AbortError' || (error as Error)?.name === 'TimeoutError';
      failure = timedOut
        ? new OverdueRequestError(`no answer from ${safeUrl} within ${timeoutMs} ms`, {
            kind: 'timeout',
            url: safeUrl,
            attempts,
            cause: error,
          })
        : new OverdueRequestError(`could not reach ${safeUrl}: ${describe(error)}`, {
            kind: 'network',
            url: safeUrl,
            attempts,
            cause: error,
          });
    }
    waitMs = Math.min(waitMs, MAX_BACKOFF_MS);
    // Out of retries, or a retry that could not even start before the deadline: give up.
    if (attempts > settings.retries || Date.now() - began + waitMs + 1 >= settings.deadlineMs) throw failure;
    await sleep(waitMs);
    backoff *= 2;
  }
}
