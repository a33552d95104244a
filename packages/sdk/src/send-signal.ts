// Sending one signal: builds the ping URL and body, never throws, reports failures to onError.
import { answerMessage, OverdueRequestError } from './errors.js';
import { exchange, type TransportSettings } from './transport.js';
import { pingUrl, type PingAction } from './ping-url.js';

/** What a signal carries besides its kind. */
export interface SignalPayload {
  /** A short human sentence (the `msg` the server shows). */
  message?: string | null;
  /** The log kept with the signal (first 100 KB). Defaults to the message. */
  body?: string | null;
  /** A JSON body instead of text (sent with Content-Type: application/json). */
  json?: unknown;
  /** The run this signal belongs to. */
  rid?: string | null;
}

/** How a signal went. `ok` is false when Overdue could not be reached or refused it; the job carries on. */
export interface SignalResult {
  ok: boolean;
  /** HTTP status of the answer, when one came. */
  status?: number;
  /** The run id the signal was sent with. */
  rid?: string;
  error?: OverdueRequestError;
}

/** Which signal failed, for onError. */
export interface SignalContext {
  check: string;
  action: PingAction['kind'];
  rid?: string;
}

export type ErrorHook = (error: OverdueRequestError, context: SignalContext) => void;

export interface SignalSettings extends TransportSettings {
  baseUrl: string;
  headers: Record<string, string>;
  onError: ErrorHook;
}

/** Sends a signal; resolves (never rejects) once the server stored it, refused it, or could not be reached. */
export async function sendSignal(
  settings: SignalSettings,
  check: string,
  action: PingAction,
  payload: SignalPayload = {},
): Promise<SignalResult> {
  const rid = payload.rid ?? undefined;
  const headers: Record<string, string> = { ...settings.headers };
  let body: string | undefined;
  if (payload.json !== undefined) {
    body = JSON.stringify(payload.json);
    headers['content-type'] = 'application/json';
  } else {
    const text = payload.body ?? payload.message ?? undefined;
    if (text) {
      body = text;
      headers['content-type'] = 'text/plain; charset=utf-8';
    }
  }
  const context: SignalContext = { check, action: action.kind, rid };
  let error: OverdueRequestError;
  let status: number | undefined;
  try {
    const url = pingUrl(settings.baseUrl, check, action, { rid, msg: payload.message });
    const answer = await exchange({ method: 'POST', url, headers, body }, settings);
    if (answer.status >= 200 && answer.status < 300) return { ok: true, status: answer.status, rid };
    const { message, code } = answerMessage(answer.text);
    status = answer.status;
    error = new OverdueRequestError(`Overdue refused the ${action.kind} signal for "${check}" (${answer.status}): ${message}`, {
      kind: 'http',
      url: url.replace(/\?.*$/, ''),
      attempts: answer.attempts,
      status: answer.status,
      code,
    });
  } catch (caught) {
    error =
      caught instanceof OverdueRequestError
        ? caught
        : new OverdueRequestError(`could not send the ${action.kind} signal for "${check}": ${(caught as Error)?.message ?? caught}`, {
            kind: 'network',
            url: settings.baseUrl,
            attempts: 0,
            cause: caught,
          });
    status = error.status;
  }
  try {
    settings.onError(error, context);
  } catch {
    // A faulty hook must not break the job either.
  }
  return { ok: false, status, rid, error };
}
