// protocol.md §6 POST /checks: every setting a check can be created with comes back as given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, HOUR, iso, MINUTE, T0 } from '../support/checks.js';

describe('creating checks', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('an interval check with grace in seconds, and every field of the answer', async () => {
    const res = await t.api('POST', '/api/v1/checks', {
      name: 'Nightly backup',
      schedule: { kind: 'interval', period_s: 300 },
      grace_s: 60,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Nightly backup',
      slug: 'nightly-backup',
      description: '',
      project: null,
      service: null,
      tags: [],
      schedule: { kind: 'interval', period_s: 300 },
      grace_s: 60,
      grace_multiplier: null,
      effective_grace_s: 60,
      max_runtime_s: null,
      failure_threshold: 1,
      recovery_threshold: 1,
      manual_resume: false,
      alert_before_first_ping: false,
      enabled: true,
      methods: null,
      channels: [],
      status: 'new',
      running: false,
      degraded: false,
      open_runs: 0,
      next_expected: null,
      next_deadline: null,
      last_signal_at: null,
      last_success_at: null,
      run_count: 0,
      signal_count: 0,
      last_duration_ms: null,
      last_message: null,
      created_at: iso(T0),
      updated_at: iso(T0),
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.key).toMatch(/^[0-9A-Za-z]{8}$/);
    expect(res.body.ping_url).toBe(`${t.url}/ping/${res.body.key}`);
    // The ping URL it hands out works.
    expect((await fetch(res.body.ping_url)).status).toBe(200);
  });

  it('a cron check in a time zone', async () => {
    const check = await createCheck(t, {
      name: 'berlin 2am',
      schedule: { kind: 'cron', expr: '0 2 * * *', tz: 'Europe/Berlin' },
      grace_s: 300,
    });
    expect(check.schedule).toEqual({ kind: 'cron', expr: '0 2 * * *', tz: 'Europe/Berlin' });
  });

  it('a cron check without a time zone runs in UTC', async () => {
    const check = await createCheck(t, { schedule: { kind: 'cron', expr: '*/15 * * * *' } });
    expect(check.schedule).toEqual({ kind: 'cron', expr: '*/15 * * * *', tz: 'UTC' });
  });

  it('grace as a multiplier of the period', async () => {
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 600 }, grace_multiplier: 1.5 });
    expect(check).toMatchObject({ grace_s: null, grace_multiplier: 1.5, effective_grace_s: 300 });
  });

  it('no grace given: five minutes', async () => {
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 600 } });
    expect(check).toMatchObject({ grace_s: 300, effective_grace_s: 300 });
  });

  it('max runtime, thresholds, manual resume, methods, tags, project, service and description', async () => {
    const check = await createCheck(t, {
      name: 'ETL',
      slug: 'etl-main',
      description: 'loads the warehouse',
      max_runtime_s: 1800,
      failure_threshold: 3,
      recovery_threshold: 2,
      manual_resume: true,
      methods: ['post', 'GET', 'POST'],
      tags: ['prod', ' etl ', 'prod', ''],
      project: 'warehouse',
      service: 'loader',
    });
    expect(check).toMatchObject({
      name: 'ETL',
      slug: 'etl-main',
      description: 'loads the warehouse',
      max_runtime_s: 1800,
      failure_threshold: 3,
      recovery_threshold: 2,
      manual_resume: true,
      methods: ['POST', 'GET'],
      tags: ['prod', 'etl'],
      project: 'warehouse',
      service: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'loader' },
    });
  });

  it('a service named again is the same service; a new UUID becomes the service id', async () => {
    const a = await createCheck(t, { service: 'shared-svc' });
    const b = await createCheck(t, { service: 'shared-svc' });
    expect(a.service.id).toBe(b.service.id);
    const id = '7e3a1b52-4c8d-4e0f-9a61-2b5d3c4e5f60';
    const c = await createCheck(t, { service: id });
    // Named by its id's first part (a whole UUID makes a poor name); renamed in the dashboard or by the API.
    expect(c.service).toEqual({ id, name: 'service 7e3a1b52' });
  });

  it('alert_before_first_ping expects the first beat one period after creation', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 3600 }, grace_s: 600, alert_before_first_ping: true });
    expect(check).toMatchObject({ alert_before_first_ping: true, next_expected: iso(T0 + HOUR), next_deadline: iso(T0 + HOUR) });
  });

  it('a name that slugifies like an existing one gets a numbered slug; an explicit duplicate slug is 409', async () => {
    const first = await createCheck(t, { name: 'Twin Job' });
    const second = await createCheck(t, { name: 'twin job' });
    expect([first.slug, second.slug]).toEqual(['twin-job', 'twin-job-2']);
    const dup = await t.api('POST', '/api/v1/checks', { name: 'other', slug: 'twin-job' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('slug_taken');
  });

  it('only a name is required: a daily check with 5 minutes of grace', async () => {
    const res = await t.api('POST', '/api/v1/checks', { name: 'minimal' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ schedule: { kind: 'interval', period_s: 86400 }, grace_s: 300 });
  });

  it('a created check is disabled when asked, and the ping then 404s', async () => {
    const check = await createCheck(t, { enabled: false });
    expect(check.enabled).toBe(false);
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(404);
  });

  it('a check with a failing cron minute gets deadlines from the cron expression', async () => {
    clock.set(Date.parse('2026-03-02T10:07:00Z'));
    const check = await createCheck(t, { schedule: { kind: 'cron', expr: '*/15 * * * *', tz: 'UTC' }, grace_s: 120 });
    await t.ping(`/ping/${check.id}`);
    const read = (await t.api('GET', `/api/v1/checks/${check.id}`)).body;
    expect(read.next_expected).toBe('2026-03-02T10:15:00.000Z');
    expect(read.next_deadline).toBe('2026-03-02T10:15:00.000Z');
    expect(read.effective_grace_s).toBe(120);
    clock.set(T0 + 10 * MINUTE);
  });
});
