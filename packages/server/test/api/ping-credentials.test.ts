// Scopes mean what they say (audit finding 7): the read scope (read keys, viewers) reads everything but the ping
// credentials, so it can neither ping a check by its key nor create checks with the workspace ping key; the
// workspace ping key can be rotated, the old one refused at once, while checks keep their own UUID and key URLs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { joinByInvitation, setupAdmin, type Browserish } from '../support/session.js';
import { readIdOf } from '../../src/store/ids.js';

let t: TestServer;
let readKey: string;
let writeKey: string;
let admin: Browserish;

/** A member of the workspace with `role`, signed in. */
async function member(role: 'viewer' | 'editor'): Promise<Browserish> {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@scopes.test`;
  return joinByInvitation(t, email, role, 'scopes-member-password');
}

beforeAll(async () => {
  t = await startTestServer();
  admin = await setupAdmin(t, 'admin@scopes.test', 'scopes-admin-password');
  readKey = await t.keyWithScope('read');
  writeKey = await t.keyWithScope('write');
});
afterAll(async () => {
  await t.close();
});

describe('the read scope', () => {
  it('does not get the workspace ping key (read key and viewer); write keys and editors do', async () => {
    const viewer = await member('viewer');
    for (const res of [await t.api('GET', '/api/v1/workspace', undefined, readKey), await viewer.request('GET', '/api/v1/workspace')]) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ping_key: null, ping_url_base: null });
    }
    const editor = await member('editor');
    for (const res of [await t.api('GET', '/api/v1/workspace', undefined, writeKey), await editor.request('GET', '/api/v1/workspace')]) {
      expect(res.body.ping_key).toMatch(/^[0-9A-Za-z]{22}$/);
      expect(res.body.ping_url_base).toBe(`${t.url}/ping/${res.body.ping_key}`);
    }
  });

  it('sees checks without their key and ping URL, in lists, reads and the hosts roll-up', async () => {
    const created = await t.api('POST', '/api/v1/checks', {
      name: 'nightly export',
      project: 'scopes',
      push_token: 'kuma-push-token-of-nightly',
    });
    expect(created.body.key).toMatch(/^[0-9A-Za-z]{8}$/);
    const viewer = await member('viewer');
    const reads = [
      (await t.api('GET', '/api/v1/checks', undefined, readKey)).body.items.find((c: any) => c.id === readIdOf(created.body.id)),
      (await t.api('GET', `/api/v1/checks/${created.body.id}`, undefined, readKey)).body,
      (await viewer.request('GET', `/api/v1/checks/${created.body.id}`)).body,
    ];
    // The read scope knows checks by read id (test/api/read-ids.test.ts), never by UUID; an Uptime Kuma push token
    // pings too (/api/push/{token}): hidden like the key.
    for (const check of reads)
      expect(check).toMatchObject({ id: readIdOf(created.body.id), name: 'nightly export', key: null, ping_url: null, push_token: null });
    for (const res of [await t.api('GET', '/api/v1/checks', undefined, readKey), await viewer.request('GET', '/api/v1/checks')]) {
      expect(JSON.stringify(res.body)).not.toContain(created.body.key);
      expect(JSON.stringify(res.body)).not.toContain('kuma-push-token-of-nightly');
    }
    const written = await t.api('GET', `/api/v1/checks/${created.body.id}`, undefined, writeKey);
    expect(written.body).toMatchObject({
      key: created.body.key,
      ping_url: `${t.url}/ping/${created.body.key}`,
      push_token: 'kuma-push-token-of-nightly',
    });

    // A job reporting from a host puts its check in the project's hosts roll-up.
    const reported = await fetch(`${t.url}/api/v1/heartbeat/ping`, {
      method: 'POST',
      body: JSON.stringify({ name: 'hosted job' }),
      headers: { 'x-api-key': t.key, 'content-type': 'application/json', 'x-hexcovery-host': 'db-1', 'x-hexcovery-project': 'scopes' },
    });
    expect(reported.status).toBe(201);
    const hosted = (await t.api('GET', '/api/v1/checks?q=hosted job', undefined, writeKey)).body.items[0];
    const hosts = await t.api('GET', '/api/v1/projects/scopes/hosts', undefined, readKey);
    expect(hosts.body.items[0].checks[0]).toMatchObject({ id: readIdOf(hosted.id), key: null });
    expect((await t.api('GET', '/api/v1/projects/scopes/hosts', undefined, writeKey)).body.items[0].checks[0].key).toBe(hosted.key);
  });

  it("gets live check changes without ping credentials, while an editor's stream has them", async () => {
    const created = await t.api('POST', '/api/v1/checks', { name: 'live one' });
    const reader = await firstChecksEvent(readKey, () =>
      t.api('PATCH', `/api/v1/checks/${created.body.id}`, { description: 'changed once' }),
    );
    expect(reader.items[0]).toMatchObject({ id: readIdOf(created.body.id), key: null, ping_url: null });
    const writer = await firstChecksEvent(writeKey, () =>
      t.api('PATCH', `/api/v1/checks/${created.body.id}`, { description: 'changed twice' }),
    );
    expect(writer.items[0]).toMatchObject({ id: created.body.id, key: created.body.key });
  });
});

/** Opens /api/v1/events with `key`, makes a change, and returns the first "checks" event's data. */
async function firstChecksEvent(key: string, change: () => Promise<unknown>): Promise<any> {
  const controller = new AbortController();
  const response = await fetch(`${t.url}/api/v1/events`, { headers: { 'x-api-key': key }, signal: controller.signal });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let changed = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffer += decoder.decode(value, { stream: true });
      if (!changed && buffer.includes('event: hello')) {
        changed = true;
        await change();
      }
      const match = /event: checks\ndata: (.*)\n\n/.exec(buffer);
      if (match) return JSON.parse(match[1]);
    }
  } finally {
    controller.abort();
  }
}

describe('rotating the workspace ping key', () => {
  it('refuses the old key at once; checks keep answering on their own UUID and key URLs', async () => {
    const before = (await t.api('GET', '/api/v1/workspace', undefined, writeKey)).body.ping_key;
    const check = (await t.api('POST', '/api/v1/checks', { name: 'by slug', slug: 'by-slug' })).body;
    expect((await t.ping(`/ping/${before}/by-slug`)).status).toBe(200);

    const rotated = await t.api('POST', '/api/v1/workspace/ping-key/rotate', undefined, writeKey);
    expect(rotated.status).toBe(200);
    expect(rotated.body.ping_key).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(rotated.body.ping_key).not.toBe(before);
    expect(rotated.body.ping_url_base).toBe(`${t.url}/ping/${rotated.body.ping_key}`);
    expect((await t.api('GET', '/api/v1/workspace', undefined, writeKey)).body.ping_key).toBe(rotated.body.ping_key);

    expect((await t.ping(`/ping/${before}/by-slug`)).status).toBe(404);
    expect((await t.ping(`/ping/${before}/made-with-old-key?create=1`)).status).toBe(404);
    expect((await t.api('GET', '/api/v1/checks?q=made-with-old-key')).body.items).toEqual([]);
    expect((await t.ping(`/ping/${rotated.body.ping_key}/by-slug`)).status).toBe(200);
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(200);
    expect((await t.ping(`/ping/${check.key}`)).status).toBe(200);
  });

  it('needs the admin role or a write key: a read key, a viewer and an editor get 403', async () => {
    const before = (await t.api('GET', '/api/v1/workspace', undefined, writeKey)).body.ping_key;
    expect((await t.api('POST', '/api/v1/workspace/ping-key/rotate', undefined, readKey)).status).toBe(403);
    expect((await t.api('POST', '/api/v1/workspace/ping-key/rotate', undefined, await t.keyWithScope('ping'))).status).toBe(403);
    expect((await (await member('viewer')).request('POST', '/api/v1/workspace/ping-key/rotate')).status).toBe(403);
    expect((await (await member('editor')).request('POST', '/api/v1/workspace/ping-key/rotate')).status).toBe(403);
    expect((await t.api('GET', '/api/v1/workspace', undefined, writeKey)).body.ping_key).toBe(before);
    const byAdmin = await admin.request('POST', '/api/v1/workspace/ping-key/rotate');
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.ping_key).not.toBe(before);
  });

  it("rotates only the caller's workspace", async () => {
    const other = await t.otherWorkspace('write');
    const mine = (await t.api('GET', '/api/v1/workspace', undefined, writeKey)).body.ping_key;
    expect((await t.api('POST', '/api/v1/workspace/ping-key/rotate', undefined, other.key)).status).toBe(200);
    expect((await t.api('GET', '/api/v1/workspace', undefined, writeKey)).body.ping_key).toBe(mine);
  });
});
