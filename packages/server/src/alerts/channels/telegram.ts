// Telegram Bot API: sendMessage to a chat with HTML formatting. The bot token is a secret (it is in the URL path).
import { htmlText, truncate, type Message } from '../render.js';
import { deliverHttp, JSON_HEADERS, type ChannelKind } from './channel.js';
import { baseUrl, text } from './fields.js';

export const TELEGRAM_API = 'https://api.telegram.org';

export function telegramBody(message: Message, chatId: string): Record<string, unknown> {
  return { chat_id: chatId, text: truncate(htmlText(message, 40, 3700), 4000), parse_mode: 'HTML', disable_web_page_preview: true };
}

export const telegram: ChannelKind = {
  kind: 'telegram',
  secrets: ['bot_token'],
  destination: ['api_url'],
  digest: true,
  parseConfig: (config) => ({
    bot_token: text('telegram', config, 'bot_token', '123456:ABC-DEF…'),
    chat_id: String(config.chat_id ?? '').trim() || text('telegram', config, 'chat_id', '-1001234567890'),
    api_url: baseUrl('telegram', config, 'api_url', TELEGRAM_API),
  }),
  send: (message, config, ctx) =>
    deliverHttp(ctx, `${config.api_url}/bot${config.bot_token}/sendMessage`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(telegramBody(message, String(config.chat_id))),
    }),
};
