// Kept identifiers cannot capture another workspace's pings (audit finding 8): a caller-chosen UUID or key is
// accepted only when nothing uses it, in any workspace, including a deleted check of another workspace whose
// crontabs may still ping it; the refusal is 409 identifier_taken, word for word the same whoever holds it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/server.js';

let t: TestServer;
let other: string;
const key = () => `K${randomUUID().replace(/-/g, '').slice(0, 7)}`;

beforeAll(async () => {
  t = await startTestServer();
  other = (await t.otherWorkspace('write')).key;
});
afterAll(async () => {
  await t.close();
});

describe('a kept UUID or key', () => {
  it('taken in another workspace gets the same 409 identifier_taken as one taken in your own, and writes nothing', async () => {
    const id = randomUUID();
    const k = key();
    expect((await t.api('POST', '/api/v1/checks', { name: 'squatter', id, key: k }, other)).status).toBe(201);
    const mineId = randomUUID();
    const mineKey = key();
    expect((await t.api('POST', '/api/v1/checks', { name: 'mine', id: mineId, key: mineKey })).status).toBe(201);

    const elsewhere = await t.api('POST', '/api/v1/checks', { name: 'migrated backup job', id });
    const here = await t.api('POST', '/api/v1/checks', { name: 'migrated backup job', id: mineId });
    expect(elsewhere.status).toBe(409);
    expect(here.status).toBe(409);
    expect(elsewhere.body.error.code).toBe('identifier_taken');
    expect(elsewhere.body.error.message.replace(id, 'X')).toBe(here.body.error.message.replace(mineId, 'X'));

    const keyElsewhere = await t.api('POST', '/api/v1/checks', { name: 'migrated backup job', key: k });
    const keyHere = await t.api('POST', '/api/v1/checks', { name: 'migrated backup job', key: mineKey });
    expect(keyElsewhere.body.error.code).toBe('identifier_taken');
    expect(keyElsewhere.body.error.message.replace(k, 'X')).toBe(keyHere.body.error.message.replace(mineKey, 'X'));
    // "taken" is all it says: no "already exists", no workspace, no check name.
    expect(JSON.stringify(elsewhere.body)).not.toMatch(/exists|squatter|workspace/i);
    expect((await t.api('GET', '/api/v1/checks?q=migrated')).body.items).toEqual([]);
  });

  it('of a deleted check stays reserved for its workspace: another cannot claim it, the same one can', async () => {
    const id = randomUUID();
    const k = key();
    const made = await t.api('POST', '/api/v1/checks', { name: 'retired job', id, key: k });
    expect(made.status).toBe(201);
    expect((await t.api('DELETE', `/api/v1/checks/${id}`)).status).toBe(200);
    expect((await t.ping(`/ping/${id}`)).status).toBe(404);

    for (const claim of [{ id }, { key: k }]) {
      const res = await t.api('POST', '/api/v1/checks', { name: 'capture', ...claim }, other);
      expect(res.status, JSON.stringify(claim)).toBe(409);
      expect(res.body.error.code).toBe('identifier_taken');
    }
    expect((await t.ping(`/ping/${id}`)).status).toBe(404);

    const again = await t.api('POST', '/api/v1/checks', { name: 'retired job, back', id, key: k });
    expect(again.status).toBe(201);
    expect((await t.ping(`/ping/${k}`)).status).toBe(200);
    // Deleting it a second time keeps the reservation.
    expect((await t.api('DELETE', `/api/v1/checks/${id}`)).status).toBe(200);
    expect((await t.api('POST', '/api/v1/checks', { name: 'capture', id }, other)).status).toBe(409);
  });

  it('is refused the same way through the Pinghome and healthchecks.io create paths', async () => {
    const id = randomUUID();
    expect((await t.api('POST', '/api/v1/checks', { name: 'held', id }, other)).status).toBe(201);
    const pinghome = await t.api('POST', '/v1/heartbeat', { service_id: 'svc', name: 'migrated', id });
    expect(pinghome.status).toBe(409);
    expect(pinghome.body.error?.code ?? pinghome.body.code).toBe('identifier_taken');

    // Deleted through healthchecks.io's API, a check's UUID is reserved too.
    const hc = await t.api('POST', '/api/v3/checks/', { name: 'hc job' });
    expect(hc.status).toBe(201);
    const uuid = hc.body.ping_url.split('/').pop();
    expect((await t.api('DELETE', `/api/v3/checks/${uuid}`)).status).toBe(200);
    expect((await t.api('POST', '/api/v1/checks', { name: 'capture', id: uuid }, other)).status).toBe(409);
  });
});
