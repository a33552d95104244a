// Group commit: concurrent pings share transactions, and every acknowledged ping is in the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCheck, readCheck } from '../support/checks.js';
import { signal } from '../../src/ingest/incoming-signal.js';

describe('group commit', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('200 concurrent pings to 5 checks all answer 2xx, all are stored, in fewer transactions than signals', async () => {
    const checks = await Promise.all([1, 2, 3, 4, 5].map(() => createCheck(t)));
    const stats = t.server.runtime.ingest.stats;
    const before = { ...stats };

    const kinds = ['', '/start', '/log', '/progress/50', '/fail'];
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const check = checks[i % checks.length];
        // Mix the forms: UUID, key, JSON, POST with a body.
        const ref = i % 2 === 0 ? check.id : check.key;
        return t.ping(
          `/ping/${ref}${kinds[i % kinds.length]}?rid=r${i % 7}`,
          i % 3 === 0 ? { method: 'POST', body: `line ${i}` } : undefined,
        );
      }),
    );

    expect(answers.filter((a) => a.status < 200 || a.status >= 300).map((a) => `${a.status} ${a.text}`)).toEqual([]);
    // Acknowledged means stored: the counters and the signal rows agree with what was sent.
    const counts = await Promise.all(checks.map(async (c) => (await readCheck(t, c.id)).signal_count));
    expect(counts).toEqual([40, 40, 40, 40, 40]);
    const db = t.server.runtime.store.db;
    const rows = await db
      .selectFrom('signals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(
        'check_id',
        'in',
        checks.map((c) => c.id),
      )
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(200);

    expect(stats.signals - before.signals).toBe(200);
    expect(stats.failedBatches).toBe(before.failedBatches);
    const transactions = stats.batches - before.batches;
    expect(transactions).toBeGreaterThanOrEqual(1);
    expect(transactions).toBeLessThan(200);
  });

  it('settled() resolves once every signal submitted before it is answered and stored', async () => {
    const check = await createCheck(t);
    const ingest = t.server.runtime.ingest;
    const answered: number[] = [];
    const before = Array.from({ length: 20 }, (_, i) =>
      ingest.submit(signal({ ref: { by: 'id', id: check.id }, kind: 'log', dialect: 'test' })).then(() => answered.push(i)),
    );
    const settled = ingest.settled();
    const after = ingest.submit(signal({ ref: { by: 'id', id: check.id }, kind: 'log', dialect: 'test' }));
    await settled;
    expect(answered).toHaveLength(20);
    expect((await readCheck(t, check.id)).signal_count).toBeGreaterThanOrEqual(20);
    await Promise.all([...before, after]);
    expect((await readCheck(t, check.id)).signal_count).toBe(21);
    // Nothing unanswered: it resolves at once.
    await ingest.settled();
  });

  it('a refused signal changes nothing, so live views hear nothing of its check; an accepted one they hear of', async () => {
    const check = await createCheck(t, { methods: ['POST'] });
    const heard: string[] = [];
    const listen = (rows: { id: string; signal_count: number }[]) => {
      for (const row of rows) if (row.id === check.id) heard.push(`signal_count=${row.signal_count}`);
    };
    t.server.runtime.feed.on('checks', listen);
    try {
      // Kodo refuses a method the check does not accept (the native router stores it as ignored instead).
      expect((await t.ping(`/api/heartbeat/${check.id}`, { headers: { 'x-api-key': t.key } })).status).toBe(405);
      expect(heard).toEqual([]);
      expect((await t.ping(`/ping/${check.id}`, { method: 'POST' })).status).toBe(200);
      expect(heard).toEqual(['signal_count=1']);
    } finally {
      t.server.runtime.feed.off('checks', listen);
    }
  });

  it('a check created and pinged in the same batch (slug + create=1) is created once', async () => {
    const pingKey = (await t.api('GET', '/api/v1/workspace')).body.ping_key;
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.ping(`/ping/${pingKey}/born-in-a-batch?create=1`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const list = await t.api('GET', '/api/v1/checks?q=born-in-a-batch');
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].signal_count).toBe(20);
  });
});
