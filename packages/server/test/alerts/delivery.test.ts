// Delivery: retries with backoff on 5xx and timeouts, none on a final 4xx, every attempt recorded, one
// idempotency key per notification, permanent failures listed by the API and retriable by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlerting, type Alerting } from './support/alerting.js';
import { backoffMs } from '../../src/alerts/delivery.js';

let a: Alerting;
beforeAll(async () => {
  a = await startAlerting({ OVERDUE_DELIVERY_TIMEOUT_MS: '300' });
});
afterAll(async () => {
  await a.close();
});

async function failingCheck(path: string) {
  const channel = await a.channel('webhook', { url: `${a.receiver.url}${path}` }, { is_default: false });
  const check = await a.check({ channels: [channel.id] });
  await a.ping(check, 'fail');
  return { channel, check };
}

const notificationsOf = async (channelId: string) => (await a.t.api('GET', `/api/v1/notifications?channel=${channelId}`)).body.items;

describe('delivery after receiver failures', () => {
  it('retries a 500 and a 503 with growing backoff, then delivers; the same idempotency key every time', async () => {
    a.receiver.answers.push(500, 503);
    const { channel } = await failingCheck('/retry/5xx');
    await a.deliver();
    let [n] = await notificationsOf(channel.id);
    expect(n).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('receiver answered 500') });
    const firstDelay = Date.parse(n.next_attempt_at) - a.clock.now();
    expect(firstDelay).toBeGreaterThanOrEqual(1600);
    expect(firstDelay).toBeLessThanOrEqual(2400);

    await a.advance(firstDelay - 1);
    expect(a.receiver.at('/retry/5xx')).toHaveLength(1);
    await a.advance(1);
    [n] = await notificationsOf(channel.id);
    expect(n).toMatchObject({ status: 'pending', attempts: 2 });
    const secondDelay = Date.parse(n.next_attempt_at) - a.clock.now();
    expect(secondDelay).toBeGreaterThanOrEqual(3200);

    await a.advance(secondDelay);
    [n] = await notificationsOf(channel.id);
    expect(n).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(n.attempt_log.map((x: any) => [x.ok, x.status_code])).toEqual([
      [false, 500],
      [false, 503],
      [true, 200],
    ]);
    expect(n.attempt_log.every((x: any) => x.finished_at && typeof x.latency_ms === 'number')).toBe(true);
    const keys = a.receiver.at('/retry/5xx').map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual([n.idempotency_key, n.idempotency_key, n.idempotency_key]);
  });

  it('does not retry a 404: the notification fails at once and is listed with status=failed', async () => {
    a.receiver.answers.push(404);
    const { channel } = await failingCheck('/final/404');
    await a.deliver();
    await a.advance(3_600_000);
    expect(a.receiver.at('/final/404')).toHaveLength(1);
    const failed = await a.t.api('GET', '/api/v1/notifications?status=failed');
    const mine = failed.body.items.filter((n: any) => n.channel_id === channel.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ attempts: 1, last_error: expect.stringContaining('receiver answered 404'), next_attempt_at: null });
  });

  it('retries a 429, and a failed notification can be sent again by hand once the channel is fixed', async () => {
    a.receiver.answers.push(429, 400);
    const { channel } = await failingCheck('/throttled');
    await a.deliver();
    await a.advance(2400);
    let [n] = await notificationsOf(channel.id);
    expect(n).toMatchObject({ status: 'failed', attempts: 2 });
    const retried = await a.t.api('POST', `/api/v1/notifications/${n.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('pending');
    await a.deliver();
    [n] = await notificationsOf(channel.id);
    expect(n.status).toBe('sent');
    expect((await a.t.api('POST', `/api/v1/notifications/${n.id}/retry`)).status).toBe(409);
  });

  it('treats a receiver that never answers as a timeout and retries it', async () => {
    a.receiver.answers.push('hold');
    const { channel } = await failingCheck('/slow');
    await a.deliver();
    let [n] = await notificationsOf(channel.id);
    expect(n).toMatchObject({ status: 'pending', attempts: 1, last_error: 'timed out after 300 ms' });
    await a.advance(2400);
    [n] = await notificationsOf(channel.id);
    expect(n.status).toBe('sent');
  });

  it('gives up after 12 attempts on a receiver that keeps failing', async () => {
    a.receiver.answers.push(...Array(12).fill(502));
    const { channel } = await failingCheck('/down-for-good');
    await a.deliver();
    for (let i = 0; i < 12; i += 1) await a.advance(2 * 3_600_000);
    const [n] = await notificationsOf(channel.id);
    expect(n).toMatchObject({ status: 'failed', attempts: 12 });
    expect(a.receiver.at('/down-for-good')).toHaveLength(12);
  });
});

describe('backoff', () => {
  it('doubles from 2 s up to an hour, within ±20 % jitter', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, () => 0.5))).toEqual([2000, 4000, 8000, 16000]);
    expect(backoffMs(30, () => 0.5)).toBe(3_600_000);
    expect(backoffMs(1, () => 0)).toBe(1600);
    expect(backoffMs(1, () => 1)).toBe(2400);
  });
});
