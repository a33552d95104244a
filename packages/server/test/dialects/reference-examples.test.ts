// Every example request of the reference docs (shared/reference), sent as its tool sends it with only the host
// replaced (placeholders like MONITOR_ID filled in as a user would), and its effect read back through the native API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, iso, MINUTE, readCheck, SECOND, T0 } from '../support/checks.js';
import { curl } from './support/replay.js';

describe('Hexcovery examples', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer({ clock });
    env = { HEXCOVERY_API_KEY: await t.keyWithScope('ping') };
  });
  afterAll(async () => {
    await t.close();
  });

  it('start then end: a run named nightly-backup, created by its first signal, closed as a success', async () => {
    const start = await curl(
      t.url,
      `curl -X POST https://server/api/v1/heartbeat/start \\
  -H "X-API-Key: $HEXCOVERY_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"name":"nightly-backup"}'`,
      env,
    );
    expect(start.status).toBe(201);
    expect(start.json).toMatchObject({ ok: true, event: 'start', name: 'nightly-backup', created: true, running: true });
    clock.advance(95 * SECOND);
    const end = await curl(
      t.url,
      `curl -X POST https://server/api/v1/heartbeat/end \\
  -H "X-API-Key: $HEXCOVERY_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"name":"nightly-backup","status":"success"}'`,
      env,
    );
    expect(end.status).toBe(200);
    expect(end.json).toMatchObject({ event: 'end', created: false, status: 'up', running: false });

    const check = await readCheck(t, start.json.check_id);
    expect(check).toMatchObject({ name: 'nightly-backup', status: 'up', run_count: 1, last_duration_ms: 95_000 });
    const [run] = await history(t, check.id, 'runs');
    expect(run).toMatchObject({ result: 'success', duration_ms: 95_000, started_at: iso(T0) });
    expect((await history(t, check.id, 'signals')).map((s) => [s.kind, s.dialect])).toEqual([
      ['success', 'hexcovery'],
      ['start', 'hexcovery'],
    ]);
  });

  it('start with the attribution headers: host on the run, service and project on the check, host in the project roll-up', async () => {
    const res = await curl(
      t.url,
      `curl -X POST https://server/api/v1/heartbeat/start \\
  -H "X-API-Key: $HEXCOVERY_API_KEY" \\
  -H "X-Hexcovery-Host: db-prod-01" \\
  -H "X-Hexcovery-Service: backup-runner" \\
  -H "X-Hexcovery-Project: data-platform" \\
  -H "Content-Type: application/json" \\
  -d '{"name":"nightly-backup"}'`,
      env,
    );
    expect(res.status).toBe(200);
    const check = await readCheck(t, res.json.check_id);
    expect(check).toMatchObject({ project: 'data-platform', service: { name: 'backup-runner' }, running: true });
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ host: 'db-prod-01', running: true });
    const hosts = await t.api('GET', '/api/v1/projects/data-platform/hosts');
    expect(hosts.status).toBe(200);
    expect(hosts.body.items).toEqual([
      expect.objectContaining({ host: 'db-prod-01', checks: [expect.objectContaining({ id: check.id, name: 'nightly-backup' })] }),
    ]);
  });
});

describe('Kodo examples', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  let env: Record<string, string>;
  let monitor: any;
  // The user puts their monitor's id where the docs say MONITOR_ID, and their key where they say YOUR_API_KEY.
  const fill = (command: string) => command.replaceAll('MONITOR_ID', monitor.id).replaceAll('YOUR_API_KEY', env.KODO_API_KEY);
  beforeAll(async () => {
    t = await startTestServer({ clock });
    const key = await t.api('POST', '/api/v1/keys', { name: 'kodo', scope: 'heartbeat:write' });
    env = { KODO_API_KEY: key.body.key };
    monitor = await createCheck(t, { name: 'backup', preset: 'kodo', schedule: { kind: 'interval', period_s: 300 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a bare POST is a heartbeat: up', async () => {
    const res = await curl(
      t.url,
      fill(`curl -X POST "https://kodostatus.com/api/heartbeat/MONITOR_ID" \\
  -H "X-API-Key: YOUR_API_KEY"`),
    );
    expect(res.status).toBe(200);
    expect(res.sent).toMatchObject({ method: 'POST', body: undefined });
    expect(await readCheck(t, monitor.id)).toMatchObject({ status: 'up', signal_count: 1, degraded: false });
  });

  it('status and message in a JSON body', async () => {
    const res = await curl(
      t.url,
      fill(`curl -X POST "https://kodostatus.com/api/heartbeat/MONITOR_ID" \\
  -H "X-API-Key: YOUR_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"status": "up", "message": "Backup completed"}'`),
    );
    expect(res.status).toBe(200);
    expect(await readCheck(t, monitor.id)).toMatchObject({ status: 'up', last_message: 'Backup completed' });
  });

  it('the crontab line: curl -fsS without -d is a GET, and counts', async () => {
    const line = '0 2 * * * /path/to/backup.sh && curl -fsS -H "X-API-Key: $KODO_API_KEY" https://kodostatus.com/api/heartbeat/MONITOR_ID';
    const res = await curl(t.url, fill(line.split('&& ')[1]), env);
    expect(res.sent.method).toBe('GET');
    expect(res.status).toBe(200);
    expect((await history(t, monitor.id, 'signals'))[0]).toMatchObject({ method: 'GET', kind: 'success', dialect: 'kodo' });
  });

  it('reporting failures: -d without a Content-Type (a form, to curl) is still read as JSON; down is a failure', async () => {
    const up = await curl(
      t.url,
      fill(`curl -X POST "https://kodostatus.com/api/heartbeat/MONITOR_ID" \\
    -H "X-API-Key: $KODO_API_KEY" \\
    -d '{"status": "up"}'`),
      env,
    );
    expect(up.sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(up.status).toBe(200);
    clock.advance(MINUTE);
    const down = await curl(
      t.url,
      fill(`curl -X POST "https://kodostatus.com/api/heartbeat/MONITOR_ID" \\
    -H "X-API-Key: $KODO_API_KEY" \\
    -H "Content-Type: application/json" \\
    -d '{"status": "down", "message": "Job failed with exit code 1"}'`),
      env,
    );
    expect(down.status).toBe(200);
    // Kodo's default failure threshold for heartbeats is 2: one failure is news, not an incident yet.
    expect(await readCheck(t, monitor.id)).toMatchObject({
      status: 'up',
      consecutive_failures: 1,
      last_message: 'Job failed with exit code 1',
    });
    await curl(
      t.url,
      fill(
        `curl -X POST "https://kodostatus.com/api/heartbeat/MONITOR_ID" -H "X-API-Key: $KODO_API_KEY" -H "Content-Type: application/json" -d '{"status": "down"}'`,
      ),
      env,
    );
    expect((await readCheck(t, monitor.id)).status).toBe('down');
  });
});

describe('Exemplar example', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: new ManualClock(T0) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('POST /api/monitoring/heartbeat with monitor_id and metadata: a success carrying the metadata', async () => {
    const monitor = await createCheck(t, { name: 'worker', schedule: { kind: 'interval', period_s: 600 }, grace_s: 120 });
    const token = await t.keyWithScope('ping');
    const command = `curl -sS -X POST 'https://production-api.exemplar.dev/api/monitoring/heartbeat' \\ -H 'Content-Type: application/json' \\ -H 'X-API-Key: <access token>' \\ -d '{"monitor_id":"<monitor_id>","metadata":{"hostname":"worker-01"}}'`;
    // The page prints the command on one line with its continuation backslashes; a shell reads "\ " as a space.
    const res = await curl(t.url, command.replaceAll('\\ ', ' ').replace('<access token>', token).replace('<monitor_id>', monitor.id));
    expect(res.status).toBe(200);
    expect(await readCheck(t, monitor.id)).toMatchObject({ status: 'up', signal_count: 1 });
    expect((await history(t, monitor.id, 'signals'))[0]).toMatchObject({
      kind: 'success',
      dialect: 'exemplar',
      metadata: { hostname: 'worker-01' },
    });
    const view = await t.api('GET', `/api/monitoring/heartbeat/${monitor.id}`);
    expect(view.body).toMatchObject({ monitor_id: monitor.id, expected_interval_minutes: 10, grace_period_minutes: 2, status: 'up' });
  });
});
