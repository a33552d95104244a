// Status changes → outbox rows (in the flip's own transaction) → the delivery worker → a real local webhook receiver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, HOUR, iso, MINUTE, readCheck, SECOND, T0 } from '../support/checks.js';
import { startReceiver, type Receiver } from '../support/http.js';

async function outboxOf(t: TestServer, checkId: string) {
  return t.server.runtime.store.db.selectFrom('outbox').selectAll().where('check_id', '=', checkId).orderBy('id').execute();
}

async function attemptsOf(t: TestServer, outboxId: number) {
  return t.server.runtime.store.db.selectFrom('delivery_attempts').selectAll().where('outbox_id', '=', outboxId).orderBy('id').execute();
}

describe('webhook notifications', () => {
  let t: TestServer;
  let receiver: Receiver;
  let channel: any;
  const clock = new ManualClock(T0);
  const tick = () => t.server.runtime.scheduler.tick();
  const deliver = () => t.server.runtime.delivery.runOnce();

  /** A 5-minute check with 1 minute grace, pinged at T0, that the scheduler takes down at T0 + 6 minutes. */
  async function checkThatGoesDown(fields: Record<string, unknown> = {}) {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60, ...fields });
    await t.ping(`/ping/${check.id}`);
    clock.set(T0 + 6 * MINUTE);
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('down');
    return check;
  }

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestServer({ clock, env: { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' } });
    const res = await t.api('POST', '/api/v1/channels', {
      kind: 'webhook',
      name: 'ops hook',
      config: { url: `${receiver.url}/hook/s3cr3t-token?x=1` },
    });
    expect(res.status).toBe(201);
    channel = res.body;
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('a channel read never shows the secret part of its URL', async () => {
    expect(channel).toMatchObject({ kind: 'webhook', name: 'ops hook', is_default: true, config: { url: `${receiver.url}/…` } });
    expect(JSON.stringify((await t.api('GET', '/api/v1/channels')).body)).not.toContain('s3cr3t');
  });

  it('new checks subscribe to the default channel', async () => {
    const check = await createCheck(t);
    expect(check.channels).toEqual([channel.id]);
  });

  it('a flip to down writes its outbox row in the same transaction: when the outbox write fails, nothing flips', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    await t.ping(`/ping/${check.id}`);
    clock.set(T0 + 6 * MINUTE);
    const db = t.server.runtime.store.db;
    await db.schema.alterTable('outbox').renameTo('outbox_away').execute();
    try {
      await expect(tick()).rejects.toThrow(/outbox/);
    } finally {
      await db.schema.alterTable('outbox_away').renameTo('outbox').execute();
    }
    // Rolled back as a whole: no flip, no incident, the check is still up and still due.
    expect((await readCheck(t, check.id)).status).toBe('up');
    expect(await history(t, check.id, 'flips')).toHaveLength(1);
    expect((await t.api('GET', `/api/v1/incidents?check=${check.id}`)).body.items).toEqual([]);

    await tick();
    expect((await readCheck(t, check.id)).status).toBe('down');
    const [incident] = (await t.api('GET', `/api/v1/incidents?check=${check.id}`)).body.items;
    const rows = await outboxOf(t, check.id);
    expect(rows).toMatchObject([
      { channel_id: channel.id, incident_id: incident.id, event: 'down', status: 'pending', attempts: 0, next_attempt_at: T0 + 6 * MINUTE },
    ]);
    expect(rows[0].idempotency_key).toBe(`${incident.id}:down:${channel.id}`);
    // Written, not yet sent: with a manual clock only runOnce sends.
    expect(receiver.requests.filter((r) => r.json?.check?.id === check.id)).toEqual([]);
    await deliver();
    expect(receiver.requests.filter((r) => r.json?.check?.id === check.id)).toHaveLength(1);
  });

  it('runOnce POSTs the JSON notification with an idempotency key, and records the attempt', async () => {
    const check = await checkThatGoesDown({ name: 'payroll export', project: 'finance', service: 'exporter', tags: ['prod'] });
    receiver.requests.length = 0;
    expect(await deliver()).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0];
    const [incident] = (await t.api('GET', `/api/v1/incidents?check=${check.id}`)).body.items;
    const key = `${incident.id}:down:${channel.id}`;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hook/s3cr3t-token?x=1');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['idempotency-key']).toBe(key);
    expect(request.json).toMatchObject({
      event: 'check.down',
      idempotency_key: key,
      summary: expect.stringContaining(
        'payroll export (finance / exporter) is DOWN: no heartbeat received within expected interval + grace period (5m + 1m)',
      ),
      check: {
        id: check.id,
        key: check.key,
        name: 'payroll export',
        project: 'finance',
        service: 'exporter',
        tags: ['prod'],
        status: 'down',
        last_signal_at: iso(T0),
        ping_url: check.ping_url,
      },
      flip: { at: iso(T0 + 6 * MINUTE), from: 'up', to: 'down', reason: expect.stringContaining('(5m + 1m)') },
      incident: { id: incident.id, opened_at: iso(T0 + 6 * MINUTE), resolved_at: null },
    });
    const [row] = await outboxOf(t, check.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, sent_at: T0 + 6 * MINUTE, last_error: null, claimed_until: null });
    expect(await attemptsOf(t, row.id)).toMatchObject([{ ok: 1, status_code: 200, error: null, at: T0 + 6 * MINUTE }]);
    // Sent is sent: another pass sends nothing.
    expect(await deliver()).toBe(0);
    expect(receiver.requests).toHaveLength(1);
  });

  it("recovery sends 'up' for the same incident", async () => {
    const check = await checkThatGoesDown();
    await deliver();
    receiver.requests.length = 0;
    clock.set(T0 + 8 * MINUTE);
    await t.ping(`/ping/${check.id}`);
    const rows = await outboxOf(t, check.id);
    expect(rows.map((r) => [r.event, r.status])).toEqual([
      ['down', 'sent'],
      ['up', 'pending'],
    ]);
    expect(await deliver()).toBe(1);
    const [incident] = (await t.api('GET', `/api/v1/incidents?check=${check.id}`)).body.items;
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].headers['idempotency-key']).toBe(`${incident.id}:up:${channel.id}`);
    expect(receiver.requests[0].json).toMatchObject({
      event: 'check.up',
      summary: expect.stringContaining('is back UP'),
      flip: { from: 'down', to: 'up', at: iso(T0 + 8 * MINUTE), reason: 'heartbeat received; check recovered' },
      incident: { id: incident.id, opened_at: iso(T0 + 6 * MINUTE), resolved_at: iso(T0 + 8 * MINUTE) },
    });
  });

  it('going late and coming back within grace sends nothing', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    await t.ping(`/ping/${check.id}`);
    clock.set(T0 + 5 * MINUTE + 10 * SECOND);
    await tick();
    await t.ping(`/ping/${check.id}`);
    expect(await outboxOf(t, check.id)).toEqual([]);
  });

  it('a 500 from the receiver is retried after the backoff; both tries carry the same idempotency key', async () => {
    const check = await checkThatGoesDown();
    receiver.requests.length = 0;
    receiver.answers.push(500);
    expect(await deliver()).toBe(1);
    let [row] = await outboxOf(t, check.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('500') });
    // The first retry waits 2 s ± 20 %.
    expect(row.next_attempt_at).toBeGreaterThanOrEqual(T0 + 6 * MINUTE + 1600);
    expect(row.next_attempt_at).toBeLessThanOrEqual(T0 + 6 * MINUTE + 2400);
    expect(await deliver()).toBe(0);
    expect(receiver.requests).toHaveLength(1);

    clock.advance(2500);
    expect(await deliver()).toBe(1);
    [row] = await outboxOf(t, check.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1].headers['idempotency-key']).toBe(receiver.requests[0].headers['idempotency-key']);
    expect((await attemptsOf(t, row.id)).map((a) => [a.ok, a.status_code])).toEqual([
      [0, 500],
      [1, 200],
    ]);
  });

  it('backoff grows with each failed attempt', async () => {
    const check = await checkThatGoesDown();
    receiver.answers.push(503, 503, 503);
    const waits: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      await deliver();
      const [row] = await outboxOf(t, check.id);
      waits.push(row.next_attempt_at - clock.now());
      clock.set(row.next_attempt_at);
    }
    expect(waits[0]).toBeLessThanOrEqual(2400);
    expect(waits[1]).toBeGreaterThanOrEqual(3200);
    expect(waits[2]).toBeGreaterThanOrEqual(6400);
    await deliver();
    expect((await outboxOf(t, check.id))[0]).toMatchObject({ status: 'sent', attempts: 4 });
  });

  it('a 400 from the receiver is final: failed, not retried', async () => {
    const check = await checkThatGoesDown();
    receiver.requests.length = 0;
    receiver.answers.push(400);
    expect(await deliver()).toBe(1);
    const [row] = await outboxOf(t, check.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringContaining('receiver answered 400') });
    clock.advance(2 * HOUR);
    expect(await deliver()).toBe(0);
    expect(receiver.requests).toHaveLength(1);
    expect(await attemptsOf(t, row.id)).toMatchObject([{ ok: 0, status_code: 400 }]);
  });

  it('a receiver that is not listening is retried (a network error is worth another try)', async () => {
    const closed = await startReceiver();
    const url = closed.url;
    await closed.close();
    const dead = await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'dead', config: { url }, is_default: false });
    const check = await checkThatGoesDown({ channels: [dead.body.id] });
    expect(await deliver()).toBe(1);
    const [row] = await outboxOf(t, check.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringMatching(/ECONNREFUSED/) });
    expect(await attemptsOf(t, row.id)).toMatchObject([{ ok: 0, status_code: null }]);
  });

  it('a check with no channels writes no outbox rows', async () => {
    const check = await checkThatGoesDown({ channels: [] });
    expect(check.channels).toEqual([]);
    expect(await outboxOf(t, check.id)).toEqual([]);
  });

  it('a notification for a deleted channel fails without a request', async () => {
    const extra = await t.api('POST', '/api/v1/channels', {
      kind: 'webhook',
      name: 'short-lived',
      config: { url: `${receiver.url}/gone` },
      is_default: false,
    });
    const check = await checkThatGoesDown({ channels: [extra.body.id] });
    expect((await t.api('DELETE', `/api/v1/channels/${extra.body.id}`)).status).toBe(204);
    receiver.requests.length = 0;
    await deliver();
    expect(receiver.requests).toEqual([]);
    expect((await outboxOf(t, check.id))[0]).toMatchObject({ status: 'failed', last_error: 'the channel was deleted' });
  });
});

describe('webhooks to private addresses', () => {
  let t: TestServer;
  let receiver: Receiver;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    receiver = await startReceiver();
    // No OVERDUE_ALLOW_PRIVATE_TARGETS: the default.
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  for (const host of ['127.0.0.1', 'localhost']) {
    it(`are refused without the allow flag (${host}): a failed delivery that is not retried and sends nothing`, async () => {
      const port = new URL(receiver.url).port;
      const ch = await t.api('POST', '/api/v1/channels', {
        kind: 'webhook',
        name: host,
        config: { url: `http://${host}:${port}/hook` },
        is_default: false,
      });
      expect(ch.status).toBe(201);
      clock.set(T0);
      const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 60 }, grace_s: 0, channels: [ch.body.id] });
      await t.ping(`/ping/${check.id}`);
      clock.set(T0 + MINUTE);
      await t.server.runtime.scheduler.tick();
      expect(await t.server.runtime.delivery.runOnce()).toBe(1);
      const [row] = await outboxOf(t, check.id);
      expect(row).toMatchObject({
        status: 'failed',
        attempts: 1,
        last_error: expect.stringMatching(/target refused.*OVERDUE_ALLOW_PRIVATE_TARGETS/),
      });
      expect(await attemptsOf(t, row.id)).toMatchObject([{ ok: 0, status_code: null }]);
      clock.advance(HOUR);
      expect(await t.server.runtime.delivery.runOnce()).toBe(0);
      expect(receiver.requests).toEqual([]);
    });
  }
});
