// Creating a check that moves from another service: it keeps its UUID or job key, or starts from that service's defaults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

describe('creating a check that moves from another service', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps a given UUID (lower-cased), and its ping URL answers at once', async () => {
    const res = await t.api('POST', '/api/v1/checks', { name: 'kept id', id: '9F1C2D3E-4B5A-4C6D-8E7F-0A1B2C3D4E5F' });
    expect(res.status).toBe(201);
    expect(res.body.id).toBe('9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f');
    expect((await t.ping('/ping/9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f')).status).toBe(200);
  });

  it('refuses an id or key that is taken, in any workspace, with 409 and writes nothing', async () => {
    const first = await t.api('POST', '/api/v1/checks', { name: 'taken', id: '11111111-2222-4333-8444-555555555555', key: 'Taken123' });
    expect(first.status).toBe(201);
    const other = await t.otherWorkspace('write');
    const sameId = await t.api('POST', '/api/v1/checks', { name: 'dup', id: '11111111-2222-4333-8444-555555555555' }, other.key);
    expect(sameId).toMatchObject({ status: 409, body: { error: { code: 'identifier_taken' } } });
    expect((await t.api('POST', '/api/v1/checks', { name: 'dup', key: 'Taken123' })).body.error.code).toBe('identifier_taken');
    expect((await t.api('GET', '/api/v1/checks?q=dup')).body.items).toEqual([]);
  });

  it('id and key are fixed once created', async () => {
    const made = await t.api('POST', '/api/v1/checks', { name: 'fixed' });
    expect((await t.api('PATCH', `/api/v1/checks/${made.body.id}`, { key: 'Other123' })).status).toBe(400);
    expect((await t.api('PATCH', `/api/v1/checks/${made.body.id}`, { id: '11111111-2222-4333-8444-666666666666' })).status).toBe(400);
  });

  it("a preset gives that service's defaults; fields given win, and an unknown preset is a 400", async () => {
    const kodo = await t.api('POST', '/api/v1/checks', {
      name: 'kodo style',
      preset: 'kodo',
      schedule: { kind: 'interval', period_s: 300 },
    });
    expect(kodo.body).toMatchObject({ grace_multiplier: 2, grace_s: null, failure_threshold: 2, effective_grace_s: 300 });
    const own = await t.api('POST', '/api/v1/checks', { name: 'kodo own grace', preset: 'kodo', grace_s: 30, failure_threshold: 3 });
    expect(own.body).toMatchObject({ grace_s: 30, grace_multiplier: null, failure_threshold: 3 });
    const hc = await t.api('POST', '/api/v1/checks', { name: 'hc style', preset: 'healthchecks' });
    expect(hc.body).toMatchObject({ schedule: { kind: 'interval', period_s: 86400 }, grace_s: 3600 });
    expect((await t.api('POST', '/api/v1/checks', { name: 'x', preset: 'nagios' })).status).toBe(400);
  });
});
