// Scopes mean what they say (issue 12): /ping/{uuid} pings, so the read scope (read keys, viewers) never sees a
// check's UUID. Every read answer names checks by their read id instead, every read route takes that read id, and
// the read id pings nothing. The write scope (editors, write keys) keeps seeing UUIDs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { joinByInvitation, setupAdmin, type Browserish } from '../support/session.js';
import { Migrator } from 'kysely';
import { readIdOf } from '../../src/store/ids.js';
import { migrations } from '../../src/store/migrations/index.js';

let t: TestServer;
let readKey: string;
let writeKey: string;
let viewer: Browserish;
let editor: Browserish;
/** A check with runs, signals, a flip, an incident, a notification, a channel, a host and a status page. */
let check: { id: string; key: string; readId: string };
/** A Pinghome heartbeat (a check in a service). */
let heartbeat: { id: string; readId: string; service: string };
let incidentId: string;
let notificationId: string;
let channelId: string;
const project = 'read-ids';

beforeAll(async () => {
  // A manual clock keeps the workers still: the queued notification stays queued.
  t = await startTestServer({ clock: new ManualClock(Date.parse('2026-03-02T10:00:00Z')) });
  await setupAdmin(t, 'admin@read-ids.test', 'read-ids-admin-password');
  viewer = await joinByInvitation(t, 'viewer@read-ids.test', 'viewer', 'read-ids-viewer-password');
  editor = await joinByInvitation(t, 'editor@read-ids.test', 'editor', 'read-ids-editor-password');
  readKey = await t.keyWithScope('read');
  writeKey = await t.keyWithScope('write');

  const channel = await t.api('POST', '/api/v1/channels', {
    kind: 'webhook',
    name: 'default',
    config: { url: 'https://example.com/hook' },
    is_default: true,
  });
  expect(channel.status).toBe(201);
  channelId = channel.body.id;
  const reported = await fetch(`${t.url}/api/v1/heartbeat/ping`, {
    method: 'POST',
    body: JSON.stringify({ name: 'hosted job' }),
    headers: { 'x-api-key': t.key, 'content-type': 'application/json', 'x-hexcovery-host': 'db-1', 'x-hexcovery-project': project },
  });
  expect(reported.status).toBe(201);
  const hosted = (await t.api('GET', '/api/v1/checks?q=hosted job')).body.items[0];
  check = { id: hosted.id, key: hosted.key, readId: readIdOf(hosted.id) };
  expect((await t.api('POST', `/api/v1/channels/${channelId}/checks`, { checks: [check.id] })).status).toBe(200);
  expect((await t.ping(`/ping/${check.id}/start`)).status).toBe(200);
  expect((await t.ping(`/ping/${check.id}`, { method: 'POST', body: `done; pinged ${t.url}/ping/${check.id}` })).status).toBe(200);
  expect((await t.ping(`/ping/${check.id}/fail`)).status).toBe(200);
  incidentId = (await t.api('GET', `/api/v1/incidents?check=${check.id}`)).body.items[0].id;
  const notifications = (await t.api('GET', `/api/v1/notifications?check=${check.id}`)).body.items;
  expect(notifications.length).toBeGreaterThan(0);
  notificationId = String(notifications[0].id);
  const page = await t.api('PUT', '/api/v1/status-page', { slug: 'read-ids', title: 'Read ids', checks: [check.id] });
  expect(page.status, JSON.stringify(page.body)).toBe(200);

  const created = await t.api('POST', '/v1/heartbeat', { service_id: 'read-ids-service', name: 'pinghome beat' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const beat = (await t.api('GET', '/api/v1/checks?q=pinghome beat')).body.items[0];
  heartbeat = { id: beat.id, readId: readIdOf(beat.id), service: created.body.service_id };
  // The check depends on the heartbeat: answers about the check name another check (depends_on) by its UUID for writers.
  expect((await t.api('PATCH', `/api/v1/checks/${check.id}`, { depends_on: [heartbeat.id] })).status).toBe(200);
});
afterAll(async () => {
  await t.close();
});

/** Every read route of the native API, naming checks by `ref` (a read id for the read scope, else a UUID). */
const nativeReads = (ref: string) => [
  '/api/v1/checks',
  '/api/v1/checks?limit=1',
  `/api/v1/checks/${ref}`,
  `/api/v1/checks/${ref}/runs`,
  `/api/v1/checks/${ref}/signals`,
  `/api/v1/checks/${ref}/signals?full=true`,
  `/api/v1/checks/${ref}/flips`,
  `/api/v1/checks/${ref}/timeline`,
  `/api/v1/checks/${ref}/stats`,
  '/api/v1/incidents',
  `/api/v1/incidents?check=${ref}`,
  `/api/v1/incidents/${incidentId}`,
  '/api/v1/notifications',
  `/api/v1/notifications?check=${ref}`,
  `/api/v1/notifications/${notificationId}`,
  '/api/v1/projects',
  `/api/v1/projects/${project}/hosts`,
  '/api/v1/channels',
  `/api/v1/channels/${channelId}`,
  '/api/v1/status-page',
  '/api/v1/metrics',
  '/api/v1/workspace',
  '/api/v1/badges',
];
/** The read routes of the other services' APIs a read key may use. */
const dialectReads = (ref: string, beat: string) => [
  '/api/v3/checks/',
  `/api/v3/checks/${ref}`,
  `/api/v3/checks/${ref}/flips/`,
  '/api/v3/badges/',
  `/api/monitoring/heartbeat/${ref}`,
  `/v1/heartbeat/${beat}`,
  `/v1/heartbeat/${beat}/events`,
  `/v1/heartbeat/${beat}/statistic`,
  `/v1/service/${heartbeat.service}/heartbeats`,
];

async function get(caller: string | Browserish, route: string): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = typeof caller === 'string' ? { 'x-api-key': caller } : { cookie: caller.cookie };
  const res = await fetch(t.url + route, { headers });
  return { status: res.status, text: await res.text() };
}

describe('the read scope (a read key, a viewer)', () => {
  it('reads every read route by read id and finds no UUID or key of a check in any answer', async () => {
    const secrets = [check.id, check.key, heartbeat.id];
    const callers: Array<[string, string | Browserish, string[]]> = [
      ['read key', readKey, [...nativeReads(check.readId), ...dialectReads(check.readId, heartbeat.readId)]],
      ['viewer', viewer, nativeReads(check.readId)],
    ];
    for (const [who, caller, routes] of callers) {
      for (const route of routes) {
        const res = await get(caller, route);
        expect(res.status, `${who} GET ${route}: ${res.text}`).toBe(200);
        for (const secret of secrets) expect(res.text, `${who} GET ${route}`).not.toContain(secret);
      }
    }
    // What the answers call the check is its read id.
    expect((await t.api('GET', `/api/v1/checks/${check.readId}`, undefined, readKey)).body).toMatchObject({
      id: check.readId,
      name: 'hosted job',
    });
    expect((await viewer.request('GET', `/api/v1/incidents/${incidentId}`)).body).toMatchObject({ check_id: check.readId });
    expect((await t.api('GET', `/api/v3/checks/${check.readId}`, undefined, readKey)).body).toMatchObject({ unique_key: check.readId });
    // The public status page that shows the check names it by neither.
    const page = await t.ping('/status/read-ids');
    expect(page.status).toBe(200);
    for (const secret of [...secrets, check.readId]) expect(page.text).not.toContain(secret);
  });

  it('gets no UUID even when it names the check by UUID, nor one hidden in the paging cursor', async () => {
    for (const route of nativeReads(check.id)) {
      const res = await get(readKey, route);
      expect(res.status, route).toBe(200);
      expect(res.text, route).not.toContain(check.id);
    }
    const first = await t.api('GET', '/api/v1/checks?limit=1', undefined, readKey);
    expect(first.body.next_cursor).not.toBeNull();
    expect(Buffer.from(first.body.next_cursor, 'base64url').toString()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    const second = await t.api('GET', `/api/v1/checks?limit=1&cursor=${first.body.next_cursor}`, undefined, readKey);
    expect(second.status).toBe(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  it('cannot ping with a read id: /ping/{read id} is 404 and records nothing', async () => {
    const before = (await t.api('GET', `/api/v1/checks/${check.id}`)).body.signal_count;
    for (const route of [`/ping/${check.readId}`, `/ping/${check.readId}/fail`, `/ping/${check.readId}/start`]) {
      expect((await t.ping(route)).status, route).toBe(404);
    }
    expect((await t.ping(`/ping/${check.readId}`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).body.signal_count).toBe(before);
  });

  it('gets live changes naming checks by read id', async () => {
    const data = await firstChecksEvent({ cookie: viewer.cookie }, () =>
      t.api('PATCH', `/api/v1/checks/${check.id}`, { description: 'live' }),
    );
    expect(data.items[0]).toMatchObject({
      id: check.readId,
      description: 'live',
      depends_on: [{ id: heartbeat.readId, name: 'pinghome beat' }],
    });
    expect(JSON.stringify(data)).not.toContain(check.id);
    expect(JSON.stringify(data)).not.toContain(heartbeat.id);
    const deleted = await t.api('POST', '/api/v1/checks', { name: 'to be deleted' });
    const gone = await firstEvent('deleted', { 'x-api-key': readKey }, () => t.api('DELETE', `/api/v1/checks/${deleted.body.id}`));
    expect(gone.ids).toEqual([readIdOf(deleted.body.id)]);
  });
});

describe('the write scope (an editor, a write key)', () => {
  it('keeps seeing UUIDs, and may name checks by read id too', async () => {
    expect((await editor.request('GET', `/api/v1/checks/${check.id}`)).body).toMatchObject({ id: check.id, key: check.key });
    expect((await t.api('GET', `/api/v1/checks/${check.readId}`, undefined, writeKey)).body).toMatchObject({ id: check.id });
    expect((await t.api('GET', `/api/v1/incidents/${incidentId}`, undefined, writeKey)).body).toMatchObject({ check_id: check.id });
    expect((await t.api('GET', `/api/v3/checks/${check.id}`, undefined, writeKey)).body).toMatchObject({ uuid: check.id });
    const data = await firstChecksEvent({ cookie: editor.cookie }, () =>
      t.api('PATCH', `/api/v1/checks/${check.id}`, { description: 'live again' }),
    );
    expect(data.items[0]).toMatchObject({ id: check.id });
  });
});

const firstChecksEvent = (headers: Record<string, string>, change: () => Promise<unknown>) => firstEvent('checks', headers, change);

/** Opens /api/v1/events, makes a change once the stream says hello, and returns the first `name` event's data. */
async function firstEvent(name: string, headers: Record<string, string>, change: () => Promise<unknown>): Promise<any> {
  const controller = new AbortController();
  const response = await fetch(`${t.url}/api/v1/events`, { headers, signal: controller.signal });
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
      const match = new RegExp(`event: ${name}\\ndata: (.*)\\n\\n`).exec(buffer);
      if (match) return JSON.parse(match[1]);
    }
  } finally {
    controller.abort();
  }
}

describe('migration 0016', () => {
  it('gives checks that existed before it their read ids, and new checks get theirs on create', async () => {
    const db = t.server.runtime.store.db;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    // Back to the migration just before 0016 (whichever that is once other migrations land), then forward again.
    const names = Object.keys(migrations).sort();
    const down = await migrator.migrateTo(names[names.indexOf('0016_check_read_ids') - 1]);
    expect(down.error).toBeUndefined();
    const existing = await db.selectFrom('checks').select('id').execute();
    expect(existing.length).toBeGreaterThan(1);
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    const rows = await db.selectFrom('checks').select(['id', 'read_id']).execute();
    expect(rows.map((r) => [r.id, r.read_id]).sort()).toEqual(existing.map((r) => [r.id, readIdOf(r.id)]).sort());
    const created = await t.api('POST', '/api/v1/checks', { name: 'after the migration' }, writeKey);
    expect((await t.api('GET', `/api/v1/checks/${readIdOf(created.body.id)}`, undefined, readKey)).body.name).toBe('after the migration');
  });
});
