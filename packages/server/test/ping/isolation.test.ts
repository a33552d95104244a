import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signal } from '../../src/ingest/signal.js';

describe('group commit isolation and shared rate limits', () => {
  let t: TestServer;
  afterEach(async () => { await t.close(); });

  it('a signal the store cannot take fails alone; the rest of its batch is stored and acknowledged', async () => {
    t = await startTestServer();
    const check = (await t.api('POST', '/api/v1/checks', { name: 'isolated' })).body;
    const ingest = t.server.services.ingest;
    const ref = { by: 'id' as const, id: check.id };
    // BigInt metadata cannot be serialised: applying it throws inside the batch transaction.
    const results = await Promise.allSettled([
      ingest.submit(signal({ ref, kind: 'success', dialect: 'test' })),
      ingest.submit(signal({ ref, kind: 'log', dialect: 'test', metadata: { n: 1n } as Record<string, unknown> })),
      ingest.submit(signal({ ref, kind: 'success', dialect: 'test' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ status: 503 });
    const read = await t.api('GET', `/api/v1/checks/${check.id}`);
    expect(read.body.signal_count).toBe(2);
  });

  it('the per-check rate limit is one budget whichever URL form names the check', async () => {
    t = await startTestServer({ env: { OVERDUE_PING_RATE_LIMIT: '1' } });
    const check = (await t.api('POST', '/api/v1/checks', { name: 'limited' })).body;
    // A budget of 1/s with a burst of 10: twelve pings split over the UUID and key forms cannot all pass.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await t.ping(`/ping/${check.id}`)).status);
      statuses.push((await t.ping(`/ping/${check.key}`)).status);
    }
    expect(statuses.filter((s) => s === 200).length).toBe(10);
    expect(statuses.filter((s) => s === 429).length).toBe(2);
  });
});
