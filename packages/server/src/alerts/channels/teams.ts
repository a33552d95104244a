// Microsoft Teams (incoming webhook or Workflows URL): an Adaptive Card with a fact set and an "Open check" action.
import { digestLines, escapeMarkdown as esc, factsOf, isDigest, titleOf, truncate, type Message } from '../render.js';
import { incomingWebhook } from './channel.js';

export function teamsBody(message: Message): Record<string, unknown> {
  const first = message.notifications[0];
  // TextBlocks and fact values are markdown with links: everything a check's name reaches is escaped.
  const body: unknown[] = [{ type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, text: truncate(esc(titleOf(message)), 300) }];
  if (isDigest(message)) {
    body.push({ type: 'TextBlock', wrap: true, text: digestLines(message, 40, 15_000).map(esc).join('\n\n') });
  } else {
    body.push({ type: 'TextBlock', wrap: true, text: esc(first.summary) });
    body.push({
      type: 'FactSet',
      facts: factsOf(first)
        .filter(([label]) => label !== 'Link')
        .map(([title, value]) => ({ title, value: esc(value) })),
    });
  }
  return {
    type: 'message',
    summary: truncate(isDigest(message) ? titleOf(message) : first.summary, 300),
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: isDigest(message) ? [] : [{ type: 'Action.OpenUrl', title: 'Open check', url: first.check.url }],
        },
      },
    ],
  };
}

export const teams = incomingWebhook('teams', teamsBody);
