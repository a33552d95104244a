// What went wrong talking to Overdue. Signals hand it to onError and return it; only management calls throw it.

/** timeout: no answer in time; network: no connection (server down, DNS); http: the server said no. */
export type FailureKind = 'timeout' | 'network' | 'http';

export interface RequestErrorDetails {
  kind: FailureKind;
  /** The URL requested, without its query (API keys travel in headers, never in URLs). */
  url: string;
  /** Attempts made before giving up. */
  attempts: number;
  /** HTTP status of the last answer, when there was one. */
  status?: number;
  /** The server's error code (`{error: {code}}`), when it sent one. */
  code?: string;
  cause?: unknown;
}

export class OverdueRequestError extends Error {
  override readonly name = 'OverdueRequestError';
  readonly kind: FailureKind;
  readonly url: string;
  readonly attempts: number;
  readonly status?: number;
  readonly code?: string;

  constructor(message: string, details: RequestErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.url = details.url;
    this.attempts = details.attempts;
    this.status = details.status;
    this.code = details.code;
  }
}

/** The sentence an error answer carries: JSON `{error: {message}}`, `{message}`, or the plain text. */
export function answerMessage(text: string): { message: string; code?: string } {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } | string; message?: string };
    if (parsed && typeof parsed.error === 'object' && parsed.error?.message)
      return { message: parsed.error.message, code: parsed.error.code };
    if (parsed && typeof parsed.message === 'string') return { message: parsed.message };
  } catch {
    // not JSON: the text is the message
  }
  return { message: text.trim().slice(0, 500) };
}
