// protocol.md §3: every way to name a check in a ping URL, every action suffix, methods and refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, pingKeyOf, readCheck } from '../support/checks.js';
import { rawRequest } from '../support/http.js';

describe('ping URLs', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('naming the check', () => {
    it('by UUID answers a plain-text OK and records a success', async () => {
      const check = await createCheck(t);
      const res = await t.ping(`/ping/${check.id}`);
      expect(res.status).toBe(200);
      expect(res.text).toBe('OK');
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await readCheck(t, check.id)).toMatchObject({ status: 'up', signal_count: 1 });
    });

    it('by UUID in upper case finds the same check', async () => {
      const check = await createCheck(t);
      expect((await t.ping(`/ping/${check.id.toUpperCase()}`)).status).toBe(200);
      expect((await readCheck(t, check.id)).signal_count).toBe(1);
    });

    it('by 8-character key answers JSON (CronBeats clients expect it)', async () => {
      const check = await createCheck(t);
      const res = await t.ping(`/ping/${check.key}`);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toMatchObject({ ok: true, action: 'success', job_key: check.key });
      expect((await readCheck(t, check.key)).status).toBe('up');
    });

    it('by ping key + slug reaches an existing check', async () => {
      const check = await createCheck(t, { slug: 'nightly-backup' });
      const pingKey = await pingKeyOf(t);
      expect((await t.ping(`/ping/${pingKey}/nightly-backup`)).status).toBe(200);
      expect((await readCheck(t, check.id)).signal_count).toBe(1);
    });

    it('by ping key + unknown slug is 404 without create=1', async () => {
      const pingKey = await pingKeyOf(t);
      const res = await t.ping(`/ping/${pingKey}/never-created`);
      expect(res.status).toBe(404);
      const list = await t.api('GET', '/api/v1/checks?q=never-created');
      expect(list.body.items).toEqual([]);
    });

    it('by ping key + slug with ?create=1 creates the check (201), then pings it (200)', async () => {
      const pingKey = await pingKeyOf(t);
      const first = await t.ping(`/ping/${pingKey}/made-by-ping?create=1`);
      expect(first.status).toBe(201);
      const second = await t.ping(`/ping/${pingKey}/made-by-ping?create=1`);
      expect(second.status).toBe(200);
      expect(second.text).toBe('OK');
      const list = await t.api('GET', '/api/v1/checks?q=made-by-ping');
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).toMatchObject({ slug: 'made-by-ping', status: 'up', signal_count: 2 });
    });

    it('create=1 with a start signal creates the check and opens a run', async () => {
      const pingKey = await pingKeyOf(t);
      const res = await t.ping(`/ping/${pingKey}/created-by-start/start?create=1`, { headers: { accept: 'application/json' } });
      expect(res.status).toBe(201);
      expect(JSON.parse(res.text)).toMatchObject({ ok: true, action: 'start' });
      const [check] = (await t.api('GET', '/api/v1/checks?q=created-by-start')).body.items;
      expect(check).toMatchObject({ running: true, run_count: 1 });
    });

    it('create=1 with a slug that is not a valid slug is a 400, and nothing is created', async () => {
      const pingKey = await pingKeyOf(t);
      const res = await t.ping(`/ping/${pingKey}/${encodeURIComponent('bad.slug!')}?create=1`);
      expect(res.status).toBe(400);
      expect((await t.api('GET', '/api/v1/checks?q=bad.slug')).body.items).toEqual([]);
    });

    it('a ping key of no workspace with create=1 is 404 and creates nothing', async () => {
      const res = await t.ping('/ping/AAAAAAAAAAAAAAAAAAAAAA/ghost?create=1');
      expect(res.status).toBe(404);
    });

    it('an unknown UUID, key or malformed reference is 404', async () => {
      expect((await t.ping('/ping/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await t.ping('/ping/Zz9Zz9Zz')).status).toBe(404);
      expect((await t.ping('/ping/not-a-check-reference')).status).toBe(404);
      expect((await t.ping('/ping/')).status).toBe(404);
    });

    it('a disabled check is 404 and its counters do not move', async () => {
      const check = await createCheck(t, { enabled: false });
      expect((await t.ping(`/ping/${check.id}`)).status).toBe(404);
      expect((await t.ping(`/ping/${check.key}`)).status).toBe(404);
      expect((await readCheck(t, check.id)).signal_count).toBe(0);
    });
  });

  describe('methods', () => {
    it('accepts GET, HEAD and POST', async () => {
      const check = await createCheck(t);
      const get = await t.ping(`/ping/${check.id}`, { method: 'GET' });
      const head = await t.ping(`/ping/${check.id}`, { method: 'HEAD' });
      const post = await t.ping(`/ping/${check.id}`, { method: 'POST', body: 'done' });
      expect([get.status, head.status, post.status]).toEqual([200, 200, 200]);
      expect(head.text).toBe('');
      const signals = await history(t, check.id, 'signals');
      expect(signals.map((s) => s.method).sort()).toEqual(['GET', 'HEAD', 'POST']);
    });

    it('refuses other methods with 405 and Allow: GET, HEAD, POST', async () => {
      const check = await createCheck(t);
      for (const method of ['PUT', 'DELETE', 'PATCH']) {
        const res = await t.ping(`/ping/${check.id}`, { method });
        expect(res.status, method).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
      }
      expect((await readCheck(t, check.id)).signal_count).toBe(0);
    });

    it("a check's methods narrow what counts: others answer 200 and are stored as ignored (test/dialects/methods.test.ts)", async () => {
      const check = await createCheck(t, { methods: ['post'] });
      expect(check.methods).toEqual(['POST']);
      expect((await t.ping(`/ping/${check.id}`)).status).toBe(200);
      expect((await readCheck(t, check.id)).status).toBe('new');
      expect((await t.ping(`/ping/${check.id}`, { method: 'POST' })).status).toBe(200);
      expect((await readCheck(t, check.id)).status).toBe('up');
    });
  });

  describe('suffixes', () => {
    it('answers 400 for an unknown action', async () => {
      const check = await createCheck(t);
      for (const suffix of ['bogus', 'end', 'end/maybe', 'start/now', 'progress/50/more', 'fail/1']) {
        const res = await t.ping(`/ping/${check.id}/${suffix}`);
        expect(res.status, suffix).toBe(400);
        expect(res.text, suffix).toMatch(/unknown ping action/);
      }
      expect((await readCheck(t, check.id)).signal_count).toBe(0);
    });

    it('answers 400 for a progress percent over 100 or not a whole number', async () => {
      const check = await createCheck(t);
      for (const percent of ['101', '250', '1000', '-1', '12.5', 'half']) {
        const res = await t.ping(`/ping/${check.id}/progress/${percent}`);
        expect(res.status, percent).toBe(400);
      }
      expect((await t.ping(`/ping/${check.id}/progress/100`)).status).toBe(200);
      expect((await t.ping(`/ping/${check.id}/progress/0`)).status).toBe(200);
    });

    it('answers 400 for an exit status over 255', async () => {
      const check = await createCheck(t);
      const res = await t.ping(`/ping/${check.id}/256`);
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/0 and 255/);
      expect((await t.ping(`/ping/${check.id}/255`)).status).toBe(200);
    });

    it('maps every suffix to its signal kind', async () => {
      const check = await createCheck(t);
      const suffixes: Array<[string, string]> = [
        ['', 'success'],
        ['/start', 'start'],
        ['/log', 'log'],
        ['/progress', 'progress'],
        ['/progress/40', 'progress'],
        ['/fail', 'fail'],
        ['/end/fail', 'fail'],
        ['/end/success', 'success'],
        ['/success', 'success'],
        ['/0', 'success'],
        ['/7', 'fail'],
      ];
      for (const [suffix] of suffixes) expect((await t.ping(`/ping/${check.id}${suffix}`)).status, suffix).toBe(200);
      const kinds = (await history(t, check.id, 'signals')).reverse().map((s) => s.kind);
      expect(kinds).toEqual(suffixes.map(([, kind]) => kind));
    });

    it('the slug form takes suffixes after the slug', async () => {
      const check = await createCheck(t, { slug: 'with-suffix' });
      const pingKey = await pingKeyOf(t);
      expect((await t.ping(`/ping/${pingKey}/with-suffix/start`)).status).toBe(200);
      expect((await t.ping(`/ping/${pingKey}/with-suffix/3`)).status).toBe(200);
      const runs = await history(t, check.id, 'runs');
      expect(runs[0]).toMatchObject({ result: 'fail', exit_code: 3 });
    });
  });

  it('a body over 1 MB is refused with 413 and nothing is recorded', async () => {
    const check = await createCheck(t);
    const res = await rawRequest(`${t.url}/ping/${check.id}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: Buffer.alloc(1024 * 1024 + 1, 'x'),
    });
    expect(res.status).toBe(413);
    expect((await readCheck(t, check.id)).signal_count).toBe(0);
  });

  it('a body of exactly 1 MB is accepted', async () => {
    const check = await createCheck(t);
    const res = await rawRequest(`${t.url}/ping/${check.id}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: Buffer.alloc(1024 * 1024, 'x'),
    });
    expect(res.status).toBe(200);
  });
});
