// Prometheus metrics: GET /metrics for the process and GET /api/v1/metrics for one workspace's checks. Both are
// read back through a strict parser of the text format, and the series are checked to follow what happened.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, MINUTE, readCheck, T0 } from '../support/checks.js';
import { startReceiver, type Receiver } from '../support/http.js';
import { parsePrometheus } from '../support/prometheus.js';
import { readIdOf } from '../../src/store/ids.js';

async function scrape(t: TestServer, route = '/metrics', headers: Record<string, string> = {}) {
  const res = await fetch(t.url + route, { headers });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), text };
}

describe('GET /metrics', () => {
  let t: TestServer;
  let receiver: Receiver;
  const clock = new ManualClock(T0);

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestServer({ clock, env: { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' } });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('is Prometheus text with process metrics and every Overdue family, typed', async () => {
    const res = await scrape(t);
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parsePrometheus(res.text);
    expect(m.types.get('process_cpu_seconds_total')).toBe('counter');
    expect(m.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(Object.fromEntries([...m.types].filter(([name]) => name.startsWith('overdue_')))).toEqual({
      overdue_signals_total: 'counter',
      overdue_signals_refused_total: 'counter',
      overdue_ingest_latency_seconds: 'histogram',
      overdue_ping_request_duration_seconds: 'histogram',
      overdue_ingest_batch_size: 'histogram',
      overdue_ingest_failed_batches_total: 'counter',
      overdue_client_rate_limited_total: 'counter',
      overdue_scheduler_lag_seconds: 'histogram',
      overdue_delivery_attempts_total: 'counter',
      overdue_retention_deleted_rows_total: 'counter',
      overdue_outbox_depth: 'gauge',
      overdue_checks: 'gauge',
    });
  });

  it('counts signals by dialect and kind, observes their ingest latency and batch sizes', async () => {
    const check = await createCheck(t);
    const before = parsePrometheus((await scrape(t)).text);
    const latencyBefore = before.value('overdue_ingest_latency_seconds_count') ?? 0;
    await t.ping(`/ping/${check.id}/start`);
    await t.ping(`/ping/${check.id}`);
    await t.ping(`/ping/${check.key}`);
    await t.ping(`/ping/${check.key}/fail`);
    await t.ping('/ping/00000000-0000-4000-8000-000000000000');
    const after = parsePrometheus((await scrape(t)).text);
    // The README's key form (/ping/abc123de) is Overdue's own ping URL: native, not CronBeats.
    expect(after.value('overdue_signals_total', { dialect: 'native', kind: 'start' })).toBe(1);
    expect(after.value('overdue_signals_total', { dialect: 'native', kind: 'success' })).toBe(2);
    expect(after.value('overdue_signals_total', { dialect: 'native', kind: 'fail' })).toBe(1);
    expect(after.value('overdue_signals_total', { dialect: 'cronbeats', kind: 'success' })).toBeUndefined();
    const signals = (await t.api('GET', `/api/v1/checks/${check.id}/signals`)).body.items;
    expect(signals.map((s: { dialect: string }) => s.dialect)).toEqual(['native', 'native', 'native', 'native']);
    expect(after.value('overdue_signals_refused_total', { reason: 'not_found' })).toBe(1);
    expect(after.value('overdue_ingest_latency_seconds_count')).toBe(latencyBefore + 5);
    expect(after.value('overdue_ingest_latency_seconds_bucket', { le: '+Inf' })).toBe(latencyBefore + 5);
    expect(after.value('overdue_ingest_latency_seconds_sum')).toBeGreaterThan(0);
    expect(after.value('overdue_ingest_batch_size_sum')).toBe((before.value('overdue_ingest_batch_size_sum') ?? 0) + 5);
  });

  it('times each native ping from arrival to answer, refused ones included, and nothing else', async () => {
    const check = await createCheck(t);
    const count = async () => parsePrometheus((await scrape(t)).text).value('overdue_ping_request_duration_seconds_count') ?? 0;
    const before = await count();
    await t.ping(`/ping/${check.id}`);
    await t.ping(`/ping/${check.key}/log`);
    await t.ping('/ping/00000000-0000-4000-8000-000000000000');
    await readCheck(t, check.id);
    await fetch(`${t.url}/api/heartbeat/${check.id}`, { method: 'POST' });
    const after = parsePrometheus((await scrape(t)).text);
    // The scrapes, the API read and the dialect request are not native pings.
    expect(after.value('overdue_ping_request_duration_seconds_count')).toBe(before + 3);
    expect(after.value('overdue_ping_request_duration_seconds_bucket', { le: '+Inf' })).toBe(before + 3);
    expect(after.value('overdue_ping_request_duration_seconds_sum')).toBeGreaterThan(0);
  });

  it('reports checks by status and the outbox depth, read from the store when scraped', async () => {
    await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'hook', config: { url: `${receiver.url}/hook` } });
    const before = parsePrometheus((await scrape(t)).text);
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    await t.ping(`/ping/${check.id}`);
    const up = parsePrometheus((await scrape(t)).text);
    expect(up.value('overdue_checks', { status: 'up' })).toBe((before.value('overdue_checks', { status: 'up' }) ?? 0) + 1);

    clock.set(T0 + 6 * MINUTE);
    await t.server.runtime.scheduler.tick();
    const down = parsePrometheus((await scrape(t)).text);
    expect(down.value('overdue_checks', { status: 'down' })).toBe((before.value('overdue_checks', { status: 'down' }) ?? 0) + 1);
    expect(down.value('overdue_checks', { status: 'up' })).toBe(before.value('overdue_checks', { status: 'up' }));
    expect(down.value('overdue_outbox_depth')).toBe(1);
    expect(down.value('overdue_scheduler_lag_seconds_count')).toBeGreaterThanOrEqual(1);

    await t.server.runtime.delivery.runOnce();
    const sent = parsePrometheus((await scrape(t)).text);
    expect(sent.value('overdue_outbox_depth')).toBe(0);
    expect(sent.value('overdue_delivery_attempts_total', { result: 'sent' })).toBe(1);
  });
});

describe('the scheduler lag histogram', () => {
  it('a scheduler pass records how late after each deadline it ran', async () => {
    const clock = new ManualClock(T0);
    const t = await startTestServer({ clock });
    onTestFinished(() => t.close());
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    await t.ping(`/ping/${check.id}`);
    const before = parsePrometheus((await scrape(t)).text);
    // The check is late at +5 min; the pass happens 30 s after that deadline.
    clock.set(T0 + 5 * MINUTE + 30_000);
    await t.server.runtime.scheduler.tick();
    const after = parsePrometheus((await scrape(t)).text);
    expect(after.value('overdue_scheduler_lag_seconds_count')).toBe(before.value('overdue_scheduler_lag_seconds_count')! + 1);
    expect(after.value('overdue_scheduler_lag_seconds_sum')! - before.value('overdue_scheduler_lag_seconds_sum')!).toBeCloseTo(30, 6);
    expect(after.value('overdue_scheduler_lag_seconds_bucket', { le: '10' })).toBe(
      before.value('overdue_scheduler_lag_seconds_bucket', { le: '10' }),
    );
    expect(after.value('overdue_scheduler_lag_seconds_bucket', { le: '30' })).toBe(
      before.value('overdue_scheduler_lag_seconds_bucket', { le: '30' })! + 1,
    );
  });
});

describe('GET /metrics with OVERDUE_METRICS_TOKEN, and switched off', () => {
  it('wants the bearer token when one is configured', async () => {
    const token = 'metrics-token-0123456789';
    const t = await startTestServer({ clock: new ManualClock(T0), env: { OVERDUE_METRICS_TOKEN: token } });
    try {
      expect((await scrape(t)).status).toBe(401);
      expect((await scrape(t, '/metrics', { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
      const ok = await scrape(t, '/metrics', { authorization: `Bearer ${token}` });
      expect(ok.status).toBe(200);
      parsePrometheus(ok.text);
    } finally {
      await t.close();
    }
  });

  it('is not served when OVERDUE_METRICS=false', async () => {
    const t = await startTestServer({ clock: new ManualClock(T0), env: { OVERDUE_METRICS: 'false' } });
    try {
      expect((await scrape(t)).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe("GET /api/v1/metrics (a workspace's checks)", () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it("needs a key and shows each check of the key's workspace only, with its status", async () => {
    expect((await scrape(t, '/api/v1/metrics')).status).toBe(401);
    const readKey = await t.keyWithScope('read');
    const other = await t.otherWorkspace('read');
    await t.api('POST', '/api/v1/checks', { name: 'elsewhere', schedule: { kind: 'interval', period_s: 60 } }, other.key);

    const tricky = 'Backup "nightly" \\ db\nprimary';
    const a = await createCheck(t, { name: tricky, slug: 'backup-db', tags: ['prod', 'db'], max_runtime_s: 3600 });
    const b = await createCheck(t, { name: 'reports', tags: ['prod'], schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    await t.ping(`/ping/${a.id}/start`);
    await t.ping(`/ping/${b.id}`);
    clock.set(T0 + 6 * MINUTE);
    await t.server.runtime.scheduler.tick();

    const res = await scrape(t, '/api/v1/metrics', { 'x-api-key': readKey });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parsePrometheus(res.text);
    expect(
      m
        .find('overdue_check_up')
        .map((s) => s.labels.name)
        .sort(),
    ).toEqual([tricky, 'reports'].sort());
    expect(res.text).not.toContain('elsewhere');

    const started = (await readCheck(t, a.id)).status;
    expect(m.value('overdue_check_up', { check: 'backup-db' })).toBe(started === 'up' ? 1 : 0);
    expect(m.value('overdue_check_status', { check: 'backup-db', status: started })).toBe(1);
    expect(m.value('overdue_check_running', { check: 'backup-db' })).toBe(1);
    // A read key may not ping: it gets the check's read id and no key (issue 12); a write key gets both.
    expect(m.find('overdue_check_up', { check: 'backup-db' })[0].labels).toEqual({ check: 'backup-db', name: tricky, id: readIdOf(a.id) });
    const written = parsePrometheus((await scrape(t, '/api/v1/metrics', { 'x-api-key': await t.keyWithScope('write') })).text);
    expect(written.find('overdue_check_up', { check: 'backup-db' })[0].labels).toEqual({
      check: 'backup-db',
      name: tricky,
      key: a.key,
      id: a.id,
    });

    expect(m.value('overdue_check_up', { check: b.slug })).toBe(0);
    expect(m.value('overdue_check_status', { check: b.slug, status: 'down' })).toBe(1);
    expect(m.value('overdue_check_status', { check: b.slug, status: 'up' })).toBe(0);
    expect(m.value('overdue_check_last_signal_timestamp_seconds', { check: b.slug })).toBe(T0 / 1000);
    expect(m.value('overdue_check_signals_total', { check: b.slug })).toBe(1);
    expect(m.value('overdue_tag_up', { tag: 'prod' })).toBe(0);
    expect(m.value('overdue_tag_up', { tag: 'db' })).toBe(1);
    expect(m.value('overdue_workspace_checks', { status: 'down' })).toBe(1);
    expect(m.value('overdue_workspace_checks', { status: started })).toBe(1);
  });
});
