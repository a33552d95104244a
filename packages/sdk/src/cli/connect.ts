// The CLI's client: the SDK configured from resolved settings, with failures told on stderr.
import { createClient, type OverdueClient } from '../client.js';
import type { ErrorHook } from '../send-signal.js';
import type { Settings } from './settings.js';

/** A client whose every signal finishes within settings.timeoutS, retries included; `headers` go on every request. */
export function clientFor(settings: Settings, onError: ErrorHook, headers?: Record<string, string>): OverdueClient {
  const deadlineMs = Math.round(settings.timeoutS * 1000);
  return createClient({
    baseUrl: settings.url,
    apiKey: settings.apiKey,
    deadlineMs,
    // Spread the budget over the attempts so a server that never answers still leaves room for a retry.
    timeoutMs: Math.max(500, Math.floor(deadlineMs / (settings.retries + 1))),
    retries: settings.retries,
    backoffMs: 200,
    onError,
    headers,
  });
}
