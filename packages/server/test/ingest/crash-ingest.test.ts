// SIGKILL while clients send signals at full speed, 20 times over: every signal that was answered 2xx is in the
// store after the restart, nothing is stored twice, and every check's counters, chain, runs and deadline agree.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startProcess, until, type ServerProcess } from '../support/process.js';
import { runLoops, type LoopResult, type Sent } from '../support/load.js';
import { auditStore, openStoreFile, postgresReader, sqliteReader, type StoreReader } from '../support/audit.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../support/postgres.js';
import { report } from '../support/report.js';

const ROUNDS = 20;
const LOOPS = 8;
const CHECKS = 10;
// Full speed: neither rate limit may refuse the clients, or they would not be testing durability.
const ENV: Record<string, string> = { OVERDUE_PING_RATE_LIMIT: '1000000', OVERDUE_CLIENT_RATE_LIMIT: '0' };
const STORE = TEST_ENGINE === 'postgres' ? 'PostgreSQL' : 'SQLite, OVERDUE_SQLITE_SYNC=full (the default)';

describe(`SIGKILL during signal ingest (${STORE})`, () => {
  let dataDir: string;
  let database: TestDatabase | null = null;
  let proc: ServerProcess | null = null;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-crash-ingest-'));
    // On PostgreSQL the killed process's store is a database of its own, read afterwards the same way.
    if (TEST_ENGINE === 'postgres') {
      database = await createTestDatabase();
      ENV.DATABASE_URL = database.url;
    }
  });
  afterAll(async () => {
    await proc?.kill();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const openStore = async (): Promise<StoreReader> => (database ? postgresReader(database.url) : sqliteReader(openStoreFile(dataDir)));

  it(`keeps every acknowledged signal and leaves no check inconsistent, over ${ROUNDS} kills`, async () => {
    proc = await startProcess(dataDir, ENV);
    const keys: string[] = [];
    for (let i = 0; i < CHECKS; i += 1) {
      const created = await api(proc.url, 'POST', '/api/v1/checks', {
        name: `crash ${i}`,
        schedule: { kind: 'interval', period_s: 3600 },
        grace_s: 600,
      });
      expect(created.status).toBe(201);
      keys.push(created.body.key);
    }

    let acknowledged = 0;
    let found = 0;
    let stored = 0;
    const delays: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      if (!proc) proc = await startProcess(dataDir, ENV);
      const base = proc.url;
      const openRid = new Map<number, string>();
      // Each signal carries a unique message; runs open and close by rid, some fail, some log with a body.
      const next = (loop: number, seq: number): Sent => {
        const id = `r${round}l${loop}s${seq}`;
        const key = keys[Math.floor(Math.random() * keys.length)];
        const roll = Math.random();
        if (roll < 0.15) {
          openRid.set(loop, id);
          return { path: `/ping/${key}/start?rid=${id}&msg=${id}` };
        }
        if (roll < 0.3 && openRid.has(loop)) {
          const rid = openRid.get(loop)!;
          openRid.delete(loop);
          return { path: `/ping/${key}/0?rid=${rid}&msg=${id}` };
        }
        if (roll < 0.4) return { path: `/ping/${key}/fail?msg=${id}` };
        if (roll < 0.5) return { path: `/ping/${key}/log`, method: 'POST', body: JSON.stringify({ message: id, detail: 'x'.repeat(200) }) };
        return { path: `/ping/${key}?msg=${id}` };
      };
      let killed = false;
      const result: LoopResult = { acknowledged: [], answered: 0, statuses: new Map(), latencies: [] };
      const running = runLoops(base, LOOPS, next, () => killed, result);
      // A random moment once signals are flowing (the first acknowledgement), so every round kills mid-stream.
      await until('the first acknowledged signal', () => (result.acknowledged.length > 0 ? true : undefined), 20_000, 5);
      const delay = Math.floor(Math.random() * 400);
      delays.push(delay);
      await new Promise((r) => setTimeout(r, delay));
      await proc.kill('SIGKILL');
      killed = true;
      proc = null;
      await running;
      expect(result.acknowledged.length, `round ${round}: no signal was acknowledged before the kill`).toBeGreaterThan(0);

      const db = await openStore();
      try {
        const messages = new Set(
          (await db.all<{ message: string }>('select message from signals where message like ?', `r${round}l%`)).map((r) => r.message),
        );
        const acked = result.acknowledged.map((s) => /msg=([^&]+)/.exec(s.path)?.[1] ?? (JSON.parse(s.body!).message as string));
        const missing = acked.filter((m) => !messages.has(m));
        expect(missing, `round ${round}: acknowledged signals missing after SIGKILL`).toEqual([]);
        // Stored but unacknowledged: only requests in flight at the kill, at most one per client loop.
        expect(messages.size - acked.length, `round ${round}: more signals stored than were sent`).toBeLessThanOrEqual(LOOPS);
        expect(await auditStore(db), `round ${round}: store inconsistent after SIGKILL`).toEqual([]);
        acknowledged += acked.length;
        found += acked.length - missing.length;
        stored += messages.size;
      } finally {
        await db.close();
      }
    }
    report('crash-ingest', {
      rounds: ROUNDS,
      acknowledged,
      found,
      stored_including_in_flight: stored,
      kill_delays_after_first_ack_ms: delays.join(','),
    });
    expect(found).toBe(acknowledged);
  }, 150_000);
});
