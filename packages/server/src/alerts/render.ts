// Human text for notifications, shared by every channel's formatter: one alert in detail, or a digest of many.
import type { Notification } from './notification.js';
import { escapeMarkup } from '../publish/escape.js';

/** What a channel sends: one notification, or a digest of several for the same channel. */
export interface Message {
  notifications: Notification[];
  idempotencyKey: string;
}

export const isDigest = (message: Message) => message.notifications.length > 1;

const WORD: Record<Notification['event'], string> = {
  'check.down': 'DOWN',
  'check.up': 'UP',
  'check.still_down': 'STILL DOWN',
  'check.late': 'LATE',
  test: 'TEST',
};

export function stateWord(n: Notification): string {
  return WORD[n.event];
}

/** A colour per event for chat cards: red down, green up, amber late and test. */
export function colourOf(n: Notification): number {
  return n.event === 'check.up' ? 0x2eb67d : n.event === 'test' || n.event === 'check.late' ? 0xecb22e : 0xe01e5a;
}

export function whereOf(n: Notification): string | null {
  const parts = [n.check.project, n.check.service, n.check.host].filter(Boolean);
  return parts.length ? parts.join(' / ') : null;
}

/** A one-line title: "DOWN: nightly backup" or "Overdue: 200 checks changed (198 down, 2 up)". */
export function titleOf(message: Message): string {
  const list = message.notifications;
  if (list.length === 1) return `${stateWord(list[0])}: ${list[0].check.name}`;
  const down = list.filter((n) => n.event !== 'check.up').length;
  const up = list.length - down;
  const parts = [down ? `${down} down` : '', up ? `${up} up` : ''].filter(Boolean).join(', ');
  return `Overdue: ${list.length} checks changed (${parts})`;
}

/** The facts of one notification as label/value pairs, in the order people read them. */
export function factsOf(n: Notification): Array<[string, string]> {
  const facts: Array<[string, string]> = [['Check', n.check.name]];
  const where = whereOf(n);
  if (where) facts.push(['Where', where]);
  facts.push(['Status', `${n.flip.from} → ${n.flip.to} at ${n.flip.at}`]);
  facts.push(['Expected', n.check.expected]);
  facts.push(['Last seen', n.check.last_signal_at ?? 'never']);
  facts.push(['Reason', n.flip.reason]);
  // Older queued notifications were snapshotted before this field existed.
  if (n.output) facts.push(['Output (end)', n.output]);
  facts.push(['Severity', n.incident.severity]);
  facts.push(['What to do', n.action]);
  facts.push(['Link', n.check.url]);
  return facts;
}

/** One line per notification for digests: "DOWN nightly backup (prod / db): reason <url>". */
export function digestLine(n: Notification): string {
  const where = whereOf(n);
  return `${stateWord(n)} ${n.check.name}${where ? ` (${where})` : ''}: ${n.flip.reason} ${n.check.url}`;
}

/** Lines of a digest: at most `max` lines and `maxChars` characters in all, then "… and N more". */
export function digestLines(message: Message, max: number, maxChars = Infinity): string[] {
  const lines: string[] = [];
  let used = 0;
  for (const n of message.notifications.slice(0, max)) {
    const line = digestLine(n);
    // Keep room for the closing "… and N more" line.
    if (used + line.length + 1 > maxChars - 80) break;
    lines.push(line);
    used += line.length + 1;
  }
  const rest = message.notifications.length - lines.length;
  if (rest > 0) lines.push(`… and ${rest} more; see the incidents list in Overdue.`);
  return lines;
}

/** The whole message as plain text: facts for one alert, a line per check for a digest. */
export function plainText(message: Message, maxDigestLines = 50, maxChars = Infinity): string {
  if (!isDigest(message)) {
    const n = message.notifications[0];
    return [n.summary, '', ...factsOf(n).map(([label, value]) => `${label}: ${value}`)].join('\n');
  }
  return [titleOf(message), '', ...digestLines(message, maxDigestLines, maxChars)].join('\n');
}

/** The message as simple HTML (Telegram, Matrix, email): bold labels, escaped values, a link. */
export function htmlText(message: Message, maxDigestLines = 50, maxChars = Infinity): string {
  if (!isDigest(message)) {
    const n = message.notifications[0];
    const facts = factsOf(n).map(([label, value]) =>
      label === 'Link'
        ? `<b>${label}:</b> <a href="${escapeMarkup(value)}">${escapeMarkup(value)}</a>`
        : `<b>${label}:</b> ${escapeMarkup(value)}`,
    );
    return [`<b>${escapeMarkup(n.summary)}</b>`, '', ...facts].join('\n');
  }
  return [`<b>${escapeMarkup(titleOf(message))}</b>`, '', ...digestLines(message, maxDigestLines, maxChars).map(escapeMarkup)].join('\n');
}

/**
 * Markdown-escaped text for chat cards (Discord, Teams): a check name such as "[Open runbook](https://evil)" or
 * "<@123>" shows as typed instead of becoming a disguised link or a mention. Names can come from ping keys
 * (Hexcovery job names), so they are never trusted as markup.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_~|[\]()<>#]/g, (c) => `\\${c}`);
}

export { truncate } from '../core/index.js';
