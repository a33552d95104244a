// Hexcovery: jobs by name in the key's workspace, created on their first signal; attribution headers; refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { history, iso, readCheck, SECOND, T0 } from '../support/checks.js';

describe('Hexcovery heartbeats', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  let key: string;
  const send = (event: string, body: unknown, headers: Record<string, string> = {}, apiKey: string | null = key) =>
    fetch(`${t.url}/api/v1/heartbeat/${event}`, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}), ...headers },
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any, headers: r.headers }));
  beforeAll(async () => {
    t = await startTestServer({ clock });
    key = await t.keyWithScope('ping');
  });
  afterAll(async () => {
    await t.close();
  });

  it('a first signal creates the check with a day period and an hour of grace, the second finds it', async () => {
    const first = await send('ping', { name: 'reindex' });
    expect(first.status).toBe(201);
    const second = await send('ping', { name: 'reindex' });
    expect(second).toMatchObject({ status: 200, body: { created: false, check_id: first.body.check_id } });
    expect(await readCheck(t, first.body.check_id)).toMatchObject({
      name: 'reindex',
      schedule: { kind: 'interval', period_s: 86400 },
      grace_s: 3600,
      signal_count: 2,
      status: 'up',
    });
  });

  it('end takes status success, failure, fail, failed or error', async () => {
    for (const [status, kind] of [
      ['success', 'success'],
      ['failure', 'fail'],
      ['fail', 'fail'],
      ['failed', 'fail'],
      ['error', 'fail'],
      ['FAILURE', 'fail'],
    ]) {
      const res = await send('end', { name: `end-${status}`, status });
      expect(res.status, status).toBe(201);
      expect((await history(t, res.body.check_id, 'signals'))[0].kind, status).toBe(kind);
    }
  });

  it('a failed end carries its message into the flip reason', async () => {
    await send('start', { name: 'etl' });
    const res = await send('end', { name: 'etl', status: 'failure', message: 'exit 3: disk full' });
    expect(res.body.status).toBe('down');
    expect((await history(t, res.body.check_id, 'flips'))[0].reason).toContain('disk full');
  });

  it('log adds a message to the open run without changing status', async () => {
    const start = await send('start', { name: 'logger' });
    await send('log', { name: 'logger', message: 'copied 4 of 9 files' });
    expect((await history(t, start.body.check_id, 'runs'))[0]).toMatchObject({ running: true, last_message: 'copied 4 of 9 files' });
    expect((await readCheck(t, start.body.check_id)).status).toBe('new');
  });

  it('run_id pairs overlapping runs; other body fields are kept as metadata', async () => {
    const a = await send('start', { name: 'parallel', run_id: 'a' });
    clock.advance(5 * SECOND);
    await send('start', { name: 'parallel', run_id: 'b' });
    clock.advance(5 * SECOND);
    await send('end', { name: 'parallel', run_id: 'a', rows: 1200 });
    const runs = await history(t, a.body.check_id, 'runs');
    expect(runs.find((r) => r.rid === 'a')).toMatchObject({ result: 'success', duration_ms: 10_000 });
    expect(runs.find((r) => r.rid === 'b')).toMatchObject({ running: true });
    expect((await history(t, a.body.check_id, 'signals'))[0].metadata).toEqual({ rows: 1200 });
  });

  it('attribution moves an existing check to the project and service the headers name', async () => {
    const plain = await send('ping', { name: 'moving' });
    expect((await readCheck(t, plain.body.check_id)).project).toBeNull();
    await send('ping', { name: 'moving' }, { 'X-Hexcovery-Project': 'billing', 'X-Hexcovery-Service': 'invoicer' });
    expect(await readCheck(t, plain.body.check_id)).toMatchObject({ project: 'billing', service: { name: 'invoicer' } });
    // The same service name is the same service: no duplicate is created.
    await send('ping', { name: 'moving too' }, { 'X-Hexcovery-Service': 'invoicer' });
    const services = await t.server.runtime.store.db.selectFrom('services').select('id').where('name', '=', 'invoicer').execute();
    expect(services).toHaveLength(1);
  });

  it("the project's hosts roll-up lists every host with its checks and their worst status", async () => {
    const h = (host: string) => ({ 'X-Hexcovery-Project': 'fleet', 'X-Hexcovery-Host': host });
    clock.set(T0);
    await send('ping', { name: 'fleet-backup' }, h('web-1'));
    clock.advance(SECOND);
    await send('ping', { name: 'fleet-backup' }, h('web-2'));
    clock.advance(SECOND);
    await send('end', { name: 'fleet-rotate', status: 'failed' }, h('web-2'));
    const res = await t.api('GET', '/api/v1/projects/fleet/hosts');
    expect(res.status).toBe(200);
    expect(res.body.items.map((h: any) => [h.host, h.status, h.checks.map((c: any) => c.name)])).toEqual([
      ['web-1', 'up', ['fleet-backup']],
      ['web-2', 'down', ['fleet-backup', 'fleet-rotate']],
    ]);
    expect(res.body.items[1]).toMatchObject({
      first_seen_at: iso(T0 + SECOND),
      last_seen_at: iso(T0 + 2 * SECOND),
      counts: { up: 1, down: 1 },
    });
    const projects = await t.api('GET', '/api/v1/projects');
    expect(projects.body.items).toContainEqual({ project: 'fleet', checks: 2 });
    expect((await t.api('GET', '/api/v1/projects/nowhere/hosts')).body.items).toEqual([]);
  });

  it('a job name with NUL is stored and found as U+FFFD: 20 signals for "p\\u0000" make exactly one check', async () => {
    const answers = [];
    for (let i = 0; i < 20; i += 1) {
      answers.push(await send('ping', { name: 'p\u0000' }));
    }
    expect(answers.map((a) => a.status)).toEqual([201, ...Array(19).fill(200)]);
    expect(new Set(answers.map((a) => a.body.check_id)).size).toBe(1);
    const rows = await t.server.runtime.store.db
      .selectFrom('checks')
      .select(['name', 'signal_count'])
      .where('name', 'in', ['p\u0000', 'p\uFFFD'])
      .execute();
    expect(rows.map((r) => ({ ...r, signal_count: Number(r.signal_count) }))).toEqual([{ name: 'p\uFFFD', signal_count: 20 }]);
  });

  describe('refusals', () => {
    it('401 without a key or with a wrong one, 403 with a read-only key', async () => {
      expect((await send('ping', { name: 'x' }, {}, null)).status).toBe(401);
      expect((await send('ping', { name: 'x' }, {}, 'not-a-key')).status).toBe(401);
      const bearer = await fetch(`${t.url}/api/v1/heartbeat/ping`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: '{"name":"bearer"}',
      });
      expect(bearer.status).toBe(201);
      const read = await send('ping', { name: 'x' }, {}, await t.keyWithScope('read'));
      expect(read).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    });

    it('404 for an unknown event and for a job whose check is disabled', async () => {
      expect((await send('finish', { name: 'x' })).status).toBe(404);
      const made = await send('ping', { name: 'switched off' });
      await t.api('PATCH', `/api/v1/checks/${made.body.check_id}`, { enabled: false });
      expect((await send('ping', { name: 'switched off' })).status).toBe(404);
    });

    it('400 for a missing name, a bad status, a non-string message, an overlong header; nothing is recorded', async () => {
      const before = await t.api('GET', '/api/v1/checks?limit=1000');
      expect((await send('ping', {})).status).toBe(400);
      expect((await send('ping', 'not json at all')).status).toBe(400);
      expect((await send('end', { name: 'bad-values', status: 'sideways' })).body.error.message).toMatch(/status must be one of/);
      expect((await send('ping', { name: 'bad-values', message: 42 })).status).toBe(400);
      expect((await send('ping', { name: 'bad-values' }, { 'X-Hexcovery-Host': 'h'.repeat(201) })).status).toBe(400);
      expect((await send('ping', { name: 'bad-values', exit_code: 300 })).status).toBe(400);
      expect((await t.api('GET', '/api/v1/checks?limit=1000')).body.items).toHaveLength(before.body.items.length);
    });

    it('400 for metadata nested 40 deep (invalid_metadata) or 20,000 deep (invalid_json, refused unparsed); good signals of the same turn are all stored', async () => {
      const deep = `{"name":"poisoned","x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
      const ingest = t.server.runtime.ingest;
      const before = { ...ingest.stats };
      const [poison, ...good] = await Promise.all([
        send('ping', deep),
        ...Array.from({ length: 20 }, (_, i) => send('ping', { name: `beside-poison-${i % 4}`, step: i })),
      ]);
      expect(poison.status).toBe(400);
      expect(poison.body.error.code).toBe('invalid_json');
      const nested = await send('ping', `{"name":"poisoned","x":${'['.repeat(40)}${']'.repeat(40)}}`);
      expect(nested.status).toBe(400);
      expect(nested.body.error.code).toBe('invalid_metadata');
      expect(good.map((g) => g.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);
      // Four names, four checks (however the signals were spread over batches), each with all of its signals.
      const ids = [...new Set(good.map((g) => g.body.check_id))];
      expect(ids).toHaveLength(4);
      const counts = await Promise.all(ids.map(async (id) => (await readCheck(t, id)).signal_count));
      expect(counts).toEqual([5, 5, 5, 5]);
      expect(ingest.stats.failedBatches).toBe(before.failedBatches);
      const poisoned = await t.server.runtime.store.db.selectFrom('checks').select('id').where('name', '=', 'poisoned').execute();
      expect(poisoned).toEqual([]);
    });

    it("a key of another workspace neither sees nor touches this one's jobs", async () => {
      const mine = await send('ping', { name: 'isolated' });
      const other = await t.otherWorkspace('ping');
      const theirs = await send('ping', { name: 'isolated' }, {}, other.key);
      expect(theirs.status).toBe(201);
      expect(theirs.body.check_id).not.toBe(mine.body.check_id);
      expect((await readCheck(t, mine.body.check_id)).signal_count).toBe(1);
    });
  });
});

describe('Hexcovery rate limit', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: new ManualClock(T0), env: { OVERDUE_PING_RATE_LIMIT: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('429 with Retry-After once a job has used its burst; other jobs go on', async () => {
    const key = await t.keyWithScope('ping');
    const send = (name: string) =>
      fetch(`${t.url}/api/v1/heartbeat/ping`, { method: 'POST', headers: { 'x-api-key': key }, body: JSON.stringify({ name }) });
    for (let i = 0; i < 10; i += 1) expect((await send('busy')).status).toBeLessThan(300);
    const refused = await send('busy');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as any).error.code).toBe('rate_limited');
    expect((await send('quiet')).status).toBe(201);
  });
});
