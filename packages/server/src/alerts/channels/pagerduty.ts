// PagerDuty Events API v2: trigger when a check goes down (and on reminders), resolve when it recovers.
// The incident id is the dedup key, so PagerDuty folds every event of one outage into one of its incidents.
import type { Notification } from '../notification.js';
import { factsOf, truncate, type Message } from '../render.js';
import { deliverAll, JSON_HEADERS, type ChannelKind, type HttpInit } from './channel.js';
import { baseUrl, text } from './fields.js';

export const PAGERDUTY_API = 'https://events.pagerduty.com';

const SEVERITY: Record<string, string> = { minor: 'warning', major: 'error', critical: 'critical', info: 'info' };

export function pagerdutyEvent(n: Notification, routingKey: string): Record<string, unknown> {
  const base = { routing_key: routingKey, dedup_key: n.incident.id };
  if (n.event === 'check.up') return { ...base, event_action: 'resolve' };
  return {
    ...base,
    event_action: 'trigger',
    payload: {
      summary: truncate(n.summary, 1024),
      source: n.check.host ?? n.check.service ?? 'overdue',
      severity: SEVERITY[n.incident.severity] ?? 'warning',
      timestamp: n.flip.at,
      component: n.check.name,
      group: n.check.project ?? undefined,
      class: n.event,
      custom_details: Object.fromEntries(factsOf(n)),
    },
    links: [{ href: n.check.url, text: 'Open the check in Overdue' }],
    client: 'Overdue',
    client_url: n.check.url,
  };
}

export const pagerduty: ChannelKind = {
  kind: 'pagerduty',
  secrets: ['routing_key'],
  destination: ['api_url'],
  digest: false,
  parseConfig: (config) => ({
    routing_key: text('pagerduty', config, 'routing_key', 'R0123456789ABCDEF0123456789ABCDE'),
    api_url: baseUrl('pagerduty', config, 'api_url', PAGERDUTY_API),
  }),
  send: (message: Message, config, ctx) =>
    deliverAll(
      ctx,
      message.notifications.map((n): [string, HttpInit] => [
        `${config.api_url}/v2/enqueue`,
        { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(pagerdutyEvent(n, String(config.routing_key))) },
      ]),
    ),
};
