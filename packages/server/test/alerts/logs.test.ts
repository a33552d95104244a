// Secrets never reach the logs: a server logging at info level, with channels whose receivers fail and echo
// what they were sent, warns about the permanent failures without printing a single secret.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../support/http.js';
import { api, startProcess, until, type ServerProcess } from '../support/process.js';

describe('server logs', () => {
  let dataDir: string;
  let receiver: Receiver;
  let hookReceiver: Receiver;
  let server: ServerProcess;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-logs-'));
    // Each receiver refuses and echoes the secret it was sent.
    receiver = await startReceiver({ status: 403, body: 'forbidden: bot token tg-SECRET-777:abc is not welcome' });
    hookReceiver = await startReceiver({ status: 403, body: 'forbidden: Authorization hdr-SECRET-888 is not welcome' });
    server = await startProcess(dataDir, { OVERDUE_LOG_LEVEL: 'info', OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' });
  });
  afterAll(async () => {
    await server.stop();
    await receiver.close();
    await hookReceiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('warn about permanent delivery failures without any channel secret', async () => {
    const secrets = ['tg-SECRET-777:abc', 'hdr-SECRET-888', 'smtp-SECRET-999', 'whsec-SECRET-000000'];
    const created = [
      await api(server.url, 'POST', '/api/v1/channels', {
        kind: 'telegram',
        name: 'tg',
        config: { bot_token: secrets[0], chat_id: '1', api_url: receiver.url },
      }),
      await api(server.url, 'POST', '/api/v1/channels', {
        kind: 'webhook',
        name: 'hook',
        config: { url: `${hookReceiver.url}/hook`, headers: { Authorization: secrets[1] }, secret: secrets[3] },
      }),
      await api(server.url, 'POST', '/api/v1/channels', {
        kind: 'email',
        name: 'mail',
        is_default: false,
        config: {
          host: '127.0.0.1',
          port: 9,
          security: 'none',
          username: 'u',
          password: secrets[2],
          from: 'a@example.test',
          to: ['b@example.test'],
        },
      }),
    ];
    expect(created.map((c) => c.status)).toEqual([201, 201, 201]);
    const check = await api(server.url, 'POST', '/api/v1/checks', { name: 'leaky', schedule: { kind: 'interval', period_s: 3600 } });
    await fetch(`${server.url}/ping/${check.body.key}/fail`, { method: 'POST' });
    await until('both notifications to fail', async () => {
      const failed = await api(server.url, 'GET', '/api/v1/notifications?status=failed');
      return failed.body.items.length === 2 ? true : undefined;
    });
    await api(server.url, 'POST', `/api/v1/channels/${created[2].body.id}/test`);
    await until('the warning to be logged', async () =>
      (server.output().match(/failed permanently/g)?.length ?? 0) >= 2 ? true : undefined,
    );

    const output = server.output();
    expect(output).toContain('receiver answered 403');
    for (const secret of secrets) expect(output).not.toContain(secret);
    const reads = JSON.stringify([
      (await api(server.url, 'GET', '/api/v1/channels')).body,
      (await api(server.url, 'GET', '/api/v1/notifications')).body,
    ]);
    for (const secret of secrets) expect(reads).not.toContain(secret);
  });
});
