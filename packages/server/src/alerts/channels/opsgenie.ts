// Opsgenie Alert API: create an alert aliased by the incident id when a check goes down, close it on recovery.
import type { Notification } from '../notification.js';
import { factsOf, truncate, type Message } from '../render.js';
import { deliverAll, JSON_HEADERS, type ChannelKind, type HttpInit } from './channel.js';
import { baseUrl, oneOf, text } from './fields.js';

export const OPSGENIE_API = 'https://api.opsgenie.com';

const PRIORITY: Record<string, string> = { minor: 'P3', major: 'P2', critical: 'P1' };

export function opsgenieRequest(n: Notification, apiUrl: string, apiKey: string, priority: string | null): [string, HttpInit] {
  const headers = { ...JSON_HEADERS, authorization: `GenieKey ${apiKey}` };
  if (n.event === 'check.up') {
    return [
      `${apiUrl}/v2/alerts/${encodeURIComponent(n.incident.id)}/close?identifierType=alias`,
      {
        method: 'POST',
        headers,
        body: JSON.stringify({ source: 'Overdue', user: 'Overdue', note: truncate(n.summary, 25_000) }),
      },
    ];
  }
  return [
    `${apiUrl}/v2/alerts`,
    {
      method: 'POST',
      headers,
      body: JSON.stringify({
        message: truncate(n.summary, 130),
        alias: n.incident.id,
        description: truncate(
          factsOf(n)
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n'),
          15_000,
        ),
        priority: priority ?? PRIORITY[n.incident.severity] ?? 'P3',
        source: 'Overdue',
        entity: n.check.name,
        tags: n.check.tags.slice(0, 20),
        details: { check_url: n.check.url, expected: n.check.expected, last_seen: n.check.last_signal_at ?? 'never' },
      }),
    },
  ];
}

export const opsgenie: ChannelKind = {
  kind: 'opsgenie',
  secrets: ['api_key'],
  destination: ['api_url'],
  digest: false,
  parseConfig: (config) => ({
    api_key: text('opsgenie', config, 'api_key', '01234567-89ab-cdef-0123-456789abcdef'),
    api_url: baseUrl('opsgenie', config, 'api_url', OPSGENIE_API),
    priority: config.priority == null ? null : oneOf('opsgenie', config, 'priority', ['P1', 'P2', 'P3', 'P4', 'P5'] as const, 'P3'),
  }),
  send: (message: Message, config, ctx) =>
    deliverAll(
      ctx,
      message.notifications.map((n) =>
        opsgenieRequest(n, String(config.api_url), String(config.api_key), config.priority as string | null),
      ),
    ),
};
