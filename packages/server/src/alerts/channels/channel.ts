// What a channel kind is: a config validator, the secrets to mask, a formatter and a transport. Adding a kind is one file.
import type { Message } from '../render.js';
import { OutboundRefused, type OutboundOptions, type OutboundResponse } from '../outbound.js';
import { url } from './fields.js';

export interface DeliveryResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** False when trying again cannot help (a 4xx, a refused address, a bad config). */
  retryable: boolean;
}

export type HttpInit = { method?: string; headers?: Record<string, string>; body?: string };

export interface SendContext {
  /** Guarded HTTP: refuses private targets (unless allowed) after DNS resolution, with a timeout. */
  http: (url: string, init: HttpInit) => Promise<OutboundResponse>;
  outbound: OutboundOptions;
}

export interface ChannelKind {
  kind: string;
  /** Config fields holding secrets: masked in API reads, scrubbed from recorded errors, kept when a client echoes the mask. */
  secrets: string[];
  /** Config fields holding a map whose every value is a secret (a webhook's headers): each value is treated like `secrets`. */
  secretMaps?: string[];
  /**
   * Fields editors must see to edit them, but that work like a credential for anyone else (a webhook body template
   * people put tokens in): masked for viewers and read keys only.
   */
  readerSecrets?: string[];
  /**
   * Config fields that decide where a message (and so every secret) goes: URL, host, port, TLS settings. When one
   * changes, stored secrets are not carried over; the change must supply them anew (mergeConfig refuses otherwise).
   */
  destination: string[];
  /** Whether several notifications can go out as one digest message (false for incident-keyed APIs like PagerDuty). */
  digest: boolean;
  /** Validates a config from the API and returns it normalised; throws a 400 OverdueError when wrong. */
  parseConfig(config: Record<string, unknown>): Record<string, unknown>;
  send(message: Message, config: Record<string, unknown>, ctx: SendContext): Promise<DeliveryResult>;
}

/** Turns an HTTP answer into a result: 2xx delivered, 408/429/5xx worth retrying, other 4xx final. */
export function resultOfStatus(status: number, body: string): DeliveryResult {
  if (status >= 200 && status < 300) return { ok: true, statusCode: status, error: null, retryable: false };
  const retryable = status === 408 || status === 429 || status >= 500;
  return { ok: false, statusCode: status, error: `receiver answered ${status}${body ? `: ${body.slice(0, 200)}` : ''}`, retryable };
}

/** A failure before any answer: a refused target is final, anything else (timeout, reset, DNS) is worth a retry. */
export function resultOfError(error: unknown): DeliveryResult {
  return { ok: false, statusCode: null, error: (error as Error).message, retryable: !(error instanceof OutboundRefused) };
}

/** Sends one HTTP request and classifies the outcome. */
export async function deliverHttp(ctx: SendContext, url: string, init: HttpInit): Promise<DeliveryResult> {
  try {
    const response = await ctx.http(url, init);
    return resultOfStatus(response.status, response.body);
  } catch (error) {
    return resultOfError(error);
  }
}

/** Sends requests one after another, stopping at the first failure (a message split in parts, a trigger then a resolve). */
export async function deliverAll(ctx: SendContext, requests: Array<[string, HttpInit]>): Promise<DeliveryResult> {
  let last: DeliveryResult = { ok: true, statusCode: null, error: null, retryable: false };
  for (const [url, init] of requests) {
    last = await deliverHttp(ctx, url, init);
    if (!last.ok) return last;
  }
  return last;
}

export const JSON_HEADERS = { 'content-type': 'application/json', 'user-agent': 'Overdue/0.1' };

/** A chat service's incoming webhook (Slack, Discord, Teams): the URL is the secret, the body is JSON. */
export function incomingWebhook(kind: string, body: (message: Message) => unknown): ChannelKind {
  return {
    kind,
    secrets: ['webhook_url'],
    destination: ['webhook_url'],
    digest: true,
    parseConfig: (config) => ({ webhook_url: url(kind, config, 'webhook_url') }),
    send: (message, config, ctx) =>
      deliverHttp(ctx, String(config.webhook_url), { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body(message)) }),
  };
}
