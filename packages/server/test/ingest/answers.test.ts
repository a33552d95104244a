// protocol.md §3 answers: JSON for 8-character keys or Accept: application/json, plain text otherwise; 429 with Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, HOUR, iso, pingKeyOf, readCheck, SECOND, T0 } from '../support/checks.js';

describe('ping answers', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('by key: {ok, action, job_key, timestamp, processing_time_ms, next_expected}', async () => {
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 3600 } });
    const res = await t.ping(`/ping/${check.key}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(res.text);
    expect(Object.keys(body).sort()).toEqual(['action', 'job_key', 'next_expected', 'ok', 'processing_time_ms', 'timestamp']);
    expect(body).toMatchObject({ ok: true, action: 'success', job_key: check.key, timestamp: iso(T0), next_expected: iso(T0 + HOUR) });
    expect(typeof body.processing_time_ms).toBe('number');
    expect(body.processing_time_ms).toBeGreaterThanOrEqual(0);
  });

  it('names the action of each suffix', async () => {
    const check = await createCheck(t);
    const actions: Record<string, string> = {
      start: 'start',
      log: 'log',
      'progress/5': 'progress',
      fail: 'fail',
      'end/success': 'success',
      '9': 'fail',
    };
    for (const [suffix, action] of Object.entries(actions)) {
      expect(JSON.parse((await t.ping(`/ping/${check.key}/${suffix}`)).text).action, suffix).toBe(action);
    }
  });

  it('next_expected is null while nothing is expected (a start on a new check)', async () => {
    const check = await createCheck(t);
    expect(JSON.parse((await t.ping(`/ping/${check.key}/start`)).text)).toMatchObject({ action: 'start', next_expected: null });
  });

  it('by UUID or slug: plain OK, or the same JSON with Accept: application/json', async () => {
    const check = await createCheck(t, { slug: 'json-answers' });
    const plain = await t.ping(`/ping/${check.id}`);
    expect(plain.text).toBe('OK');
    const json = await t.ping(`/ping/${check.id}`, { headers: { accept: 'application/json' } });
    expect(JSON.parse(json.text)).toMatchObject({ ok: true, action: 'success', job_key: check.key });
    const pingKey = await pingKeyOf(t);
    const slug = await t.ping(`/ping/${pingKey}/json-answers/start`, { headers: { accept: 'text/html, application/json;q=0.9' } });
    expect(JSON.parse(slug.text)).toMatchObject({ ok: true, action: 'start', job_key: check.key });
  });

  it('errors by key are JSON too; by UUID they are plain text', async () => {
    const check = await createCheck(t);
    const byKey = await t.ping(`/ping/${check.key}/progress/101`);
    expect(byKey.status).toBe(400);
    expect(JSON.parse(byKey.text)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const byId = await t.ping(`/ping/${check.id}/progress/101`);
    expect(byId.status).toBe(400);
    expect(byId.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(byId.text).toMatch(/progress must be a whole number from 0 to 100/);
  });

  it('a 201 for a created check is "Created" in plain text', async () => {
    const pingKey = await pingKeyOf(t);
    const res = await t.ping(`/ping/${pingKey}/answers-created?create=1`);
    expect(res).toMatchObject({ status: 201, text: 'Created' });
  });
});

describe('ping rate limit', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  // 1 ping/s per check with a burst of 10: the 11th ping in the same instant is refused.
  beforeAll(async () => {
    t = await startTestServer({ clock, env: { OVERDUE_PING_RATE_LIMIT: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 with Retry-After once a check has used its burst, and records nothing for it', async () => {
    const check = await createCheck(t);
    for (let i = 0; i < 10; i += 1) expect((await t.ping(`/ping/${check.id}`)).status).toBe(200);
    const refused = await t.ping(`/ping/${check.id}`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await readCheck(t, check.id)).signal_count).toBe(10);
  });

  it('the JSON refusal names the code and the wait', async () => {
    const check = await createCheck(t);
    for (let i = 0; i < 10; i += 1) await t.ping(`/ping/${check.key}`);
    const refused = await t.ping(`/ping/${check.key}`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(refused.text)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });

  it('other checks are not affected, and time refills the bucket', async () => {
    const busy = await createCheck(t);
    const quiet = await createCheck(t);
    for (let i = 0; i < 10; i += 1) await t.ping(`/ping/${busy.id}`);
    expect((await t.ping(`/ping/${busy.id}`)).status).toBe(429);
    expect((await t.ping(`/ping/${quiet.id}`)).status).toBe(200);
    clock.advance(2 * SECOND);
    expect((await t.ping(`/ping/${busy.id}`)).status).toBe(200);
  });
});
