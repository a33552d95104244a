// A server killed (SIGKILL) in the middle of a delivery and started again neither loses nor duplicates the
// notification: it is sent again with the same idempotency key, recorded as sent once, with both attempts on record.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../support/http.js';
import { api, startProcess, until, type ServerProcess } from '../support/process.js';

describe('a server killed mid-delivery', () => {
  let dataDir: string;
  let receiver: Receiver;
  const procs: ServerProcess[] = [];
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-restart-'));
    receiver = await startReceiver();
  });
  afterAll(async () => {
    for (const p of procs) await p.kill();
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends the notification again after a restart, once, with the same idempotency key', async () => {
    // The receiver takes the first request and never answers it: the server dies while waiting.
    receiver.answers.push('hold');
    const first = await startProcess(dataDir, { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' });
    procs.push(first);
    const channel = await api(first.url, 'POST', '/api/v1/channels', {
      kind: 'webhook',
      name: 'ops',
      config: { url: `${receiver.url}/hook` },
    });
    expect(channel.status).toBe(201);
    const check = await api(first.url, 'POST', '/api/v1/checks', {
      name: 'payroll export',
      schedule: { kind: 'interval', period_s: 3600 },
    });
    const ping = await fetch(`${first.url}/ping/${check.body.key}/fail`, { method: 'POST' });
    expect(ping.status).toBe(200);
    await receiver.waitFor(1);

    await first.kill();

    const second = await startProcess(dataDir, { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' });
    procs.push(second);
    await receiver.waitFor(2);
    const sent = await until('the notification to be recorded as sent', async () => {
      const list = await api(second.url, 'GET', '/api/v1/notifications');
      return list.body.items[0]?.status === 'sent' ? list.body.items : undefined;
    });

    expect(sent).toHaveLength(1);
    const [notification] = sent;
    expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual([
      notification.idempotency_key,
      notification.idempotency_key,
    ]);
    expect(receiver.requests[0].body).toBe(receiver.requests[1].body);
    expect(notification.attempt_log.map((a: any) => [a.ok, a.status_code])).toEqual([
      [false, null],
      [true, 200],
    ]);
    expect(notification.attempt_log[0].error).toMatch(/^interrupted: the server stopped before the receiver answered/);
    expect((await api(second.url, 'GET', '/api/v1/incidents')).body.items).toHaveLength(1);

    // Nothing further is sent: the notification is settled.
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests).toHaveLength(2);
    await second.stop();
  });
});
