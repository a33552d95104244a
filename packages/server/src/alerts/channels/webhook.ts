// Generic webhook: JSON (or a body template with {{variables}}), custom headers, and an HMAC-SHA256 signature
// of the exact body bytes with a per-channel secret, so the receiver can tell the request came from us.
import { createHmac, randomBytes } from 'node:crypto';
import { badRequest } from '../../errors.js';
import { isDigest, titleOf, type Message } from '../render.js';
import { deliverHttp, type ChannelKind } from './channel.js';
import { oneOf, optionalText, stringMap, url } from './fields.js';

export const SIGNATURE_HEADER = 'x-overdue-signature';

/** The variables a body template may use; digests fill check/flip/incident from their first notification. */
export const TEMPLATE_VARIABLES = [
  'event',
  'summary',
  'action',
  'count',
  'idempotency_key',
  'json',
  'check.id',
  'check.key',
  'check.name',
  'check.slug',
  'check.project',
  'check.service',
  'check.host',
  'check.status',
  'check.expected',
  'check.last_signal_at',
  'check.expected_at',
  'check.url',
  'check.ping_url',
  'flip.at',
  'flip.from',
  'flip.to',
  'flip.reason',
  'incident.id',
  'incident.severity',
  'incident.opened_at',
  'incident.resolved_at',
  'incident.duration_ms',
] as const;

const VARIABLE = /\{\{\s*([a-z_.]+)\s*\}\}/g;

/** The JSON body without a template: the notification itself, or {event: "digest", notifications: [...]}. */
export function webhookPayload(message: Message): Record<string, unknown> {
  if (!isDigest(message)) return { ...message.notifications[0], idempotency_key: message.idempotencyKey };
  return {
    event: 'digest',
    summary: titleOf(message),
    count: message.notifications.length,
    notifications: message.notifications,
    idempotency_key: message.idempotencyKey,
  };
}

/**
 * Headers a channel may not set: they frame the request or the connection (hop-by-hop), so a custom value could
 * smuggle a second request through a proxy or send the body to another virtual host than the URL names.
 */
export const FORBIDDEN_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'expect',
  'http2-settings',
]);

function customHeaders(config: Record<string, unknown>): Record<string, string> {
  const headers = stringMap('webhook', config, 'headers');
  const forbidden = Object.keys(headers).filter((name) => FORBIDDEN_HEADERS.has(name.toLowerCase()));
  if (forbidden.length) {
    throw badRequest(
      'invalid_channel',
      `webhook channel: config.headers may not set ${forbidden.join(', ')}: they frame the request or the connection, which Overdue sets itself.`,
    );
  }
  return headers;
}

function variableValue(name: string, message: Message, payload: Record<string, unknown>): unknown {
  const first = message.notifications[0] as unknown as Record<string, Record<string, unknown>>;
  switch (name) {
    case 'event':
      return isDigest(message) ? 'digest' : first.event;
    case 'summary':
      return isDigest(message) ? titleOf(message) : first.summary;
    case 'action':
      return first.action;
    case 'count':
      return message.notifications.length;
    case 'idempotency_key':
      return message.idempotencyKey;
    case 'json':
      return payload;
    default: {
      const [group, field] = name.split('.');
      return first[group]?.[field] ?? null;
    }
  }
}

/** Fills a template. In a JSON body, strings are inserted JSON-escaped (write "{{check.name}}" in quotes). */
export function renderTemplate(template: string, message: Message, json: boolean): string {
  const payload = webhookPayload(message);
  return template.replace(VARIABLE, (_all, name: string) => {
    const value = variableValue(name, message, payload);
    if (name === 'json') return JSON.stringify(value);
    if (value == null) return '';
    const textValue = typeof value === 'string' ? value : String(value);
    return json ? JSON.stringify(textValue).slice(1, -1) : textValue;
  });
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export const webhook: ChannelKind = {
  kind: 'webhook',
  secrets: ['url', 'secret'],
  secretMaps: ['headers'],
  destination: ['url'],
  readerSecrets: ['body_template'],
  digest: true,
  parseConfig(config) {
    const template = optionalText('webhook', config, 'body_template', 20_000);
    if (template) {
      const unknown = [...template.matchAll(VARIABLE)]
        .map((m) => m[1])
        .filter((v) => !(TEMPLATE_VARIABLES as readonly string[]).includes(v));
      if (unknown.length)
        throw badRequest(
          'invalid_channel',
          `webhook channel: unknown template variable ${unknown.map((v) => `{{${v}}}`).join(', ')}; available: ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}.`,
        );
    }
    const secret = optionalText('webhook', config, 'secret', 200) ?? randomBytes(24).toString('base64url');
    if (secret.length < 16)
      throw badRequest(
        'invalid_channel',
        'webhook channel: config.secret must be at least 16 characters (leave it out to get a generated one).',
      );
    return {
      url: url('webhook', config, 'url'),
      method: oneOf('webhook', config, 'method', ['POST', 'PUT', 'PATCH'] as const, 'POST'),
      headers: customHeaders(config),
      body_template: template,
      content_type: optionalText('webhook', config, 'content_type', 200) ?? 'application/json',
      secret,
    };
  },
  async send(message, config, ctx) {
    const contentType = String(config.content_type ?? 'application/json');
    const body = config.body_template
      ? renderTemplate(String(config.body_template), message, /json/i.test(contentType))
      : JSON.stringify(webhookPayload(message));
    return deliverHttp(ctx, String(config.url), {
      method: String(config.method ?? 'POST'),
      headers: {
        'user-agent': 'Overdue-Webhook/0.1',
        // Saved before the deny-list existed, a framing header is left out rather than sent.
        ...Object.fromEntries(
          Object.entries((config.headers ?? {}) as Record<string, string>).filter(([name]) => !FORBIDDEN_HEADERS.has(name.toLowerCase())),
        ),
        'content-type': contentType,
        'idempotency-key': message.idempotencyKey,
        [SIGNATURE_HEADER]: signBody(String(config.secret), body),
      },
      body,
    });
  },
};
