import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { fieldsFromBody, nestsDeeperThan, signal } from '../../src/ingest/incoming-signal.js';

describe('signals are checked before they join a batch', () => {
  it('a value that cannot be stored is refused with 400 when the signal is built, before it can join a batch', () => {
    const ref = { by: 'id' as const, id: '6766163a-568d-47b4-a1fa-91a0957e06d4' };
    const build = (metadata: Record<string, unknown>) => () => signal({ ref, kind: 'log', dialect: 'test', metadata });
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(build({ n: 1n } as Record<string, unknown>)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_metadata' }));
    expect(build({ x: deep })).toThrow(expect.objectContaining({ status: 400, code: 'invalid_metadata' }));
    expect(build({ blob: 'x'.repeat(70_000) })).toThrow(expect.objectContaining({ status: 400, code: 'invalid_metadata' }));
    expect(signal({ ref, kind: 'log', dialect: 'test', metadata: { ok: [[1]] } }).metadata).toBe('{"ok":[[1]]}');
  });

  it('deep JSON is recognised by a scan, before it is parsed; brackets inside strings do not count', () => {
    expect(nestsDeeperThan('[[[1]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[[1]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":"[[[[\\"[[[["}', 3)).toBe(false);
    expect(nestsDeeperThan('{"a":{"b":{"c":{}}}}', 3)).toBe(true);
    // A ping body nested 20,000 deep gives no message instead of costing a parse.
    expect(fieldsFromBody(`{"message":"x","d":${'['.repeat(20_000)}${']'.repeat(20_000)}}`)).toEqual({ message: null, metadata: null });
    expect(fieldsFromBody('{"message":"backup done"}')).toEqual({ message: 'backup done', metadata: null });
    expect(fieldsFromBody('{"msg":"ok","metadata":{"hostname":"web-1"}}')).toEqual({ message: 'ok', metadata: { hostname: 'web-1' } });
    // Metadata too deep to keep stays in the body: the ping is not refused for it.
    expect(fieldsFromBody(`{"metadata":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`)).toEqual({ message: null, metadata: null });
  });
});

describe('group commit isolation and shared rate limits', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.close();
  });

  it('a signal that fails inside the batch fails alone: the batch commits once with the rest, nothing is replayed', async () => {
    t = await startTestServer();
    const check = (await t.api('POST', '/api/v1/checks', { name: 'isolated' })).body;
    const ingest = t.server.runtime.ingest;
    const ref = { by: 'id' as const, id: check.id };
    // Settings that cannot be serialised: creating the check throws inside the batch, after its first queries.
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const poison = signal({
      ref: { by: 'name', workspaceId: t.workspaceId, name: 'poison' },
      kind: 'success',
      dialect: 'test',
      workspaceId: t.workspaceId,
      createWith: { name: 'poison', schedule: { kind: 'interval', period_s: 60 }, extra: circular },
    });
    const before = { ...ingest.stats };
    const results = await Promise.allSettled([
      ingest.submit(signal({ ref, kind: 'success', dialect: 'test' })),
      ingest.submit(poison),
      ingest.submit(signal({ ref, kind: 'success', dialect: 'test' })),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.kind : 'thrown'))).toEqual(['ok', 'rejected', 'ok']);
    expect(results[1]).toMatchObject({ value: { error: { status: 503 } } });
    expect({ batches: ingest.stats.batches - before.batches, failed: ingest.stats.failedBatches - before.failedBatches }).toEqual({
      batches: 1,
      failed: 0,
    });
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).body.signal_count).toBe(2);
    const poisoned = await t.server.runtime.store.db.selectFrom('checks').select('id').where('name', '=', 'poison').execute();
    expect(poisoned).toEqual([]);
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
