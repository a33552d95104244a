// Discord webhook: one embed with the facts as fields, coloured by event, linking to the check.
import { colourOf, digestLines, factsOf, isDigest, titleOf, truncate, type Message } from '../render.js';
import { incomingWebhook } from './channel.js';

export function discordBody(message: Message): Record<string, unknown> {
  if (isDigest(message)) {
    return {
      content: truncate(titleOf(message), 2000),
      embeds: [{ title: truncate(titleOf(message), 256), description: digestLines(message, 40, 4000).join('\n'), color: 0xe01e5a }],
      allowed_mentions: { parse: [] },
    };
  }
  const n = message.notifications[0];
  return {
    content: truncate(n.summary, 2000),
    embeds: [{
      title: truncate(titleOf(message), 256), url: n.check.url, description: truncate(n.action, 4000), color: colourOf(n), timestamp: n.flip.at,
      fields: factsOf(n).filter(([label]) => label !== 'What to do').map(([name, value]) => ({ name, value: truncate(value, 1024), inline: name === 'Severity' || name === 'Where' })),
    }],
    allowed_mentions: { parse: [] },
  };
}

export const discord = incomingWebhook('discord', discordBody);
