// Pushover Messages API: form-encoded message with title, HTML body, a link to the check and a priority.
import { htmlText, isDigest, titleOf, truncate, type Message } from '../render.js';
import { deliverHttp, type ChannelKind } from './channel.js';
import { baseUrl, integer, optionalText, text } from './fields.js';

export const PUSHOVER_API = 'https://api.pushover.net';

export function pushoverForm(message: Message, config: Record<string, unknown>): URLSearchParams {
  const first = message.notifications[0];
  const form = new URLSearchParams({
    token: String(config.token),
    user: String(config.user),
    title: truncate(titleOf(message), 250),
    message: truncate(htmlText(message, 20, 900), 1024),
    html: '1',
    priority: String(config.priority ?? (!isDigest(message) && first.event === 'check.up' ? 0 : 1)),
  });
  if (!isDigest(message)) {
    form.set('url', first.check.url);
    form.set('url_title', 'Open check');
  }
  if (config.device) form.set('device', String(config.device));
  return form;
}

export const pushover: ChannelKind = {
  kind: 'pushover',
  secrets: ['token', 'user'],
  destination: ['api_url'],
  digest: true,
  parseConfig: (config) => ({
    token: text('pushover', config, 'token', 'azGDORePK8gMaC0QOYAMyEEuzJnyUi'),
    user: text('pushover', config, 'user', 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG'),
    device: optionalText('pushover', config, 'device', 100),
    priority: integer('pushover', config, 'priority', -2, 1, null),
    api_url: baseUrl('pushover', config, 'api_url', PUSHOVER_API),
  }),
  send: (message, config, ctx) =>
    deliverHttp(ctx, `${config.api_url}/1/messages.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Overdue/0.1' },
      body: pushoverForm(message, config).toString(),
    }),
};
