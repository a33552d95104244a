// The server's own mail (invitations), sent through OVERDUE_SMTP_URL. Alert e-mail is a channel's business
// (alerts/channels/email.ts) and has settings of its own.
import nodemailer from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Sends one mail; throws with the SMTP server's reason when it is not accepted. */
  send(mail: Mail): Promise<void>;
}

/**
 * A mailer over `url` (smtp://…: STARTTLS is required unless the URL says ?ignoreTLS=true; smtps://…: implicit TLS),
 * or null when no URL is configured. The operator configures this host, so private addresses are allowed.
 */
export function smtpMailer(url: string | undefined, from: string, timeoutMs: number): Mailer | null {
  if (!url) return null;
  const parsed = new URL(url);
  const plain = parsed.protocol === 'smtp:';
  const ignoreTLS = parsed.searchParams.get('ignoreTLS') === 'true';
  return {
    async send(mail) {
      const transport = nodemailer.createTransport({
        host: parsed.hostname.replace(/^\[|\]$/g, ''),
        port: Number(parsed.port) || (plain ? 587 : 465),
        secure: !plain,
        requireTLS: plain && !ignoreTLS,
        ignoreTLS: plain && ignoreTLS,
        name: 'overdue',
        auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
        dnsTimeout: timeoutMs,
      } as Parameters<typeof nodemailer.createTransport>[0]);
      try {
        await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
      } finally {
        transport.close();
      }
    },
  };
}
