// Keys: stored hashed, checked per scope; workspaces never see each other's checks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, pingKeyOf } from '../support/checks.js';
import { TEST_ENGINE } from '../support/postgres.js';
import { sql } from 'kysely';

describe('API keys at rest', () => {
  it.runIf(TEST_ENGINE === 'sqlite')('no raw key appears anywhere in the SQLite files, only its hash', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-keys-'));
    try {
      const t = await startTestServer({ dataDir });
      const secrets = await makeKeys(t);
      // Read the files while the server runs (WAL not yet merged) and after it stopped (checkpointed).
      const scan = () => {
        for (const file of fs.readdirSync(dataDir)) {
          const bytes = fs.readFileSync(path.join(dataDir, file));
          for (const secret of secrets) {
            expect(bytes.includes(Buffer.from(secret)), `${secret} in ${file}`).toBe(false);
            expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${secret} (UTF-16) in ${file}`).toBe(false);
          }
        }
      };
      scan();
      await expectOnlyHashes(t);
      await t.close();
      expect(fs.readdirSync(dataDir).some((f) => f.endsWith('.db'))).toBe(true);
      scan();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.runIf(TEST_ENGINE === 'postgres')('no raw key appears in any row of any table on PostgreSQL, only its hash', async () => {
    const t = await startTestServer();
    try {
      const secrets = await makeKeys(t);
      const db = t.server.runtime.store.db;
      const tables = await sql<{
        name: string;
      }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db);
      expect(tables.rows.map((r) => r.name)).toContain('api_keys');
      for (const { name } of tables.rows) {
        const rows = await sql<{ text: string }>`select cast(t as text) as text from ${sql.table(name)} t`.execute(db);
        const dump = rows.rows.map((r) => r.text).join('\n');
        for (const secret of secrets) expect(dump.includes(secret), `${secret} in table ${name}`).toBe(false);
      }
      await expectOnlyHashes(t);
    } finally {
      await t.close();
    }
  });
});

/** Makes keys in every way there is and shows they work; returns their secrets. */
async function makeKeys(t: TestServer): Promise<string[]> {
  const created = await t.api('POST', '/api/v1/keys', { name: 'deploy bot', scope: 'ping' });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ name: 'deploy bot', scope: 'ping', key: expect.stringMatching(/^od_/) });
  const readKey = await t.keyWithScope('read');
  const other = await t.otherWorkspace('write');
  // The keys work, so they are stored somehow.
  for (const key of [ADMIN_KEY, readKey, other.key]) expect((await t.api('GET', '/api/v1/checks', undefined, key)).status).toBe(200);
  // Listing keys never shows a secret.
  const listed = await t.api('GET', '/api/v1/keys');
  expect(JSON.stringify(listed.body)).not.toMatch(/od_/);
  expect(JSON.stringify(listed.body)).not.toContain(ADMIN_KEY);
  return [ADMIN_KEY, created.body.key, readKey, other.key];
}

async function expectOnlyHashes(t: TestServer): Promise<void> {
  const rows = await t.server.runtime.store.db.selectFrom('api_keys').select(['hash', 'lookup']).execute();
  expect(rows.length).toBeGreaterThanOrEqual(4);
  for (const row of rows) expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
}

describe('authentication and scopes', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('401 without a key, with an unknown key, or with a malformed Authorization header', async () => {
    for (const key of [null, 'od_not-a-real-key', ADMIN_KEY.slice(0, -1), ADMIN_KEY + 'x']) {
      const res = await t.api('GET', '/api/v1/checks', undefined, key);
      expect(res.status, String(key)).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    const basic = await fetch(`${t.url}/api/v1/checks`, {
      headers: { authorization: `Basic ${Buffer.from(`x:${ADMIN_KEY}`).toString('base64')}` },
    });
    expect(basic.status).toBe(401);
    const huge = await t.api('GET', '/api/v1/checks', undefined, 'k'.repeat(5000));
    expect(huge.status).toBe(401);
  });

  it('checks the key before reading the body: a keyless request with a bad or large body gets 401, not 400', async () => {
    const bad = await fetch(`${t.url}/api/v1/checks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": 42, "nonsense": true',
    });
    expect(bad.status).toBe(401);
    const large = await fetch(`${t.url}/api/v1/checks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(900_000) }),
    });
    expect(large.status).toBe(401);
    expect((await t.api('GET', '/api/v1/checks?q=xxxxxxxxxx')).body.items).toEqual([]);
  });

  it('accepts the key as X-Api-Key or as a Bearer token', async () => {
    const bearer = await fetch(`${t.url}/api/v1/checks`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(bearer.status).toBe(200);
    const lower = await fetch(`${t.url}/api/v1/checks`, { headers: { authorization: `bearer ${ADMIN_KEY}` } });
    expect(lower.status).toBe(200);
  });

  it('a revoked key stops working', async () => {
    const created = await t.api('POST', '/api/v1/keys', { name: 'temp', scope: 'read' });
    expect((await t.api('GET', '/api/v1/checks', undefined, created.body.key)).status).toBe(200);
    expect((await t.api('DELETE', `/api/v1/keys/${created.body.id}`)).status).toBe(204);
    expect((await t.api('GET', '/api/v1/checks', undefined, created.body.key)).status).toBe(401);
  });

  it('a read key reads but gets 403 for every write', async () => {
    const readKey = await t.keyWithScope('read');
    const check = await createCheck(t);
    expect((await t.api('GET', '/api/v1/checks', undefined, readKey)).status).toBe(200);
    expect((await t.api('GET', `/api/v1/checks/${check.id}/signals`, undefined, readKey)).status).toBe(200);
    const writes: Array<[string, string, unknown?]> = [
      ['POST', '/api/v1/checks', { name: 'nope' }],
      ['PATCH', `/api/v1/checks/${check.id}`, { name: 'nope' }],
      ['DELETE', `/api/v1/checks/${check.id}`],
      ['POST', `/api/v1/checks/${check.id}/pause`],
      ['POST', `/api/v1/checks/${check.id}/resume`],
      ['POST', '/api/v1/channels', { kind: 'webhook', name: 'x', config: { url: 'https://example.com/' } }],
      ['POST', '/api/v1/keys', { name: 'escalate', scope: 'write' }],
      ['GET', '/api/v1/keys'],
    ];
    for (const [method, route, body] of writes) {
      const res = await t.api(method, route, body, readKey);
      expect(res.status, `${method} ${route}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.body.error.message).toMatch(/"read" scope/);
    }
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).body).toEqual(check);
  });

  it('a ping key can neither write nor read the management API', async () => {
    const pingKey = await t.keyWithScope('ping');
    const check = await createCheck(t);
    expect((await t.api('POST', '/api/v1/checks', { name: 'nope' }, pingKey)).status).toBe(403);
    expect((await t.api('PATCH', `/api/v1/checks/${check.id}`, { name: 'nope' }, pingKey)).status).toBe(403);
    expect((await t.api('DELETE', `/api/v1/checks/${check.id}`, undefined, pingKey)).status).toBe(403);
    expect((await t.api('GET', '/api/v1/checks', undefined, pingKey)).status).toBe(403);
  });
});

describe('workspace isolation', () => {
  let t: TestServer;
  let mine: any;
  let other: { workspaceId: string; key: string; pingKey: string };
  beforeAll(async () => {
    t = await startTestServer();
    mine = await createCheck(t, { name: 'mine', slug: 'shared-slug', tags: ['secret'], project: 'p', service: 'svc' });
    await t.ping(`/ping/${mine.id}`);
    other = await t.otherWorkspace('write');
  });
  afterAll(async () => {
    await t.close();
  });

  it("another workspace's key gets 404 for this workspace's check, by UUID and by key, on every route", async () => {
    for (const ref of [mine.id, mine.key]) {
      const routes: Array<[string, string, unknown?]> = [
        ['GET', `/api/v1/checks/${ref}`],
        ['PATCH', `/api/v1/checks/${ref}`, { name: 'stolen' }],
        ['DELETE', `/api/v1/checks/${ref}`],
        ['POST', `/api/v1/checks/${ref}/pause`],
        ['POST', `/api/v1/checks/${ref}/resume`],
        ['GET', `/api/v1/checks/${ref}/runs`],
        ['GET', `/api/v1/checks/${ref}/signals`],
        ['GET', `/api/v1/checks/${ref}/flips`],
        ['GET', `/api/v1/checks/${ref}/stats`],
        ['GET', `/api/v1/checks/${ref}/timeline`],
        ['GET', `/api/v1/incidents?check=${ref}`],
      ];
      for (const [method, route, body] of routes) {
        const res = await t.api(method, route, body, other.key);
        expect(res.status, `${method} ${route}`).toBe(404);
        expect(JSON.stringify(res.body)).not.toContain('mine');
      }
    }
    // Nothing changed.
    expect((await t.api('GET', `/api/v1/checks/${mine.id}`)).body).toMatchObject({ name: 'mine', status: 'up' });
  });

  it("another workspace's list, filters and search never include this workspace's checks", async () => {
    await t.api('POST', '/api/v1/checks', { name: 'theirs', slug: 'shared-slug' }, other.key);
    for (const query of ['', '?q=mine', '?tag=secret', '?project=p', '?service=svc', '?status=up', `?service=${mine.service.id}`]) {
      const res = await t.api('GET', `/api/v1/checks${query}`, undefined, other.key);
      expect(res.status).toBe(200);
      expect(
        res.body.items.map((c: any) => c.id),
        query,
      ).not.toContain(mine.id);
    }
    const all = await t.api('GET', '/api/v1/checks', undefined, other.key);
    expect(all.body.items.map((c: any) => c.name)).toEqual(['theirs']);
    const mineList = await t.api('GET', '/api/v1/checks');
    expect(mineList.body.items.map((c: any) => c.name)).not.toContain('theirs');
  });

  it('the same slug in two workspaces: each ping key reaches only its own check', async () => {
    const theirs = (await t.api('GET', '/api/v1/checks?q=theirs', undefined, other.key)).body.items[0];
    expect((await t.ping(`/ping/${other.pingKey}/shared-slug`)).status).toBe(200);
    expect((await t.api('GET', `/api/v1/checks/${theirs.id}`, undefined, other.key)).body.signal_count).toBe(1);
    expect((await t.api('GET', `/api/v1/checks/${mine.id}`)).body.signal_count).toBe(1);
    // create=1 under the other ping key creates in the other workspace only.
    expect((await t.ping(`/ping/${other.pingKey}/made-over-there?create=1`)).status).toBe(201);
    expect((await t.api('GET', '/api/v1/checks?q=made-over-there')).body.items).toEqual([]);
    expect((await t.api('GET', '/api/v1/checks?q=made-over-there', undefined, other.key)).body.items).toHaveLength(1);
    expect(await pingKeyOf(t, other.key)).toBe(other.pingKey);
  });

  it('channels, incidents and keys are per workspace too', async () => {
    const channel = await t.api('POST', '/api/v1/channels', {
      kind: 'webhook',
      name: 'mine',
      config: { url: 'https://hooks.example.com/a' },
    });
    expect(channel.status).toBe(201);
    expect((await t.api('GET', '/api/v1/channels', undefined, other.key)).body.items).toEqual([]);
    expect((await t.api('GET', `/api/v1/channels/${channel.body.id}`, undefined, other.key)).status).toBe(404);
    expect((await t.api('DELETE', `/api/v1/channels/${channel.body.id}`, undefined, other.key)).status).toBe(404);
    expect((await t.api('POST', '/api/v1/checks', { name: 'borrow', channels: [channel.body.id] }, other.key)).status).toBe(400);
    const keys = await t.api('GET', '/api/v1/keys', undefined, other.key);
    expect(keys.body.items.map((k: any) => k.name)).toEqual(['other']);
    const myKeyId = (await t.api('GET', '/api/v1/keys')).body.items[0].id;
    expect((await t.api('DELETE', `/api/v1/keys/${myKeyId}`, undefined, other.key)).status).toBe(404);
    expect((await t.api('GET', '/api/v1/checks')).status).toBe(200);
    await t.ping(`/ping/${mine.id}/fail`);
    expect((await t.api('GET', '/api/v1/incidents')).body.items).toHaveLength(1);
    expect((await t.api('GET', '/api/v1/incidents', undefined, other.key)).body.items).toEqual([]);
  });
});
