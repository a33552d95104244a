// Every example request of the Pinghome and CronBeats reference docs (shared/reference), sent as its tool sends it
// with only the host replaced, and its effect read back through the native API (the others: reference-examples.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, MINUTE, readCheck, SECOND, T0 } from '../support/checks.js';
import { axios, curl } from './support/replay.js';

describe('Pinghome examples', () => {
  let t: TestServer;
  const clock = new ManualClock(Date.parse('2022-04-03T20:00:00Z'));
  const bearer = { Authorization: 'Bearer YOUR_TOKEN' };
  const auth = () => ({ Authorization: `Bearer ${t.key}` });
  const create = (data: Record<string, unknown>) =>
    axios(t.url, 'post', 'https://resource-cmd.api.pinghome.io/v1/heartbeat', {
      data,
      headers: { ...auth(), 'Content-Type': 'application/json' },
    });
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('create: a heartbeat in a service Overdue has not seen, which creates the service with that id', async () => {
    const res = await axios(t.url, 'post', 'https://resource-cmd.api.pinghome.io/v1/heartbeat', {
      data: { service_id: '6766163a-568d-47b4-a1fa-91a0957e06d4', name: 'Pinghome', interval: 60, enabled: true },
      headers: { ...bearer, Authorization: `Bearer ${t.key}`, 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ service_id: '6766163a-568d-47b4-a1fa-91a0957e06d4', name: 'Pinghome', interval: 60, enabled: true });
    expect(await readCheck(t, res.json.id)).toMatchObject({
      schedule: { kind: 'interval', period_s: 60 },
      service: { id: '6766163a-568d-47b4-a1fa-91a0957e06d4' },
    });
  });

  it('bulk delete by repeated id, then delete one', async () => {
    for (const id of ['6766163a-568d-47b4-a1fa-91a0957e06d4', 'c03b02ec-244f-4d2c-8f68-3910071ed5c8']) {
      expect((await create({ id, service_id: 'cleanup', name: `to delete ${id.slice(0, 4)}`, interval: 60 })).status).toBe(201);
    }
    const bulk = await axios(
      t.url,
      'delete',
      'https://resource-cmd.api.pinghome.io/v1/heartbeat?id=6766163a-568d-47b4-a1fa-91a0957e06d4&id=c03b02ec-244f-4d2c-8f68-3910071ed5c8',
      { headers: auth() },
    );
    expect(bulk.status).toBe(200);
    expect(bulk.json.deleted.sort()).toEqual(['6766163a-568d-47b4-a1fa-91a0957e06d4', 'c03b02ec-244f-4d2c-8f68-3910071ed5c8']);
    expect((await t.api('GET', '/api/v1/checks/6766163a-568d-47b4-a1fa-91a0957e06d4')).status).toBe(404);

    await create({ id: 'c03b02ec-244f-4d2c-8f68-3910071ed5c8', service_id: 'cleanup', name: 'again', interval: 60 });
    const one = await axios(t.url, 'delete', 'https://resource-cmd.api.pinghome.io/v1/heartbeat/c03b02ec-244f-4d2c-8f68-3910071ed5c8', {
      headers: auth(),
    });
    expect(one.status).toBe(200);
    expect((await t.api('GET', '/api/v1/checks/c03b02ec-244f-4d2c-8f68-3910071ed5c8')).status).toBe(404);
  });

  it("list a service's heartbeats, one page at a time", async () => {
    for (const [id, name] of [
      ['906a3444-15ce-4410-8041-89a238e9e91f', 'a first'],
      ['445a5c1f-c0eb-403a-96d7-3976e5dc74ed', 'b second'],
    ]) {
      await create({ id, service_id: 'cc7e4e8b-417d-4be0-9bde-85e353a20fa4', name, interval: 300 });
    }
    const res = await axios(
      t.url,
      'get',
      'https://resource-query.api.pinghome.io/v1/service/cc7e4e8b-417d-4be0-9bde-85e353a20fa4/heartbeats?page=1&limit=50',
      { headers: auth() },
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ page: 1, limit: 50, total: 2 });
    expect(res.json.data.map((h: any) => h.id)).toEqual(['906a3444-15ce-4410-8041-89a238e9e91f', '445a5c1f-c0eb-403a-96d7-3976e5dc74ed']);
  });

  it('update: name, methods and interval', async () => {
    const res = await axios(t.url, 'put', 'https://resource-cmd.api.pinghome.io/v1/heartbeat/906a3444-15ce-4410-8041-89a238e9e91f', {
      data: { name: 'My heartbeat', service_id: 'cc7e4e8b-417d-4be0-9bde-85e353a20fa4', methods: ['GET'], interval: 60, enabled: true },
      headers: { ...auth(), 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(await readCheck(t, '906a3444-15ce-4410-8041-89a238e9e91f')).toMatchObject({
      name: 'My heartbeat',
      methods: ['GET'],
      schedule: { kind: 'interval', period_s: 60 },
      enabled: true,
    });
  });

  it('read one heartbeat with credentials', async () => {
    const res = await axios(t.url, 'get', 'https://resource-query.api.pinghome.io/v1/heartbeat/445a5c1f-c0eb-403a-96d7-3976e5dc74ed', {
      headers: auth(),
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: '445a5c1f-c0eb-403a-96d7-3976e5dc74ed',
      name: 'b second',
      service_id: 'cc7e4e8b-417d-4be0-9bde-85e353a20fa4',
      interval: 300,
    });
    expect((await readCheck(t, '445a5c1f-c0eb-403a-96d7-3976e5dc74ed')).signal_count).toBe(0);
  });

  it('statistics and events of a heartbeat with check-ins over two years', async () => {
    const id = '47f84f9f-a742-4ef9-be40-e7d7a6fa4039';
    clock.set('2022-04-03T20:00:00Z');
    await create({ id, service_id: 'stats', name: 'stats', interval: 60 });
    const gateway = `https://data-gateway.api.pinghome.io/v1/heartbeat/${id}`;
    clock.set('2022-04-03T21:10:00Z');
    await axios(t.url, 'get', gateway, { params: { result: 'tick' } });
    clock.set('2022-04-03T21:30:00Z');
    await axios(t.url, 'get', gateway, { params: { result: 'fail', message: 'disk full' } });
    for (const at of ['2023-03-27T09:50:00Z', '2023-03-27T09:58:00Z', '2023-03-27T10:00:00Z']) {
      clock.set(at);
      await axios(t.url, 'get', gateway, { params: { result: 'tick' } });
    }

    const stats = await axios(
      t.url,
      'get',
      `https://statistic-query.api.pinghome.io/v1/heartbeat/${id}/statistic?interval=7d&start_date=2022-04-03T21:00:00Z&end_date=2022-04-03T22:04:00Z`,
      {
        headers: { ...auth(), 'Content-Type': 'application/json' },
      },
    );
    expect(stats.status).toBe(200);
    expect(stats.json.data).toEqual([
      { tick_count: 64, run_count: 2, fail_count: 1, complete_count: 1, received_at: '2022-04-03T21:00:00.000Z' },
    ]);

    const events = await axios(
      t.url,
      'get',
      `https://statistic-query.api.pinghome.io/v1/heartbeat/${id}/events?limit=10&last_received_at=2023-03-27T09:57:54Z`,
      {
        headers: { ...auth(), 'Content-Type': 'application/json' },
      },
    );
    expect(events.status).toBe(200);
    expect(events.json.data.map((e: any) => [e.result, e.received_at])).toEqual([
      ['tick', '2023-03-27T09:58:00.000Z'],
      ['tick', '2023-03-27T10:00:00.000Z'],
    ]);
    expect(events.json.last_received_at).toBe('2023-03-27T10:00:00.000Z');
  });

  it('the gateway: a tick with a message, no credentials', async () => {
    const hb = await create({ service_id: 'gateway', name: 'gateway', interval: 60 });
    const res = await axios(t.url, 'get', 'https://data-gateway.api.pinghome.io/v1/heartbeat/{id}'.replace('{id}', hb.json.id), {
      params: { result: 'tick', message: 'Tick event sent' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: hb.json.id, result: 'tick', message: 'Tick event sent' });
    expect(await readCheck(t, hb.json.id)).toMatchObject({ status: 'up', last_message: 'Tick event sent' });
  });
});

describe('CronBeats examples', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
    // The job keeps the key it had: the docs' own abc123de.
    await createCheck(t, { name: 'cronbeats job', key: 'abc123de' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a simple ping, start, end/success and end/fail, each answered in JSON', async () => {
    const ping = await curl(t.url, 'curl -X POST https://cronbeats.io/ping/abc123de');
    expect(ping.status).toBe(200);
    expect(ping.json).toMatchObject({ ok: true, action: 'success', job_key: 'abc123de' });
    expect((await curl(t.url, 'curl -X POST https://cronbeats.io/ping/abc123de/start')).json.action).toBe('start');
    clock.advance(30 * SECOND);
    expect((await curl(t.url, 'curl -X POST https://cronbeats.io/ping/abc123de/end/success')).json.action).toBe('success');
    await curl(t.url, 'curl -X POST https://cronbeats.io/ping/abc123de/start');
    clock.advance(10 * SECOND);
    expect((await curl(t.url, 'curl -X POST https://cronbeats.io/ping/abc123de/end/fail')).json.action).toBe('fail');
    const runs = await history(t, 'abc123de', 'runs');
    expect(runs.map((r) => [r.result, r.duration_ms])).toEqual([
      ['fail', 10_000],
      ['success', 30_000],
    ]);
  });

  it('the one-liner: start, the job, end/success', async () => {
    clock.advance(MINUTE);
    const line =
      'curl -sS -X POST https://cronbeats.io/ping/YOUR_KEY/start && ./backup.sh && curl -sS -X POST https://cronbeats.io/ping/YOUR_KEY/end/success';
    const [start, , end] = line.replaceAll('YOUR_KEY', 'abc123de').split(' && ');
    expect((await curl(t.url, start)).status).toBe(200);
    clock.advance(5 * SECOND);
    expect((await curl(t.url, end)).status).toBe(200);
    expect((await history(t, 'abc123de', 'runs'))[0]).toMatchObject({ result: 'success', duration_ms: 5000 });
  });

  it('progress with a percentage and a JSON message', async () => {
    clock.advance(MINUTE);
    const res = await curl(
      t.url,
      `curl -X POST "https://cronbeats.io/ping/abc123de/progress/50" \\
  -H "Content-Type: application/json" \\
  -d '{"message": "Processing batch 50/100"}'`,
    );
    expect(res.json).toMatchObject({ ok: true, action: 'progress' });
    expect((await history(t, 'abc123de', 'runs'))[0]).toMatchObject({
      running: true,
      progress: 50,
      last_message: 'Processing batch 50/100',
      elapsed_ms: 0,
    });
    clock.advance(7 * SECOND);
    expect((await history(t, 'abc123de', 'runs'))[0]).toMatchObject({ running: true, elapsed_ms: 7000 });
    await curl(t.url, 'curl -X POST https://cronbeats.io/ping/abc123de/end/success');
  });

  it('example 1, the backup script: one run whose progress bar reaches 100 with the last message', async () => {
    clock.advance(MINUTE);
    const script = `PING_URL="https://cronbeats.io/ping/YOUR_KEY"
curl -sS -X POST $PING_URL/start
curl -sS -X POST "$PING_URL/progress/10" -H "Content-Type: application/json" -d '{"message":"Starting backup"}'
curl -sS -X POST "$PING_URL/progress/40" -H "Content-Type: application/json" -d '{"message":"Database dump complete"}'
curl -sS -X POST "$PING_URL/progress/70" -H "Content-Type: application/json" -d '{"message":"Compression complete"}'
curl -sS -X POST "$PING_URL/progress/90" -H "Content-Type: application/json" -d '{"message":"Upload complete"}'
curl -sS -X POST "$PING_URL/progress/100" -H "Content-Type: application/json" -d '{"message":"Done"}'
curl -sS -X POST $PING_URL/end/success`;
    const env = { PING_URL: 'https://cronbeats.io/ping/abc123de' };
    for (const line of script.split('\n').filter((l) => l.startsWith('curl'))) {
      expect((await curl(t.url, line, env)).status, line).toBe(200);
      clock.advance(SECOND);
    }
    const [run] = await history(t, 'abc123de', 'runs');
    expect(run).toMatchObject({ result: 'success', progress: 100, last_message: 'Done', duration_ms: 6000 });
    const messages = (await history(t, 'abc123de', 'signals', `?run=${run.id}`)).map((s) => s.message).reverse();
    expect(messages).toEqual([null, 'Starting backup', 'Database dump complete', 'Compression complete', 'Upload complete', 'Done', null]);
  });

  it('example 2, processing records: a progress update every 500 of 10,000', async () => {
    clock.advance(MINUTE);
    const env: Record<string, string> = { PING_URL: 'https://cronbeats.io/ping/abc123de', TOTAL: '10000' };
    await curl(t.url, 'curl -sS -X POST $PING_URL/start', env);
    for (let i = 1; i <= 10_000; i += 1) {
      if (i % 500 === 0) {
        const pct = String(Math.floor((i * 100) / 10_000));
        const res = await curl(
          t.url,
          'curl -sS -X POST "$PING_URL/progress/$pct" -H "Content-Type: application/json" -d "{\\"message\\":\\"Processed $i / $TOTAL\\"}"',
          { ...env, pct, i: String(i) },
        );
        expect(res.status).toBe(200);
      }
    }
    await curl(t.url, 'curl -sS -X POST $PING_URL/end/success', env);
    const [run] = await history(t, 'abc123de', 'runs');
    expect(run).toMatchObject({ result: 'success', progress: 100, last_message: 'Processed 10000 / 10000' });
    expect((await history(t, 'abc123de', 'signals', `?run=${run.id}`)).filter((s) => s.kind === 'progress')).toHaveLength(20);
  });

  it('example 3, a multi-step pipeline starting at progress 0', async () => {
    clock.advance(MINUTE);
    const env = { PING_URL: 'https://cronbeats.io/ping/abc123de' };
    const lines = [
      'curl -sS -X POST $PING_URL/start',
      'curl -sS -X POST "$PING_URL/progress/0"  -H "Content-Type: application/json" -d \'{"message":"Step 1/4: Extract"}\'',
      'curl -sS -X POST "$PING_URL/progress/25" -H "Content-Type: application/json" -d \'{"message":"Step 2/4: Transform"}\'',
      'curl -sS -X POST "$PING_URL/progress/50" -H "Content-Type: application/json" -d \'{"message":"Step 3/4: Load"}\'',
      'curl -sS -X POST "$PING_URL/progress/100" -H "Content-Type: application/json" -d \'{"message":"Step 4/4: Done"}\'',
    ];
    for (const line of lines) expect((await curl(t.url, line, env)).status).toBe(200);
    expect((await history(t, 'abc123de', 'runs'))[0]).toMatchObject({ running: true, progress: 100, last_message: 'Step 4/4: Done' });
    await curl(t.url, 'curl -sS -X POST $PING_URL/end/success', env);
    expect((await readCheck(t, 'abc123de')).running).toBe(false);
  });
});
