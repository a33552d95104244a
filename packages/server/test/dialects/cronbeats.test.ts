// CronBeats speaks the native /ping routes with 8-character keys: a job keeps its key, answers are JSON,
// progress carries a percent and a message of at most 255 characters, and a running job shows its elapsed time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, readCheck, SECOND, T0 } from '../support/checks.js';
import { rawRequest } from '../support/http.js';

describe('CronBeats jobs', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  const post = (path: string, body?: string) =>
    rawRequest(`${t.url}${path}`, { method: 'POST', body, headers: body ? { 'content-type': 'application/json' } : {} }).then((r) => ({
      ...r,
      json: JSON.parse(r.body),
    }));
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a job created with its old key answers to it; a key in use is a 409, a malformed one a 400', async () => {
    const job = await createCheck(t, { name: 'kept key', key: 'Zx81Qa7m' });
    expect(job.ping_url).toBe(`${t.url}/ping/Zx81Qa7m`);
    expect((await post('/ping/Zx81Qa7m')).json).toMatchObject({ ok: true, job_key: 'Zx81Qa7m' });
    expect((await t.api('POST', '/api/v1/checks', { name: 'again', key: 'Zx81Qa7m' })).status).toBe(409);
    expect((await t.api('POST', '/api/v1/checks', { name: 'short', key: 'abc' })).status).toBe(400);
  });

  it('progress takes message or msg from the JSON body, clipped to 255 characters', async () => {
    const job = await createCheck(t);
    await post(`/ping/${job.key}/start`);
    await post(`/ping/${job.key}/progress/30`, JSON.stringify({ msg: 'Step 2/4' }));
    expect((await history(t, job.key, 'runs'))[0]).toMatchObject({ progress: 30, last_message: 'Step 2/4' });
    await post(`/ping/${job.key}/progress`, JSON.stringify({ message: 'x'.repeat(400) }));
    const [run] = await history(t, job.key, 'runs');
    expect(run).toMatchObject({ progress: 30 });
    expect(run.last_message).toHaveLength(255);
  });

  it('elapsed time: since the start while the job runs, its duration once it ended', async () => {
    clock.set(T0);
    const job = await createCheck(t);
    await post(`/ping/${job.key}/start`);
    clock.advance(42 * SECOND);
    expect((await history(t, job.key, 'runs'))[0]).toMatchObject({ running: true, elapsed_ms: 42_000, duration_ms: null });
    clock.advance(8 * SECOND);
    await post(`/ping/${job.key}/end/success`);
    clock.advance(60 * SECOND);
    expect((await history(t, job.key, 'runs'))[0]).toMatchObject({ running: false, elapsed_ms: 50_000, duration_ms: 50_000 });
  });

  it('every answer is JSON: 404 for an unknown key, 400 for a percent over 100', async () => {
    const unknown = await post('/ping/Qq0Qq0Qq');
    expect(unknown).toMatchObject({ status: 404, json: { ok: false, error: { code: 'not_found' } } });
    const job = await createCheck(t);
    const bad = await post(`/ping/${job.key}/progress/101`);
    expect(bad).toMatchObject({ status: 400, json: { ok: false } });
    expect((await readCheck(t, job.key)).signal_count).toBe(0);
  });
});

describe('CronBeats rate limit', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: new ManualClock(T0), env: { OVERDUE_PING_RATE_LIMIT: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('429 in JSON with Retry-After', async () => {
    const job = await createCheck(t);
    for (let i = 0; i < 10; i += 1) await rawRequest(`${t.url}/ping/${job.key}`, { method: 'POST' });
    const refused = await rawRequest(`${t.url}/ping/${job.key}`, { method: 'POST' });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });
});
