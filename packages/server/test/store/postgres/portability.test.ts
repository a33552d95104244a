// What PostgreSQL stores differently from SQLite, made invisible to clients: text with NUL characters, 64-bit
// times and counters, and the chain walk over a long signal history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createCheck, history, readCheck } from '../../support/checks.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';

describe('PostgreSQL stores what SQLite stores', () => {
  let database: TestDatabase;
  let t: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestServer({ env: { DATABASE_URL: database.url } });
  });

  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('accepts a NUL character in any text (a name, a description) and stores it as U+FFFD instead of failing', async () => {
    const res = await t.api('POST', '/api/v1/checks', {
      name: 'nightly\u0000backup',
      description: 'a\u0000b',
      schedule: { kind: 'interval', period_s: 60 },
    });
    expect(res.status).toBe(201);
    const read = await readCheck(t, res.body.id);
    expect(read.name).toBe('nightly\uFFFDbackup');
    expect(read.description).toBe('a\uFFFDb');
  });

  it('returns epoch-millisecond times and counters as numbers, not strings', async () => {
    const check = await createCheck(t);
    await t.ping(`/ping/${check.id}`);
    const row = await t.server.runtime.store.db
      .selectFrom('checks')
      .select(['last_signal_at', 'signal_count', 'created_at', 'last_signal_id'])
      .where('id', '=', check.id)
      .executeTakeFirstOrThrow();
    expect(typeof row.last_signal_at).toBe('number');
    expect(typeof row.signal_count).toBe('number');
    expect(typeof row.created_at).toBe('number');
    expect(typeof row.last_signal_id).toBe('number');
    expect(row.signal_count).toBe(1);
  });

  it("walks a check's signal chain page by page, newest first", async () => {
    const check = await createCheck(t);
    for (let i = 0; i < 30; i += 1) expect((await t.ping(`/ping/${check.key}?msg=${i}`)).status).toBe(200);
    const first = await t.api('GET', `/api/v1/checks/${check.id}/signals?limit=20`);
    expect(first.body.items.map((s: any) => s.message)).toEqual(Array.from({ length: 20 }, (_, i) => String(29 - i)));
    const second = await t.api('GET', `/api/v1/checks/${check.id}/signals?limit=20&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((s: any) => s.message)).toEqual(Array.from({ length: 10 }, (_, i) => String(9 - i)));
    expect(second.body.next_cursor).toBeNull();
    expect(await history(t, check.id, 'signals', '?limit=500')).toHaveLength(30);
  });
});
