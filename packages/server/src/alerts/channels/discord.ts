// Discord webhook: one embed with the facts as fields, coloured by event, linking to the check.
import { colourOf, digestLines, escapeMarkdown as esc, factsOf, isDigest, titleOf, truncate, type Message } from '../render.js';
import { incomingWebhook } from './channel.js';

export function discordBody(message: Message): Record<string, unknown> {
  if (isDigest(message)) {
    return {
      content: truncate(titleOf(message), 2000),
      embeds: [
        {
          title: truncate(titleOf(message), 256),
          description: truncate(digestLines(message, 40, 3000).map(esc).join('\n'), 4000),
          color: 0xe01e5a,
        },
      ],
      allowed_mentions: { parse: [] },
    };
  }
  const n = message.notifications[0];
  return {
    // Content, description and field values are markdown (masked links included); mentions are off below.
    content: truncate(esc(n.summary), 2000),
    embeds: [
      {
        title: truncate(esc(titleOf(message)), 256),
        url: n.check.url,
        description: truncate(esc(n.action), 4000),
        color: colourOf(n),
        timestamp: n.flip.at,
        fields: factsOf(n)
          .filter(([label]) => label !== 'What to do')
          .map(([name, value]) => ({
            name,
            value: truncate(name === 'Link' ? value : esc(value), 1024),
            inline: name === 'Severity' || name === 'Where',
          })),
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

export const discord = incomingWebhook('discord', discordBody);
