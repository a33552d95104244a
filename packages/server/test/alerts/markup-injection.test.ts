// A check's name is not markup: whatever it says, chat alerts show it as text, never as a mention of everyone or a
// disguised link (audit finding 16). Names come from editors and from ping keys (Hexcovery job names).
import { describe, expect, it } from 'vitest';
import { testNotification, type Notification } from '../../src/alerts/notification.js';
import type { Message } from '../../src/alerts/render.js';
import { slackBody } from '../../src/alerts/channels/slack.js';
import { discordBody } from '../../src/alerts/channels/discord.js';
import { teamsBody } from '../../src/alerts/channels/teams.js';
import { matrixBody } from '../../src/alerts/channels/matrix.js';
import { telegramBody } from '../../src/alerts/channels/telegram.js';

const EVIL = '<!channel> @room @everyone [Open runbook](https://evil.example/login) <https://evil.example|Open runbook>';

function alertFor(name: string): Notification {
  const n = testNotification('https://overdue.example', 'ops', Date.parse('2026-03-02T10:00:00Z'));
  return { ...n, event: 'check.down', summary: `${name} is DOWN: no ping for 5m`, check: { ...n.check, name } };
}
const one = (name: string): Message => ({ notifications: [alertFor(name)], idempotencyKey: 'k1' });
const digest = (name: string): Message => ({ notifications: [alertFor(name), alertFor(`${name} 2`)], idempotencyKey: 'k2' });

/** Every string anywhere in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('a check name full of markup', () => {
  it('Slack: no "<!channel>" and no <url|label> link anywhere, the top-level text (push notifications) included', () => {
    for (const body of [slackBody(one(EVIL)), slackBody(digest(EVIL))]) {
      const all = strings(body).join('\n');
      expect(all).not.toContain('<!channel>');
      expect(all).not.toContain('<https://evil.example|');
    }
    expect(slackBody(one(EVIL)).text).toContain('&lt;!channel&gt;');
  });

  it('Discord: no markdown link or mention syntax in content, description or fields, and mentions are off', () => {
    for (const body of [discordBody(one(EVIL)), discordBody(digest(EVIL))]) {
      const all = strings(body).join('\n');
      expect(all).not.toMatch(/(?<!\\)\[Open runbook(?<!\\)\]\(/);
      expect(body.allowed_mentions).toEqual({ parse: [] });
    }
    expect(discordBody(one(EVIL)).content).toContain('\\[Open runbook\\]\\(https://evil.example/login\\)');
  });

  it('Teams: titles, text blocks and facts carry the name escaped, not as a link', () => {
    for (const body of [teamsBody(one(EVIL)), teamsBody(digest(EVIL))]) {
      // The top-level summary is plain text (the notification preview); the card is markdown.
      const all = strings(body.attachments).join('\n');
      expect(all).not.toMatch(/(?<!\\)\[Open runbook(?<!\\)\]\(/);
    }
  });

  it('Matrix: mentions nobody (m.mentions) and "@room" in the plain body does not ping the room; the HTML is escaped', () => {
    const body = matrixBody(one(EVIL));
    expect(body['m.mentions']).toEqual({});
    expect(String(body.body)).not.toContain('@room');
    expect(String(body.formatted_body)).not.toContain('<https://evil');
    expect(String(body.formatted_body)).toContain('&lt;!channel&gt;');
  });

  it('Telegram: HTML mode, the name escaped so it cannot open an <a> tag', () => {
    const body = telegramBody(one('<a href="https://evil.example">Open runbook</a>'), '1');
    expect(body.parse_mode).toBe('HTML');
    expect(String(body.text)).not.toContain('<a href="https://evil.example">');
  });
});
