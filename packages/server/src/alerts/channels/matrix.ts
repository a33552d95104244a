// Matrix client-server API: an m.room.message into a room. The idempotency key is the transaction id,
// so the homeserver itself drops a retried copy.
import { htmlText, plainText, type Message } from '../render.js';
import { deliverHttp, JSON_HEADERS, type ChannelKind } from './channel.js';
import { baseUrl, text } from './fields.js';

/**
 * The event content. An empty `m.mentions` says the message mentions nobody, so clients do not turn "@room" or a
 * display name in a check's name into a ping; the plain body also breaks "@room" for clients that predate it.
 */
export function matrixBody(message: Message): Record<string, unknown> {
  return {
    msgtype: 'm.text',
    body: plainText(message, 40).replace(/@room/gi, '@\u2060room'),
    format: 'org.matrix.custom.html',
    formatted_body: htmlText(message, 40).replace(/\n/g, '<br>'),
    'm.mentions': {},
  };
}

export const matrix: ChannelKind = {
  kind: 'matrix',
  secrets: ['access_token'],
  destination: ['homeserver_url'],
  digest: true,
  parseConfig: (config) => ({
    homeserver_url: baseUrl('matrix', config, 'homeserver_url'),
    access_token: text('matrix', config, 'access_token', 'syt_…'),
    room_id: text('matrix', config, 'room_id', '!abcdefgh:example.org'),
  }),
  send: (message, config, ctx) =>
    deliverHttp(
      ctx,
      `${config.homeserver_url}/_matrix/client/v3/rooms/${encodeURIComponent(String(config.room_id))}/send/m.room.message/${encodeURIComponent(message.idempotencyKey)}`,
      {
        method: 'PUT',
        headers: { ...JSON_HEADERS, authorization: `Bearer ${config.access_token}` },
        body: JSON.stringify(matrixBody(message)),
      },
    ),
};
