// Slack incoming webhook: a text fallback plus Block Kit sections with the facts and a button to the check.
import { colourOf, digestLines, factsOf, isDigest, titleOf, truncate, type Message } from '../render.js';
import { incomingWebhook } from './channel.js';

/** Slack mrkdwn needs &, < and > escaped. */
const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackBody(message: Message): Record<string, unknown> {
  const title = titleOf(message);
  if (isDigest(message)) {
    const text = digestLines(message, 40, 2900).map(esc).join('\n');
    return {
      text: esc(title),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: truncate(title, 150) } },
        { type: 'section', text: { type: 'mrkdwn', text } },
      ],
    };
  }
  const n = message.notifications[0];
  const fields = factsOf(n)
    .filter(([label]) => label !== 'Link' && label !== 'What to do')
    .map(([label, value]) => ({ type: 'mrkdwn', text: truncate(`*${label}*\n${esc(value)}`, 2000) }));
  return {
    // The top-level text is what push notifications show, and Slack parses it as mrkdwn too: "<!channel>" would
    // page everyone and "<https://evil|Open runbook>" would disguise a link.
    text: esc(n.summary),
    attachments: [{ color: `#${colourOf(n).toString(16).padStart(6, '0')}`, fallback: esc(n.summary) }],
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: truncate(`*${esc(n.summary)}*`, 2900) } },
      { type: 'section', fields: fields.slice(0, 10) },
      { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(esc(n.action), 2900) }] },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open check' }, url: n.check.url }] },
    ],
  };
}

export const slack = incomingWebhook('slack', slackBody);
