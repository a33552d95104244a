// Pinghome: management with a key, the ping gateway without one, statistics and events; refusals of each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { history, iso, MINUTE, readCheck, T0 } from '../support/checks.js';
import { rawRequest } from '../support/http.js';

describe('Pinghome', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  const call = (method: string, path: string, body?: unknown, key: string | null = t.key) =>
    rawRequest(`${t.url}${path}`, {
      method,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
    }).then((r) => ({ ...r, json: r.body ? JSON.parse(r.body) : null }));
  const heartbeat = async (fields: Record<string, unknown> = {}) => {
    const res = await call('POST', '/v1/heartbeat', {
      service_id: 'svc',
      name: `hb ${Math.random().toString(36).slice(2, 7)}`,
      interval: 60,
      ...fields,
    });
    expect(res.status, res.body).toBe(201);
    return res.json;
  };
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('the gateway', () => {
    it('result run then complete is a run with its duration; fail is a failure with its message', async () => {
      clock.set(T0);
      const hb = await heartbeat();
      expect((await call('POST', `/v1/heartbeat/${hb.id}?result=run`, undefined, null)).status).toBe(200);
      clock.advance(2 * MINUTE);
      await call('POST', `/v1/heartbeat/${hb.id}`, { result: 'complete', message: 'done' }, null);
      expect((await history(t, hb.id, 'runs'))[0]).toMatchObject({ result: 'success', duration_ms: 2 * MINUTE, last_message: 'done' });
      await call('GET', `/v1/heartbeat/${hb.id}?result=fail&message=boom`, undefined, null);
      expect(await readCheck(t, hb.id)).toMatchObject({ status: 'down', last_message: 'boom' });
    });

    it('a form body works as well as JSON or the query', async () => {
      const hb = await heartbeat();
      const res = await rawRequest(`${t.url}/v1/heartbeat/${hb.id}`, {
        method: 'POST',
        body: 'result=fail&message=from+a+form',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(200);
      expect((await history(t, hb.id, 'signals'))[0]).toMatchObject({ kind: 'fail', message: 'from a form', metadata: { result: 'fail' } });
    });

    it('honours the allowed methods: a GET-only heartbeat refuses a POST with 405', async () => {
      const hb = await heartbeat({ methods: ['GET'] });
      expect((await call('GET', `/v1/heartbeat/${hb.id}`, undefined, null)).status).toBe(200);
      const refused = await call('POST', `/v1/heartbeat/${hb.id}`, undefined, null);
      expect(refused.status).toBe(405);
      expect(refused.headers.allow).toBe('GET');
    });

    it('a disabled heartbeat takes no check-ins (404) until it is enabled again', async () => {
      const hb = await heartbeat({ enabled: false });
      expect((await call('GET', `/v1/heartbeat/${hb.id}`, undefined, null)).status).toBe(404);
      await call('PUT', `/v1/heartbeat/${hb.id}`, { enabled: true });
      expect((await call('GET', `/v1/heartbeat/${hb.id}`, undefined, null)).status).toBe(200);
    });

    it('404 for an unknown or malformed id, 400 for a result it does not know', async () => {
      const unknown = await call('GET', '/v1/heartbeat/00000000-0000-4000-8000-000000000000', undefined, null);
      expect(unknown.status).toBe(404);
      // The gateway has no workspace (no key): its answer does not speak of one.
      expect(unknown.json.error.message).toBe('No heartbeat with that id, or it is disabled.');
      const malformed = await call('GET', '/v1/heartbeat/{id}', undefined, null);
      expect(malformed.status).toBe(404);
      expect(malformed.json.error.message).toBe('No heartbeat "{id}": use the check\'s UUID or its 8-character key.');
      const hb = await heartbeat();
      const bad = await call('GET', `/v1/heartbeat/${hb.id}?result=maybe`, undefined, null);
      expect(bad.status).toBe(400);
      expect(bad.json.error.message).toContain('tick, run, complete, success, fail');
      expect((await readCheck(t, hb.id)).signal_count).toBe(0);
    });
  });

  describe('management', () => {
    it('a service id seen before is reused; a name works as a service id too', async () => {
      const a = await heartbeat({ service_id: 'b9c2b1d4-6f1e-4a7c-9c61-0a1b2c3d4e5f' });
      const b = await heartbeat({ service_id: 'B9C2B1D4-6F1E-4A7C-9C61-0A1B2C3D4E5F' });
      expect(b.service_id).toBe(a.service_id);
      // Created by its id alone: named after the id's first part, not the whole UUID.
      expect(a.service_name).toBe('service b9c2b1d4');
      expect((await readCheck(t, a.id)).service).toMatchObject({ name: 'service b9c2b1d4' });
      const named = await heartbeat({ service_id: 'payments' });
      expect(named).toMatchObject({ service_name: 'payments' });
      const list = await call('GET', '/v1/service/payments/heartbeats');
      expect(list.json.data.map((h: any) => h.id)).toEqual([named.id]);
    });

    it('a service id another workspace uses still works here, as a service of this workspace', async () => {
      const other = await t.otherWorkspace('write');
      const serviceId = '0c8983c9-9d73-446f-adb5-0641fdacc9d4';
      const theirs = await call('POST', '/v1/heartbeat', { service_id: serviceId, name: 'theirs', interval: 60 }, other.key);
      const mine = await call('POST', '/v1/heartbeat', { service_id: serviceId, name: 'mine', interval: 60 });
      expect([theirs.status, mine.status]).toEqual([201, 201]);
      expect((await call('GET', `/v1/service/${serviceId}/heartbeats`)).json.data.map((h: any) => h.name)).toEqual(['mine']);
      expect((await call('GET', `/v1/service/${serviceId}/heartbeats`, undefined, other.key)).json.data.map((h: any) => h.name)).toEqual([
        'theirs',
      ]);
    });

    it('pages through a service: page and limit, total and pages', async () => {
      for (let i = 0; i < 5; i += 1) await heartbeat({ service_id: 'paged', name: `paged ${i}` });
      const second = await call('GET', '/v1/service/paged/heartbeats?page=2&limit=2');
      expect(second.json).toMatchObject({ page: 2, limit: 2, total: 5, pages: 3 });
      expect(second.json.data.map((h: any) => h.name)).toEqual(['paged 2', 'paged 3']);
      expect((await call('GET', '/v1/service/paged/heartbeats?page=4&limit=2')).json.data).toEqual([]);
    });

    it('bulk delete is all or nothing: one unknown id deletes none', async () => {
      const a = await heartbeat();
      const res = await call('DELETE', `/v1/heartbeat?id=${a.id}&id=00000000-0000-4000-8000-000000000000`);
      expect(res.status).toBe(404);
      expect(res.json.error.message).toContain('00000000-0000-4000-8000-000000000000');
      expect((await readCheck(t, a.id)).id).toBe(a.id);
      expect((await call('DELETE', '/v1/heartbeat')).status).toBe(400);
    });

    it('deletions, one or in bulk, are announced to other instances as the native API announces them', async () => {
      const [one, a, b] = [await heartbeat(), await heartbeat(), await heartbeat()];
      const announced: string[] = [];
      const listen = (row: { id: string }) => announced.push(row.id);
      t.server.runtime.feed.on('local:deleted', listen);
      try {
        expect((await call('DELETE', `/v1/heartbeat/${one.id}`)).status).toBe(200);
        expect((await call('DELETE', `/v1/heartbeat?id=${a.id}&id=${b.id}`)).status).toBe(200);
      } finally {
        t.server.runtime.feed.off('local:deleted', listen);
      }
      expect(announced.sort()).toEqual([one.id, a.id, b.id].sort());
    });

    it('a create with a given id keeps it; the same id twice is a 409', async () => {
      const id = '1b1e3c3e-8d7e-4f37-9d0a-5c1f4a6e2b10';
      expect((await heartbeat({ id })).id).toBe(id);
      expect((await call('POST', '/v1/heartbeat', { id, service_id: 'svc', name: 'dup', interval: 60 })).status).toBe(409);
    });

    it('events include going down on a missed beat, after the cursor, oldest first', async () => {
      clock.set(T0);
      const hb = await heartbeat({ interval: 60 });
      await call('GET', `/v1/heartbeat/${hb.id}`, undefined, null);
      clock.set(T0 + 10 * MINUTE);
      await t.server.runtime.scheduler.tick();
      const events = await call('GET', `/v1/heartbeat/${hb.id}/events?limit=5`);
      expect(events.json.data.map((e: any) => [e.result, e.received_at])).toEqual([
        ['tick', iso(T0)],
        ['missed', iso(T0 + 10 * MINUTE)],
      ]);
      expect(events.json.data[1].message).toContain('no heartbeat received within expected interval + grace period');
      const after = await call('GET', `/v1/heartbeat/${hb.id}/events?last_received_at=${encodeURIComponent(iso(T0))}`);
      expect(after.json.data.map((e: any) => e.result)).toEqual(['missed']);
    });

    it('events page forwards from the oldest: each page continues where the cursor of the last one ended', async () => {
      clock.set(T0);
      const hb = await heartbeat({ interval: 60 });
      for (let i = 0; i < 7; i += 1) {
        await call('GET', `/v1/heartbeat/${hb.id}?message=beat+${i}`, undefined, null);
        clock.advance(MINUTE);
      }
      clock.set(T0 + 20 * MINUTE);
      await t.server.runtime.scheduler.tick();
      const seen: string[] = [];
      let cursor = '';
      for (let page = 0; page < 4; page += 1) {
        const res = await call(
          'GET',
          `/v1/heartbeat/${hb.id}/events?limit=3${cursor ? `&last_received_at=${encodeURIComponent(cursor)}` : ''}`,
        );
        seen.push(...res.json.data.map((e: any) => (e.result === 'missed' ? 'missed' : e.message)));
        cursor = res.json.last_received_at;
      }
      expect(seen).toEqual(['beat 0', 'beat 1', 'beat 2', 'beat 3', 'beat 4', 'beat 5', 'beat 6', 'missed']);
    });

    it("statistic counts each bucket's check-ins, the successful ones (plain ticks too) and the failures", async () => {
      clock.set(T0);
      const hb = await heartbeat({ interval: 3600 });
      const send = (result: string) => call('GET', `/v1/heartbeat/${hb.id}?result=${result}`, undefined, null);
      await send('tick');
      await send('fail');
      clock.advance(60 * MINUTE);
      await send('run');
      await send('complete');
      await send('tick');
      clock.advance(30 * MINUTE);
      const range = `start_date=${encodeURIComponent(iso(T0))}&end_date=${encodeURIComponent(iso(T0 + 120 * MINUTE))}&interval=1h`;
      const res = await call('GET', `/v1/heartbeat/${hb.id}/statistic?${range}`);
      expect(res.status, res.body).toBe(200);
      expect(res.json.data.map((b: any) => [b.received_at, b.run_count, b.complete_count, b.fail_count])).toEqual([
        [iso(T0), 2, 1, 1],
        [iso(T0 + 60 * MINUTE), 3, 2, 0],
      ]);
    });

    it('401 without or with a wrong key, 403 for a read-only key changing things', async () => {
      const hb = await heartbeat();
      expect((await call('POST', '/v1/heartbeat', { service_id: 's', name: 'n', interval: 60 }, null)).status).toBe(401);
      expect((await call('PUT', `/v1/heartbeat/${hb.id}`, { name: 'x' }, 'wrong')).status).toBe(401);
      expect((await call('GET', `/v1/heartbeat/${hb.id}`, undefined, 'wrong')).status).toBe(401);
      const read = await t.keyWithScope('read');
      expect((await call('DELETE', `/v1/heartbeat/${hb.id}`, undefined, read)).status).toBe(403);
      expect((await call('GET', `/v1/heartbeat/${hb.id}`, undefined, read)).status).toBe(200);
      expect((await call('GET', `/v1/heartbeat/${hb.id}/statistic`, undefined, await t.keyWithScope('ping'))).status).toBe(403);
    });

    it("404 for another workspace's heartbeat, an unknown service, an unknown heartbeat", async () => {
      const hb = await heartbeat();
      const other = await t.otherWorkspace('write');
      expect((await call('GET', `/v1/heartbeat/${hb.id}`, undefined, other.key)).status).toBe(404);
      expect((await call('PUT', `/v1/heartbeat/${hb.id}`, { name: 'stolen' }, other.key)).status).toBe(404);
      expect((await call('DELETE', `/v1/heartbeat/${hb.id}`, undefined, other.key)).status).toBe(404);
      expect((await call('GET', '/v1/service/never-seen/heartbeats')).status).toBe(404);
      expect((await call('GET', '/v1/heartbeat/00000000-0000-4000-8000-000000000000/events')).status).toBe(404);
      expect((await readCheck(t, hb.id)).name).toBe(hb.name);
    });

    it('400 for bad values: missing name or service, a non-integer interval, bad methods, paging, dates, intervals', async () => {
      const hb = await heartbeat();
      expect((await call('POST', '/v1/heartbeat', { name: 'n', interval: 60 })).status).toBe(400);
      expect((await call('POST', '/v1/heartbeat', { service_id: 's', interval: 60 })).status).toBe(400);
      expect((await call('POST', '/v1/heartbeat', { service_id: 's', name: 'n', interval: '60' })).status).toBe(400);
      expect((await call('POST', '/v1/heartbeat', { service_id: 's', name: 'n', interval: 60, methods: ['PATCH'] })).status).toBe(400);
      expect((await call('POST', '/v1/heartbeat', 'name=n')).status).toBe(400);
      expect((await call('PUT', `/v1/heartbeat/${hb.id}`, { enabled: 'yes' })).status).toBe(400);
      expect((await call('GET', '/v1/service/svc/heartbeats?page=0')).status).toBe(400);
      expect((await call('GET', `/v1/heartbeat/${hb.id}/statistic?interval=2h`)).status).toBe(400);
      expect((await call('GET', `/v1/heartbeat/${hb.id}/statistic?start_date=yesterday`)).status).toBe(400);
      expect((await call('GET', `/v1/heartbeat/${hb.id}/events?last_received_at=soon`)).status).toBe(400);
      expect((await readCheck(t, hb.id)).enabled).toBe(true);
    });
  });
});

describe('Pinghome rate limit', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: new ManualClock(T0), env: { OVERDUE_PING_RATE_LIMIT: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the gateway answers 429 per heartbeat; management answers 429 per key', async () => {
    const created = await rawRequest(`${t.url}/v1/heartbeat`, {
      method: 'POST',
      headers: { 'x-api-key': t.key },
      body: JSON.stringify({ service_id: 's', name: 'n', interval: 60 }),
    });
    const id = JSON.parse(created.body).id;
    for (let i = 0; i < 10; i += 1) expect((await rawRequest(`${t.url}/v1/heartbeat/${id}`)).status).toBe(200);
    expect((await rawRequest(`${t.url}/v1/heartbeat/${id}`)).status).toBe(429);
    // One management call was spent on the create: nine more fit in the burst, the tenth is refused.
    for (let i = 0; i < 9; i += 1)
      expect((await rawRequest(`${t.url}/v1/heartbeat/${id}`, { headers: { 'x-api-key': t.key } })).status).toBe(200);
    const refused = await rawRequest(`${t.url}/v1/heartbeat/${id}`, { headers: { 'x-api-key': t.key } });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
  });
});
