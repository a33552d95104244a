// Several Overdue processes on one PostgreSQL database share the work with no coordinator of their own: each
// deadline is noticed once, each incident opened once, each notification sent once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { openStore, type Store } from '../../../src/store/database.js';
import type { Database } from '../../../src/store/schema.js';
import { migrations } from '../../../src/store/migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { startInstance, type Instance } from '../../support/instances.js';
import { runCli } from '../../support/cli.js';
import { startReceiver, type Receiver } from '../../support/http.js';

const KEY = 'cluster-admin-key-0123456789';
const CHECKS = 1000;

/** Runs `work` over `items` with at most `limit` in flight. */
async function inParallel<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function count(db: Kysely<Database>, query: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`${sql.raw(query)}`.execute(db);
  return Number(rows[0].n);
}

describe('three Overdue processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  let store: Store;
  let receiver: Receiver;
  let instances: Instance[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startReceiver();
    // Started at the same moment on an empty database: they take turns to migrate and to create the first workspace.
    const started = await Promise.allSettled(
      [0, 1, 2].map(() =>
        startInstance({
          DATABASE_URL: database.url,
          OVERDUE_BOOTSTRAP_KEY: KEY,
          OVERDUE_ALLOW_PRIVATE_TARGETS: 'true',
          OVERDUE_PING_RATE_LIMIT: '1000000',
          OVERDUE_PG_POOL_SIZE: '5',
        }),
      ),
    );
    instances = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    store = await openStore({ databaseUrl: database.url, dataDir: '/nonexistent', poolSize: 2 });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await store?.close();
    await receiver?.close();
    await database?.drop();
  }, 60_000);

  const api = async (instance: Instance, method: string, route: string, body?: unknown) => {
    const res = await fetch(instance.url + route, {
      method,
      headers: { 'x-api-key': KEY, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('started at once, they migrate the schema once and create one first workspace', async () => {
    expect(await count(store.db, 'select count(*) as n from workspaces')).toBe(1);
    expect(await count(store.db, 'select count(*) as n from kysely_migration')).toBe(Object.keys(migrations).length);
    for (const instance of instances) expect((await fetch(`${instance.url}/healthz`)).status).toBe(200);
  });

  it(`${CHECKS.toLocaleString('en-US')} checks pinged through all three miss their deadlines: each incident is opened and notified exactly once`, async () => {
    const hook = await api(instances[0], 'POST', '/api/v1/channels', {
      kind: 'webhook',
      name: 'cluster hook',
      config: { url: `${receiver.url}/hook` },
    });
    expect(hook.status).toBe(201);

    // A 4-second interval with 1 second of grace: each check goes down 5 seconds after its last ping.
    const created = await inParallel(
      Array.from({ length: CHECKS }, (_, i) => i),
      24,
      async (i) => {
        const res = await api(instances[i % 3], 'POST', '/api/v1/checks', {
          name: `job ${i}`,
          schedule: { kind: 'interval', period_s: 4 },
          grace_s: 1,
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body as { id: string; key: string };
      },
    );

    // Every check is pinged twice at once through two different instances (their batches share checks).
    const pings = created.flatMap(
      (check, i) =>
        [
          [check, i % 3],
          [check, (i + 1) % 3],
        ] as const,
    );
    const statuses = await inParallel(pings, 48, async ([check, n], i) => {
      const res = await fetch(`${instances[n].url}/ping/${i % 2 === 0 ? check.id : check.key}`, { method: 'POST' });
      await res.arrayBuffer();
      return res.status;
    });
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    await until(() => receiver.requests.length >= CHECKS, 60_000, `${CHECKS} webhook notifications (got ${receiver.requests.length})`);
    // Two more deadlines pass (each check misses again every 4 s): still down, nothing new to say.
    await new Promise((r) => setTimeout(r, 5000));

    expect(receiver.requests).toHaveLength(CHECKS);
    const ids = new Set(created.map((c) => c.id));
    const notified = receiver.requests.map((r) => r.json);
    expect(notified.every((n) => n.event === 'check.down')).toBe(true);
    expect(new Set(notified.map((n) => n.check.id))).toEqual(ids);
    expect(new Set(notified.map((n) => n.incident.id)).size).toBe(CHECKS);

    const db = store.db;
    expect(await count(db, "select count(*) as n from checks where signal_count = 2 and status = 'down'")).toBe(CHECKS);
    expect(await count(db, 'select count(*) as n from signals')).toBe(2 * CHECKS);
    expect(await count(db, 'select count(*) as n from incidents')).toBe(CHECKS);
    expect(await count(db, 'select count(distinct check_id) as n from incidents where resolved_at is null')).toBe(CHECKS);
    expect(await count(db, "select count(*) as n from flips where to_status = 'down'")).toBe(CHECKS);
    expect(await count(db, "select count(*) as n from outbox where status = 'sent' and attempts = 1")).toBe(CHECKS);
    expect(await count(db, 'select count(*) as n from outbox')).toBe(CHECKS);
    expect(await count(db, 'select count(*) as n from delivery_attempts')).toBe(CHECKS);
  }, 120_000);

  it('overdue migrate run by three processes at once succeeds in each and applies every migration once', async () => {
    const fresh = await createTestDatabase();
    try {
      const runs = await Promise.all([0, 1, 2].map(() => runCli(['migrate'], { DATABASE_URL: fresh.url })));
      for (const run of runs) expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(runs.filter((r) => r.stdout.includes('applied:'))).toHaveLength(1);
      expect(runs.filter((r) => r.stdout.includes('schema is up to date'))).toHaveLength(2);
      const other = await openStore({ databaseUrl: fresh.url, dataDir: '/nonexistent', poolSize: 1 });
      try {
        expect(await count(other.db, 'select count(*) as n from kysely_migration')).toBe(Object.keys(migrations).length);
      } finally {
        await other.close();
      }
    } finally {
      await fresh.drop();
    }
  });
});
