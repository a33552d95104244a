// Check creation a self-hoster can bound: checks per workspace on every way of creating one, checks that pings may
// create per minute, and slugs found in a constant number of queries however many checks share a name (audit #4).
import type { KyselyPlugin } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { rawRequest } from '../support/http.js';
import { createCheck } from '../../src/checks/operations.js';
import { inTransaction } from '../../src/store/transaction.js';
import { T0 } from '../support/checks.js';

/** A plugin that counts the statements Kysely builds through it. */
function queryCounter() {
  const counter = { queries: 0, plugin: null as unknown as KyselyPlugin };
  counter.plugin = {
    transformQuery: (args) => {
      counter.queries += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return counter;
}

describe('slugs of checks that share a name', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.close();
  });

  it('3,000 checks named alike get name, name-2 … name-3000, each in the same small number of queries', { timeout: 180_000 }, async () => {
    t = await startTestServer({ clock: new ManualClock(T0) });
    const db = t.server.runtime.store.db;
    const counter = queryCounter();
    const costs: number[] = [];
    const slugs: string[] = [];
    // A hundred creations per transaction keep the test quick; each is counted on its own.
    for (let batch = 0; batch < 30; batch += 1) {
      await inTransaction(db, async (trx) => {
        const counted = trx.withPlugin(counter.plugin);
        for (let i = 0; i < 100; i += 1) {
          const before = counter.queries;
          // Distinct names that all slugify to "zz" (the audit's repro sent "zz.", "zz!", "zz?!." …).
          const row = await createCheck(
            { db: counted, publicUrl: t.url },
            t.workspaceId,
            { name: `zz${'.!?'[i % 3]}`, schedule: { kind: 'interval', period_s: 60 } },
            T0,
          );
          costs.push(counter.queries - before);
          slugs.push(row.slug);
          // Today's probe loop costs one query per check already named alike: fail fast instead of running for minutes.
          if (costs.at(-1)! > 12) throw new Error(`check ${costs.length} cost ${costs.at(-1)} queries`);
        }
      });
    }
    expect(slugs.slice(0, 3)).toEqual(['zz', 'zz-2', 'zz-3']);
    expect(slugs.at(-1)).toBe('zz-3000');
    expect(new Set(slugs).size).toBe(3000);
    // The 3,000th costs what the 3rd did: the cost does not grow with the number of checks named alike.
    expect(costs.at(-1)).toBe(costs[2]);
    expect(Math.max(...costs.slice(2))).toBe(costs[2]);
  });

  it('a counter started after checks named alike existed skips the suffixes they hold, and a slug chosen by hand', async () => {
    t = await startTestServer();
    const made = async (body: Record<string, unknown>) => (await t.api('POST', '/api/v1/checks', body)).body.slug;
    expect(await made({ name: 'nightly', slug: 'nightly' })).toBe('nightly');
    expect(await made({ name: 'x', slug: 'nightly-7' })).toBe('nightly-7');
    expect(await made({ name: 'nightly' })).toBe('nightly-8');
    expect(await made({ name: 'x', slug: 'nightly-9' })).toBe('nightly-9');
    expect(await made({ name: 'nightly' })).toBe('nightly-10');
  });
});

describe('checks per workspace: OVERDUE_MAX_CHECKS_PER_WORKSPACE', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.close();
  });

  it('every way of creating a check is refused with 403 check_limit_reached, naming the setting, once the workspace is full', async () => {
    t = await startTestServer({ env: { OVERDUE_MAX_CHECKS_PER_WORKSPACE: '2' } });
    expect((await t.api('POST', '/api/v1/checks', { name: 'one' })).status).toBe(201);
    expect((await t.api('POST', '/api/v1/checks', { name: 'two' })).status).toBe(201);
    const expectFull = (res: { status: number; body: any }, how: string) => {
      expect(res.status, how).toBe(403);
      expect(res.body.error.code, how).toBe('check_limit_reached');
      expect(res.body.error.message, how).toContain('OVERDUE_MAX_CHECKS_PER_WORKSPACE');
    };
    const json = (r: { status: number; body: string }) => ({ status: r.status, body: JSON.parse(r.body) });
    const pingKey = (await t.api('GET', '/api/v1/workspace')).body.ping_key;
    const pingScope = await t.keyWithScope('ping');

    expectFull(await t.api('POST', '/api/v1/checks', { name: 'three' }), 'API');
    expectFull(
      await t.api('POST', '/api/v1/checks', { name: 'migrated', id: '6766163a-568d-47b4-a1fa-91a0957e06d4' }),
      'API import with an id',
    );
    expectFull(json(await rawRequest(`${t.url}/ping/${pingKey}/auto?create=1`, { headers: { accept: 'application/json' } })), '?create=1');
    expectFull(
      json(
        await rawRequest(`${t.url}/api/v1/heartbeat/ping`, {
          method: 'POST',
          body: JSON.stringify({ name: 'hexcovery job' }),
          headers: { 'content-type': 'application/json', 'x-api-key': pingScope },
        }),
      ),
      'Hexcovery',
    );
    expectFull(
      json(
        await rawRequest(`${t.url}/api/v3/checks/`, {
          method: 'POST',
          body: JSON.stringify({ name: 'v3' }),
          headers: { 'content-type': 'application/json', 'x-api-key': t.key },
        }),
      ),
      'healthchecks v3',
    );
    expectFull(
      json(
        await rawRequest(`${t.url}/v1/heartbeat`, {
          method: 'POST',
          body: JSON.stringify({ service_id: 'svc', name: 'pinghome', interval: 60 }),
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` },
        }),
      ),
      'Pinghome',
    );
    expect((await t.api('GET', '/api/v1/checks')).body.items).toHaveLength(2);

    // Another workspace has a quota of its own.
    const other = await t.otherWorkspace('write');
    expect((await t.api('POST', '/api/v1/checks', { name: 'theirs' }, other.key)).status).toBe(201);
  });
});

describe('checks created by pings: OVERDUE_AUTO_CREATE_PER_MINUTE', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.close();
  });

  it('beyond the budget a ping that would create a check gets 429 with Retry-After; existing checks still take pings; a minute later creation works again', async () => {
    const clock = new ManualClock(T0);
    t = await startTestServer({ clock, env: { OVERDUE_AUTO_CREATE_PER_MINUTE: '3' } });
    const pingKey = (await t.api('GET', '/api/v1/workspace')).body.ping_key;
    const ping = (slug: string) => rawRequest(`${t.url}/ping/${pingKey}/${slug}?create=1`, { headers: { accept: 'application/json' } });
    const statuses = [];
    for (const slug of ['a1', 'a2', 'a3', 'a4']) statuses.push((await ping(slug)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await ping('a5');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused.body).error).toMatchObject({
      code: 'auto_create_limited',
      message: expect.stringContaining('OVERDUE_AUTO_CREATE_PER_MINUTE'),
    });
    expect((await ping('a1')).status).toBe(200);

    // Hexcovery names draw on the same per-workspace budget.
    const hex = await rawRequest(`${t.url}/api/v1/heartbeat/ping`, {
      method: 'POST',
      body: JSON.stringify({ name: 'job' }),
      headers: { 'content-type': 'application/json', 'x-api-key': await t.keyWithScope('ping') },
    });
    expect(hex.status).toBe(429);
    expect(hex.headers['retry-after']).toBeDefined();

    // The API is not a ping: people creating checks are bounded by the workspace quota, not this budget.
    expect((await t.api('POST', '/api/v1/checks', { name: 'by hand' })).status).toBe(201);
    clock.advance(60_000);
    expect((await ping('a5')).status).toBe(201);
    const names = (await t.api('GET', '/api/v1/checks')).body.items.map((c: { slug: string }) => c.slug).sort();
    expect(names).toEqual(['a1', 'a2', 'a3', 'a5', 'by-hand']);
  });
});
