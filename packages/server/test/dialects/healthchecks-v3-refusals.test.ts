// The healthchecks.io Management API v3, continued: the requests its documentation shows, and what it refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { T0 } from '../support/checks.js';
import { rawRequest } from '../support/http.js';
import { curl } from './support/replay.js';
import { healthchecksClient } from './support/healthchecks-client.js';

describe('healthchecks.io Management API v3: documented requests and refusals', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  const { hc, make } = healthchecksClient(() => t);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  describe("the documentation's own requests", () => {
    const SITE_ROOT = 'https://healthchecks.io';

    it('create with --data (a form, to curl) and the key in a header, or in the body as api_key', async () => {
      const byHeader = await curl(
        t.url,
        `curl ${SITE_ROOT}/api/v3/checks/ \\
    --header "X-Api-Key: your-api-key" \\
    --data '{"name": "Backups", "tags": "prod www", "timeout": 3600, "grace": 60}'`.replace('your-api-key', t.key),
      );
      expect(byHeader.status).toBe(201);
      expect(byHeader.json).toMatchObject({
        name: 'Backups',
        tags: 'prod www',
        timeout: 3600,
        grace: 60,
        status: 'new',
        started: false,
        n_pings: 0,
        channels: '',
      });
      const byBody = await curl(
        t.url,
        `curl ${SITE_ROOT}/api/v3/checks/ \\
    --data '{"api_key": "your-api-key", "name": "Backups", "tags": "prod www", "timeout": 3600, "grace": 60}'`.replace(
          'your-api-key',
          t.key,
        ),
      );
      expect(byBody.status).toBe(201);
      expect(byBody.json.uuid).not.toBe(byHeader.json.uuid);
    });

    it('update, pause and resume with --data "", delete with --request DELETE, list, pings, flips, channels, badges', async () => {
      const created = await make({ name: 'doc flow', timeout: 3600, grace: 60 });
      const uuid = created.uuid;
      const env = { KEY: t.key };
      const update = await curl(
        t.url,
        `curl ${SITE_ROOT}/api/v3/checks/${uuid} --header "X-Api-Key: $KEY" --data '{"name": "Backups", "tags": "prod www", "timeout": 3600, "grace": 60}'`,
        env,
      );
      expect(update).toMatchObject({ status: 200, json: { name: 'Backups', tags: 'prod www' } });
      const pause = await curl(
        t.url,
        `curl ${SITE_ROOT}/api/v3/checks/${uuid}/pause --request POST --header "X-Api-Key: $KEY" --data ""`,
        env,
      );
      expect(pause).toMatchObject({ status: 200, json: { status: 'paused' } });
      const resume = await curl(
        t.url,
        `curl ${SITE_ROOT}/api/v3/checks/${uuid}/resume --request POST --header "X-Api-Key: $KEY" --data ""`,
        env,
      );
      expect(resume).toMatchObject({ status: 200, json: { status: 'new' } });
      expect(
        (await curl(t.url, `curl --header "X-Api-Key: $KEY" ${SITE_ROOT}/api/v3/checks/`, env)).json.checks.map((c: any) => c.uuid),
      ).toContain(uuid);
      expect((await curl(t.url, `curl --header "X-Api-Key: $KEY" ${SITE_ROOT}/api/v3/checks/${uuid}`, env)).json.uuid).toBe(uuid);
      expect((await curl(t.url, `curl ${SITE_ROOT}/api/v3/checks/${uuid}/pings/ --header "X-Api-Key: $KEY"`, env)).json).toEqual({
        pings: [],
      });
      expect(
        (await curl(t.url, `curl ${SITE_ROOT}/api/v3/checks/${uuid}/flips/ --header "X-Api-Key: $KEY"`, env)).json.flips,
      ).toBeInstanceOf(Array);
      expect((await curl(t.url, `curl --header "X-Api-Key: $KEY" ${SITE_ROOT}/api/v3/channels/`, env)).json).toEqual({ channels: [] });
      expect((await curl(t.url, `curl --header "X-Api-Key: $KEY" ${SITE_ROOT}/api/v3/badges/`, env)).json.badges['*']).toBeDefined();
      const deleted = await curl(t.url, `curl ${SITE_ROOT}/api/v3/checks/${uuid} --request DELETE --header "X-Api-Key: $KEY"`, env);
      expect(deleted).toMatchObject({ status: 200, json: { uuid, name: 'Backups' } });
      expect((await hc('GET', `/checks/${uuid}`)).status).toBe(404);
    });
  });

  describe('refusals', () => {
    it('401 without a key or with a wrong one; 403 when the key may not do it', async () => {
      expect((await hc('GET', '/checks/', undefined, null)).status).toBe(401);
      expect((await hc('POST', '/checks/', { name: 'x' }, 'wrong')).status).toBe(401);
      const ro = await t.keyWithScope('read');
      expect((await hc('POST', '/checks/', { name: 'x' }, ro)).status).toBe(403);
      expect((await hc('GET', '/channels/', undefined, ro)).status).toBe(403);
      const check = await make({ name: 'guarded' });
      expect((await hc('GET', `/checks/${check.uuid}/pings/`, undefined, ro)).status).toBe(403);
      expect((await hc('DELETE', `/checks/${check.uuid}`, undefined, ro)).status).toBe(403);
      expect((await hc('GET', '/checks/', undefined, await t.keyWithScope('ping'))).status).toBe(403);
      expect((await hc('GET', `/checks/${check.uuid}`)).status).toBe(200);
    });

    it("404 for an unknown uuid, a malformed one, and another workspace's check", async () => {
      expect((await hc('GET', '/checks/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await hc('POST', '/checks/not-a-uuid/pause', '')).status).toBe(404);
      const other = await t.otherWorkspace('write');
      const theirs = await hc('POST', '/checks/', { name: 'theirs' }, other.key);
      expect((await hc('GET', `/checks/${theirs.json.uuid}`)).status).toBe(404);
      expect((await hc('POST', `/checks/${theirs.json.uuid}`, { name: 'mine now' })).status).toBe(404);
      expect((await hc('DELETE', `/checks/${theirs.json.uuid}`)).status).toBe(404);
      expect((await hc('GET', `/checks/${theirs.json.uuid}`, undefined, other.key)).json.name).toBe('theirs');
    });

    it('400 for values healthchecks.io refuses, with its wording; nothing is created', async () => {
      const before = (await hc('GET', '/checks/')).json.checks.length;
      const cases: Array<[Record<string, unknown> | string, string]> = [
        [{ timeout: 59 }, 'timeout is too small'],
        [{ grace: 31_536_001 }, 'grace is too large'],
        [{ timeout: '3600' }, 'timeout is not a number'],
        [{ name: null }, 'name is not a string'],
        [{ tz: 'Mars/Olympus' }, 'tz is not a valid timezone'],
        [{ schedule: '61 * * * *' }, 'schedule is not a valid'],
        [{ schedule: 'Funday 12:00' }, 'schedule is not a valid'],
        [{ schedule: '*-*~3 12:00' }, 'schedule is not a valid'],
        [{ methods: 'GET' }, 'methods has unexpected value'],
        [{ unique: ['desc'] }, "an item in 'unique'"],
        [{ slug: 'Not Valid' }, 'slug does not match pattern'],
        [{ channels: 'nope' }, 'invalid channel identifier: nope'],
        ['{"name": ', 'JSON object'],
      ];
      for (const [body, message] of cases) {
        const res = await hc('POST', '/checks/', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.json.error.message, JSON.stringify(body)).toContain(message);
      }
      expect((await hc('GET', '/checks/')).json.checks).toHaveLength(before);
    });
  });
});

describe('healthchecks.io API rate limit', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: new ManualClock(T0), env: { OVERDUE_PING_RATE_LIMIT: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('429 with Retry-After once a key has used its burst', async () => {
    for (let i = 0; i < 10; i += 1)
      expect((await rawRequest(`${t.url}/api/v3/checks/`, { headers: { 'x-api-key': t.key } })).status).toBe(200);
    const refused = await rawRequest(`${t.url}/api/v3/checks/`, { headers: { 'x-api-key': t.key } });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    const other = await t.keyWithScope('read');
    expect((await rawRequest(`${t.url}/api/v3/checks/`, { headers: { 'x-api-key': other } })).status).toBe(200);
  });
});
