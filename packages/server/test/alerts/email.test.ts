// Email over SMTP against a real SMTP listener (smtp-server): STARTTLS and implicit TLS with a certificate the
// channel is told to trust, authentication, and a permanent refusal that is not retried.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlerting, type Alerting } from './support/alerting.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const cert = fs.readFileSync(path.join(fixtures, 'localhost-cert.pem'), 'utf8');
const key = fs.readFileSync(path.join(fixtures, 'localhost-key.pem'), 'utf8');

interface Mail {
  from: string;
  to: string[];
  secure: boolean;
  user: string | undefined;
  raw: string;
}

async function startSmtp(options: { secure: boolean; rejectRecipient?: boolean }) {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    secure: options.secure,
    key,
    cert,
    authOptional: false,
    logger: false,
    disabledCommands: options.secure ? [] : [],
    onAuth(auth, _session, callback) {
      if (auth.username === 'alerts' && auth.password === 'smtp-pass-0123456789') return callback(null, { user: 'alerts' });
      return callback(new Error('invalid credentials'));
    },
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipient) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return { mails, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let a: Alerting;
beforeAll(async () => {
  a = await startAlerting();
});
afterAll(async () => {
  await a.close();
});

function emailConfig(port: number, security: string, extra: Record<string, unknown> = {}) {
  return {
    host: '127.0.0.1',
    port,
    security,
    username: 'alerts',
    password: 'smtp-pass-0123456789',
    from: 'Overdue <overdue@example.test>',
    to: ['oncall@example.test', 'lead@example.test'],
    tls_ca: cert,
    ...extra,
  };
}

describe('an email channel', () => {
  it('sends over STARTTLS with authentication: subject, facts, link and a Message-ID from the idempotency key', async () => {
    const smtp = await startSmtp({ secure: false });
    try {
      const channel = await a.channel('email', emailConfig(smtp.port, 'starttls'), { is_default: false });
      const check = await a.check({ channels: [channel.id], name: 'nightly backup', project: 'infra' });
      await a.ping(check);
      await a.ping(check, 'fail');
      await a.deliver();
      expect(smtp.mails).toHaveLength(1);
      const [mail] = smtp.mails;
      expect(mail).toMatchObject({
        from: 'overdue@example.test',
        to: ['oncall@example.test', 'lead@example.test'],
        secure: true,
        user: 'alerts',
      });
      expect(mail.raw).toContain('Subject: DOWN: nightly backup');
      expect(mail.raw).toMatch(/Message-ID:\s+<[^>]+\.down\.[^>]+@overdue>/i);
      const unfolded = mail.raw.replace(/=\r\n/g, '').replace(/\r\n/g, '\n');
      expect(unfolded).toContain('Expected: a heartbeat every 1m, with 0ms of grace');
      expect(unfolded).toContain(`/checks/${check.id}`);
      const notification = (await a.t.api('GET', `/api/v1/notifications?channel=${channel.id}`)).body.items[0];
      expect(notification).toMatchObject({ status: 'sent', attempts: 1 });
      expect(notification.attempt_log[0]).toMatchObject({ ok: true, status_code: 250 });
    } finally {
      await smtp.close();
    }
  });

  it('sends over implicit TLS (port 465 style)', async () => {
    const smtp = await startSmtp({ secure: true });
    try {
      const channel = await a.channel('email', emailConfig(smtp.port, 'tls'), { is_default: false });
      const result = await a.t.api('POST', `/api/v1/channels/${channel.id}/test`);
      expect(result.body).toMatchObject({ ok: true, status_code: 250 });
      expect(smtp.mails).toHaveLength(1);
      expect(smtp.mails[0].secure).toBe(true);
      expect(smtp.mails[0].raw).toContain('Subject: TEST: Overdue test check');
    } finally {
      await smtp.close();
    }
  });

  it('refuses a server whose certificate it cannot verify, and does not show the password anywhere', async () => {
    const smtp = await startSmtp({ secure: false });
    try {
      const channel = await a.channel('email', emailConfig(smtp.port, 'starttls', { tls_ca: null }), { is_default: false });
      const result = await a.t.api('POST', `/api/v1/channels/${channel.id}/test`);
      expect(result.body.ok).toBe(false);
      expect(result.body.error).toMatch(/certificate/i);
      expect(smtp.mails).toHaveLength(0);
      const read = await a.t.api('GET', `/api/v1/channels/${channel.id}`);
      expect(JSON.stringify(read.body)).not.toContain('smtp-pass-0123456789');
    } finally {
      await smtp.close();
    }
  });

  it('gives up at once on a permanent SMTP refusal (5xx) and lists it as failed', async () => {
    const smtp = await startSmtp({ secure: false, rejectRecipient: true });
    try {
      const channel = await a.channel('email', emailConfig(smtp.port, 'starttls'), { is_default: false });
      const check = await a.check({ channels: [channel.id] });
      await a.ping(check, 'fail');
      await a.deliver();
      const failed = await a.t.api('GET', `/api/v1/notifications?status=failed&channel=${channel.id}`);
      expect(failed.body.items).toHaveLength(1);
      expect(failed.body.items[0]).toMatchObject({ attempts: 1, status: 'failed' });
      expect(failed.body.items[0].attempt_log[0].status_code).toBe(550);
    } finally {
      await smtp.close();
    }
  });
});
