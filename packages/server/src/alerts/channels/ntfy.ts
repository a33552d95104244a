// ntfy: JSON publish to the server root with topic, title, priority, tags and a click-through link.
import { isDigest, plainText, titleOf, truncate, type Message } from '../render.js';
import { deliverHttp, JSON_HEADERS, type ChannelKind } from './channel.js';
import { baseUrl, integer, optionalText, text } from './fields.js';

export const NTFY_SERVER = 'https://ntfy.sh';

export function ntfyBody(message: Message, topic: string, priority: number | null): Record<string, unknown> {
  const first = message.notifications[0];
  const up = !isDigest(message) && first.event === 'check.up';
  return {
    topic,
    title: truncate(titleOf(message), 250),
    message: truncate(plainText(message, 30, 3800), 4000),
    priority: priority ?? (up ? 3 : 4),
    tags: [up ? 'white_check_mark' : 'rotating_light'],
    click: isDigest(message) ? undefined : first.check.url,
  };
}

export const ntfy: ChannelKind = {
  kind: 'ntfy',
  // On a public server such as ntfy.sh the topic is the credential: whoever knows it reads the alerts and can post fake ones.
  secrets: ['token', 'topic'],
  destination: ['server_url'],
  digest: true,
  parseConfig: (config) => ({
    server_url: baseUrl('ntfy', config, 'server_url', NTFY_SERVER),
    topic: text('ntfy', config, 'topic', 'overdue-alerts'),
    token: optionalText('ntfy', config, 'token', 500),
    priority: integer('ntfy', config, 'priority', 1, 5, null),
  }),
  send: (message, config, ctx) =>
    deliverHttp(ctx, String(config.server_url), {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...(config.token ? { authorization: `Bearer ${config.token}` } : {}) },
      body: JSON.stringify(ntfyBody(message, String(config.topic), config.priority as number | null)),
    }),
};
