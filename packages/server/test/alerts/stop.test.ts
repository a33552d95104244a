// A delivery worker that stops while a digest is in flight hands the whole digest back: every row pending and
// unclaimed at once (not when the lease lapses), its open attempts closed as interrupted, and the next worker
// sends the same rows as one digest with the same idempotency key.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAlerting, type Alerting } from './support/alerting.js';
import { DeliveryWorker } from '../../src/alerts/delivery.js';
import { INTERRUPTED } from '../../src/store/outbox.js';

let a: Alerting;
beforeEach(async () => {
  a = await startAlerting();
});
afterEach(async () => {
  await a.close();
});

describe('stopping the delivery worker', () => {
  it('hands back a digest in flight whole; the next worker sends it as one digest again', async () => {
    expect((await a.t.api('PATCH', '/api/v1/workspace/alerting', { batching: true })).status).toBe(200);
    await a.channel('webhook', { url: `${a.receiver.url}/ops` });
    const checks = [await a.check(), await a.check(), await a.check()];
    for (const check of checks) await a.ping(check, 'fail');
    a.clock.advance(1000);
    a.receiver.answers.push('hold');

    const { runtime } = a.t.server;
    const pass = runtime.delivery.runOnce();
    await a.receiver.waitFor(1);
    await runtime.delivery.stop(0);

    const db = runtime.store.db;
    const rows = await db.selectFrom('outbox').select(['id', 'status', 'attempts', 'claimed_until']).orderBy('id').execute();
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.status === 'pending' && r.attempts === 0 && r.claimed_until == null)).toBe(true);
    const interrupted = await db.selectFrom('delivery_attempts').select(['error', 'finished_at', 'digest_size']).execute();
    expect(interrupted).toEqual(rows.map(() => ({ error: INTERRUPTED, finished_at: expect.any(Number), digest_size: 3 })));

    // The held send times out later; the rows are no longer this worker's, so it settles nothing.
    await pass;
    expect((await db.selectFrom('outbox').select('status').execute()).map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);

    const next = new DeliveryWorker({ store: runtime.store, clock: a.clock, outbound: { allowPrivate: true, timeoutMs: 2000 } });
    expect(await next.runOnce()).toBe(3);
    const [held, sent] = a.receiver.at('/ops');
    expect(sent.json).toMatchObject({ event: 'digest', count: 3 });
    expect(sent.headers['idempotency-key']).toBe(held.headers['idempotency-key']);
    const notifications = (await a.t.api('GET', '/api/v1/notifications?limit=10')).body.items;
    expect(notifications.map((n: any) => n.status)).toEqual(['sent', 'sent', 'sent']);
    for (const n of notifications) expect(n.attempt_log.map((l: any) => l.ok)).toEqual([false, true]);
  });
});
