import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';
import { TEST_ENGINE } from './support/postgres.js';

describe('a freshly started server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers /healthz after writing to its store', async () => {
    const res = await t.ping('/healthz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ ok: true, store: TEST_ENGINE });
  });

  it('accepts a ping for a check created through the API and counts it', async () => {
    const created = await t.api('POST', '/api/v1/checks', { name: 'smoke', schedule: { kind: 'interval', period_s: 60 } });
    expect(created.status).toBe(201);
    const ping = await t.ping(`/ping/${created.body.id}`);
    expect(ping).toMatchObject({ status: 200, text: 'OK' });
    const read = await t.api('GET', `/api/v1/checks/${created.body.key}`);
    expect(read.body).toMatchObject({ status: 'up', signal_count: 1 });
  });
});
