// Email over SMTP with nodemailer: implicit TLS (port 465), STARTTLS (587, required, not opportunistic) or plain.
// The host is resolved and guarded like HTTP targets, then the connection goes to that address with the
// host name kept for the certificate check.
import nodemailer from 'nodemailer';
import net from 'node:net';
import { htmlText, plainText, titleOf, type Message } from '../render.js';
import { OutboundRefused, resolveGuarded } from '../outbound.js';
import type { ChannelKind, DeliveryResult } from './channel.js';
import { integer, oneOf, optionalText, stringList, text } from './fields.js';
import { badRequest } from '../../errors.js';

const SECURITY = ['starttls', 'tls', 'none'] as const;
const DEFAULT_PORT = { tls: 465, starttls: 587, none: 25 } as const;

function resultOfSmtpError(error: unknown): DeliveryResult {
  const e = error as Error & { responseCode?: number; code?: string };
  if (error instanceof OutboundRefused) return { ok: false, statusCode: null, error: e.message, retryable: false };
  // SMTP 5xx is a permanent refusal (bad recipient, authentication); 4xx and network trouble are worth a retry.
  const permanent = (e.responseCode != null && e.responseCode >= 500) || e.code === 'EAUTH';
  return { ok: false, statusCode: e.responseCode ?? null, error: e.message, retryable: !permanent };
}

export const email: ChannelKind = {
  kind: 'email',
  secrets: ['password'],
  readerSecrets: ['username'],
  // TLS settings decide who can read the password on the way, so they count as part of the destination.
  destination: ['host', 'port', 'security', 'tls_ca', 'tls_reject_unauthorized'],
  digest: true,
  parseConfig(config) {
    const security = oneOf('email', config, 'security', SECURITY, 'starttls');
    const host = text('email', config, 'host', 'smtp.example.com');
    if (/[\s/]/.test(host))
      throw badRequest('invalid_channel', 'email channel: config.host must be a host name or an IP address, without scheme or path.');
    const username = optionalText('email', config, 'username', 500);
    const password = optionalText('email', config, 'password', 500);
    if ((username == null) !== (password == null))
      throw badRequest('invalid_channel', 'email channel: give both config.username and config.password, or neither.');
    return {
      host,
      security,
      port: integer('email', config, 'port', 1, 65535, DEFAULT_PORT[security]),
      username,
      password,
      from: text('email', config, 'from', 'Overdue <overdue@example.com>'),
      to: stringList('email', config, 'to', 'oncall@example.com'),
      tls_ca: optionalText('email', config, 'tls_ca', 100_000),
      tls_reject_unauthorized: config.tls_reject_unauthorized !== false,
    };
  },
  async send(message: Message, config, ctx) {
    const host = String(config.host);
    try {
      const address = await resolveGuarded(host, ctx.outbound.allowPrivate);
      const servername = net.isIP(host) ? undefined : host;
      const timeout = ctx.outbound.timeoutMs;
      const transport = nodemailer.createTransport({
        host: address,
        port: Number(config.port),
        secure: config.security === 'tls',
        requireTLS: config.security === 'starttls',
        ignoreTLS: config.security === 'none',
        name: 'overdue',
        servername,
        auth: config.username ? { user: String(config.username), pass: String(config.password) } : undefined,
        tls: {
          servername,
          rejectUnauthorized: config.tls_reject_unauthorized !== false,
          ca: config.tls_ca ? String(config.tls_ca) : undefined,
        },
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
        dnsTimeout: timeout,
      } as Parameters<typeof nodemailer.createTransport>[0]);
      try {
        const key = message.idempotencyKey.replace(/[^A-Za-z0-9.-]/g, '.');
        const info = await transport.sendMail({
          from: String(config.from),
          to: config.to as string[],
          subject: titleOf(message),
          text: plainText(message),
          html: `<div style="font-family:sans-serif;white-space:pre-wrap">${htmlText(message).replace(/\n/g, '<br>')}</div>`,
          messageId: `<${key}@overdue>`,
          headers: { 'X-Overdue-Idempotency-Key': message.idempotencyKey },
        });
        const code = Number(/^(\d{3})/.exec(String(info.response ?? ''))?.[1] ?? 250);
        return { ok: true, statusCode: code, error: null, retryable: false };
      } finally {
        transport.close();
      }
    } catch (error) {
      return resultOfSmtpError(error);
    }
  },
};
