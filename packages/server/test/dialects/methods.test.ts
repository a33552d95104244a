// A check that accepts only some methods (healthchecks.io's "POST only"): other pings answer 200 as healthchecks.io
// does, so `curl -fsS` in a crontab keeps exiting 0, and are stored as ignored signals that change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, pingKeyOf, readCheck, T0 } from '../support/checks.js';

describe('method-restricted checks', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a GET ping of a POST-only check answers 200 OK and is kept as an ignored signal; the status does not move', async () => {
    const check = await createCheck(t, { methods: ['POST'] });
    const res = await t.ping(`/ping/${check.id}/fail`);
    expect(res.status).toBe(200);
    expect(res.text).toBe('OK');
    expect(res.headers.get('allow')).toBeNull();
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'new', signal_count: 1, run_count: 0 });
    const [signal] = await history(t, check.id, 'signals');
    expect(signal).toMatchObject({
      kind: 'ignored',
      method: null,
      metadata: { method: 'GET', ignored: 'method GET is not allowed for this check (allowed: POST)' },
    });
  });

  it('the JSON answer (8-character key) says the ping was ignored', async () => {
    const check = await createCheck(t, { methods: ['GET', 'HEAD'] });
    const res = await t.ping(`/ping/${check.key}`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ ok: true, action: 'ignored', job_key: check.key });
    expect((await readCheck(t, check.id)).status).toBe('new');
  });

  it('an ignored ping neither opens nor closes a run, nor changes the last message', async () => {
    const check = await createCheck(t, { methods: ['POST'] });
    await t.ping(`/ping/${check.id}/start`, { method: 'POST' });
    await t.ping(`/ping/${check.id}?msg=from%20a%20browser`);
    expect(await readCheck(t, check.id)).toMatchObject({ running: true, run_count: 1, last_message: null });
  });

  it('the healthchecks.io slug form and its Management API "methods": "POST" behave the same', async () => {
    const created = await t.api('POST', '/api/v3/checks/', { name: 'post only', slug: 'post-only', methods: 'POST' });
    expect(created.status).toBe(201);
    const pingKey = await pingKeyOf(t);
    expect((await t.ping(`/ping/${pingKey}/post-only`)).status).toBe(200);
    const pings = await t.api('GET', `/api/v3/checks/${created.body.uuid}/pings/`);
    expect(pings.body.pings.map((p: any) => p.type)).toEqual(['ign']);
    expect((await t.api('GET', `/api/v3/checks/${created.body.uuid}`)).body).toMatchObject({ status: 'new', n_pings: 1 });
  });

  it('methods other than GET, HEAD and POST stay 405 whatever the check allows', async () => {
    const check = await createCheck(t, { methods: ['POST'] });
    const res = await t.ping(`/ping/${check.id}`, { method: 'PUT' });
    expect(res.status).toBe(405);
    expect((await readCheck(t, check.id)).signal_count).toBe(0);
  });
});
