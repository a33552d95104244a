// The authorization matrix: every route the app serves × {no key, ping key, read key, write key, another
// workspace's write key}, each with the exact status it must answer (the table is in support/authorization-table.ts).
// A route missing from the table fails the suite, so a route added by any branch must be classified when it lands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { setupAdmin } from '../support/session.js';
import { classify, routesOf, unclassified } from '../support/routes.js';
import { CREDENTIALS, fill, TABLE, type Credential, type Fixtures } from '../support/authorization-table.js';
import { report } from '../support/report.js';
import { newId } from '../../src/store/ids.js';
import { insertMembership, insertUser } from '../../src/store/users.js';

const unique = () => Math.random().toString(36).slice(2, 10);

/** One request; an event stream never ends by design, so its status line and headers are its whole answer. */
async function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (/^text\/event-stream/i.test(res.headers.get('content-type') ?? '')) {
    await res.body?.cancel();
    return { status: res.status, text: '' };
  }
  return { status: res.status, text: await res.text() };
}

describe('authorization matrix: every route × every kind of credential', () => {
  let t: TestServer;
  const keys = {} as Record<Credential, string | null>;
  /** Names of this workspace's things that no answer to another workspace's key may contain. */
  const privateNames: string[] = [];
  const project = `private-project-${unique()}`;

  beforeAll(async () => {
    // A manual clock keeps the background workers still: queued notifications stay queued, states stay put.
    t = await startTestServer({ clock: new ManualClock(Date.parse('2026-03-02T10:00:00Z')) });
    // The first admin: setup is closed from now on, and login has an account to sign in to.
    await setupAdmin(t, 'admin@example.com', 'matrix-password');
    // A default channel, so a failing check queues a notification (never sent: the delivery worker is not run).
    expect(
      (await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'default', config: { url: 'https://example.com/hook' } })).status,
    ).toBe(201);
    // A job on a host of a project, whose names must never reach another workspace.
    const job = `private-job-${unique()}`;
    const host = `private-host-${unique()}`;
    const res = await fetch(`${t.url}/api/v1/heartbeat/ping`, {
      method: 'POST',
      body: JSON.stringify({ name: job }),
      headers: { 'x-api-key': t.key, 'content-type': 'application/json', 'x-hexcovery-host': host, 'x-hexcovery-project': project },
    });
    expect(res.status, await res.text()).toBe(201);
    privateNames.push(t.workspaceId, job, host, project);
    keys.none = null;
    keys.ping = await t.keyWithScope('ping');
    keys.read = await t.keyWithScope('read');
    keys.write = await t.keyWithScope('write');
    keys.other = (await t.otherWorkspace('write')).key;
  });
  afterAll(async () => {
    await t.close();
  });

  /** Fixtures for one cell; the names of what they create join `secrets`. */
  const fixtures = (secrets: string[]): Fixtures => ({
    workspaceId: t.workspaceId,
    project,
    async check() {
      const name = `fixture-${unique()}`;
      const res = await t.api('POST', '/api/v1/checks', { name, schedule: { kind: 'interval', period_s: 3600 } });
      expect(res.status).toBe(201);
      secrets.push(name);
      return { id: res.body.id, key: res.body.key, name };
    },
    async pingKey() {
      return (await t.api('GET', '/api/v1/workspace')).body.ping_key;
    },
    async pausedCheck() {
      const { id } = await this.check();
      expect((await t.api('POST', `/api/v1/checks/${id}/pause`)).status).toBe(200);
      return id;
    },
    async pingedCheck() {
      const { id } = await this.check();
      expect((await t.ping(`/ping/${id}`, { method: 'POST', body: 'matrix output' })).status).toBe(200);
      const res = await t.api('GET', `/api/v3/checks/${id}/pings/`);
      expect(res.body.pings, JSON.stringify(res.body)).toHaveLength(1);
      return { id, n: res.body.pings[0].n };
    },
    async channel() {
      const res = await t.api('POST', '/api/v1/channels', {
        kind: 'webhook',
        name: 'fixture',
        config: { url: 'https://example.com/hook' },
        is_default: false,
      });
      expect(res.status).toBe(201);
      return res.body.id;
    },
    async maintenanceWindow() {
      const res = await t.api('POST', '/api/v1/maintenance-windows', { name: `fixture-${unique()}`, cron: '0 2 * * *', duration_s: 600 });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id;
    },
    async incident() {
      const { id } = await this.check();
      expect((await t.ping(`/ping/${id}/fail`)).status).toBe(200);
      const res = await t.api('GET', `/api/v1/incidents?check=${id}`);
      expect(res.body.items).toHaveLength(1);
      return res.body.items[0].id;
    },
    async notification() {
      const { id } = await this.check();
      expect((await t.ping(`/ping/${id}/fail`)).status).toBe(200);
      const res = await t.api('GET', `/api/v1/notifications?check=${id}`);
      expect(res.body.items.length, JSON.stringify(res.body)).toBeGreaterThan(0);
      return String(res.body.items[0].id);
    },
    async apiKey() {
      const res = await t.api('POST', '/api/v1/keys', { name: 'fixture', scope: 'read' });
      expect(res.status).toBe(201);
      return res.body.id;
    },
    async member() {
      // Written straight to the store: accepting an invitation hashes a password, too slow for this many cells
      // (the accept route has cells of its own).
      const email = `member-${unique()}@example.com`;
      const id = newId();
      const db = t.server.runtime.store.db;
      await insertUser(db, { id, email, name: 'Member', password_hash: 'scrypt$unusable', created_at: Date.now(), last_login_at: null });
      await insertMembership(db, { workspace_id: t.workspaceId, user_id: id, role: 'viewer', created_at: Date.now() });
      secrets.push(email);
      return id;
    },
    async invitation() {
      const email = `member-${unique()}@example.com`;
      const res = await t.api('POST', '/api/v1/members', { email, role: 'viewer' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      secrets.push(email);
      return { id: res.body.invitation.id, token: new URL(res.body.accept_url).hash.slice(1) };
    },
    async service() {
      const name = `service-${unique()}`;
      const res = await t.api('POST', '/v1/heartbeat', { service_id: name, name: 'fixture' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      secrets.push(name);
      return res.body.service_id;
    },
    // Issue 9 (operations) fixtures. What they create is published on purpose (badges, the status page), so its
    // names do not join `secrets`.
    async badge() {
      const check = await t.api('POST', '/api/v1/checks', {
        name: `badged-${unique()}`,
        tags: ['matrix'],
        schedule: { kind: 'interval', period_s: 3600 },
      });
      expect(check.status).toBe(201);
      const badges = await t.api('GET', '/api/v1/badges');
      expect(badges.status).toBe(200);
      return { token: badges.body.token, slug: check.body.slug, tag: 'matrix' };
    },
    async statusPage() {
      const slug = 'matrix-page';
      const check = await t.api('POST', '/api/v1/checks', {
        name: `published-${unique()}`,
        schedule: { kind: 'interval', period_s: 3600 },
      });
      expect(check.status).toBe(201);
      expect((await t.api('PUT', '/api/v1/status-page', { slug, title: 'Matrix', checks: [check.body.id] })).status).toBe(200);
      expect([204, 404]).toContain((await t.api('DELETE', '/api/v1/status-page', undefined, keys.other)).status);
      return slug;
    },
  });

  it('classifies every route the app serves', () => {
    expect(unclassified(TABLE, routesOf(t), 'packages/server/test/support/authorization-table.ts')).toEqual([]);
  });

  // Hundreds of cells, each with fresh fixtures: far longer than one ordinary test (the limit is for busy machines).
  it('answers each route × credential with exactly the expected status, and never shows another workspace', async () => {
    const routes = routesOf(t);
    const failures: string[] = [];
    let cells = 0;
    for (const route of routes) {
      const expectation = classify(TABLE, route);
      if (!expectation) continue;
      for (const credential of CREDENTIALS) {
        const secrets = [...privateNames];
        const f = fixtures(secrets);
        const path = await fill(route, f);
        const body = typeof expectation.body === 'function' ? await expectation.body(f) : expectation.body;
        const headers: Record<string, string> = {};
        if (keys[credential]) headers['x-api-key'] = keys[credential]!;
        if (body !== undefined) headers['content-type'] = 'application/json';
        const { status, text } = await send(t.url + path, route.method, headers, body);
        cells += 1;
        const expected = expectation.statuses[credential];
        if (status !== expected)
          failures.push(`${route.method} ${route.url} with ${credential} key: ${status}, expected ${expected} (${text.slice(0, 120)})`);
        if (credential !== 'other' || expectation.signsIn || expectation.tokenInBody) continue;
        // A name the request itself carried may be echoed (a 404 naming what was not found); any other is a leak.
        const sent = decodeURIComponent(path) + JSON.stringify(body ?? '');
        for (const secret of secrets) {
          if (text.includes(secret) && !sent.includes(secret))
            failures.push(`${route.method} ${route.url} showed "${secret}" of the first workspace to another workspace's key`);
        }
      }
    }
    report('authorization-matrix', { routes: routes.length, credentials: CREDENTIALS.length, cells });
    expect(failures).toEqual([]);
    // Hundreds of requests, each with fresh fixtures: the budget grows with the route table, not a timing claim.
  }, 300_000);
});
