// Sentry Crons with the real @sentry/node SDK: a DSN whose public key is the workspace's ping key, the SDK's own
// transport, withMonitor and captureCheckIn; what they send creates checks with the right schedule and records runs.
import diagnostics from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Sentry from '@sentry/node';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { history, MINUTE, pingKeyOf, readCheck, SECOND, T0 } from '../support/checks.js';

describe('Sentry Crons through @sentry/node', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  /** Every answer the SDK's transport got, to prove none was refused. */
  const answers: number[] = [];
  const bySlug = async (slug: string) => {
    const res = await t.api('GET', '/api/v1/checks?limit=200');
    return res.body.items.find((c: any) => c.slug === slug);
  };

  beforeAll(async () => {
    t = await startTestServer({ clock });
    const pingKey = await pingKeyOf(t);
    const port = new URL(t.url).port;
    Sentry.init({
      dsn: `http://${pingKey}@127.0.0.1:${port}/42`,
      release: 'my-app@1.0.0',
      environment: 'production',
      // The test server runs in this process: the SDK must not trace its requests, only send what it is asked to.
      defaultIntegrations: false,
    } as Sentry.NodeOptions);
    const transport = Sentry.getClient()!.getTransport()!;
    const send = transport.send.bind(transport);
    transport.send = async (envelope) => {
      const result = await send(envelope);
      answers.push(result?.statusCode ?? 0);
      return result;
    };
  });
  afterAll(async () => {
    await Sentry.close(2000);
    await t.close();
  });

  it('withMonitor with a crontab config creates the check, and the run it wraps is recorded with its duration', async () => {
    const result = await Sentry.withMonitor(
      'nightly-report',
      async () => {
        // The SDK sends the in_progress check-in in the background: let it arrive before the job's time passes.
        await Sentry.flush(5000);
        clock.advance(90 * SECOND);
        return 'done';
      },
      {
        schedule: { type: 'crontab', value: '0 2 * * *' },
        checkinMargin: 5,
        maxRuntime: 30,
        timezone: 'Europe/Berlin',
        failureIssueThreshold: 2,
        recoveryThreshold: 3,
      },
    );
    expect(result).toBe('done');
    await Sentry.flush(5000);

    const check = await bySlug('nightly-report');
    expect(check).toMatchObject({
      name: 'nightly-report',
      status: 'up',
      schedule: { kind: 'cron', expr: '0 2 * * *', tz: 'Europe/Berlin' },
      grace_s: 300,
      max_runtime_s: 1800,
      failure_threshold: 2,
      recovery_threshold: 3,
      run_count: 1,
    });
    const [run] = await history(t, check.id, 'runs');
    expect(run).toMatchObject({ result: 'success', duration_ms: 90_000 });
    const signals = await history(t, check.id, 'signals');
    expect(signals.map((s) => [s.kind, s.dialect])).toEqual([
      ['success', 'sentry'],
      ['start', 'sentry'],
    ]);
    // The SDK's own measurement is kept beside Overdue's, with the check-in id that joined the two signals.
    expect(signals[0].metadata).toMatchObject({ environment: 'production', release: 'my-app@1.0.0', sentry_project: '42' });
    expect(typeof signals[0].metadata.duration_s).toBe('number');
    expect(run.rid).toBe(signals[0].metadata.check_in_id);
    expect(run.rid).toMatch(/^[0-9a-f]{32}$/);
  });

  it('withMonitor whose job throws: the error is rethrown, the run fails and the check goes down', async () => {
    await expect(
      Sentry.withMonitor(
        'flaky-import',
        async () => {
          await Sentry.flush(5000);
          clock.advance(2 * SECOND);
          throw new Error('disk full');
        },
        { schedule: { type: 'interval', value: 10, unit: 'minute' }, checkinMargin: 1, maxRuntime: 5 },
      ),
    ).rejects.toThrow('disk full');
    await Sentry.flush(5000);

    const check = await bySlug('flaky-import');
    expect(check).toMatchObject({ status: 'down', schedule: { kind: 'interval', period_s: 600 }, grace_s: 60, max_runtime_s: 300 });
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ result: 'fail', duration_ms: 2000 });
  });

  it('captureCheckIn in_progress then ok with the returned id and a duration; a new config updates the check', async () => {
    const config = { schedule: { type: 'interval' as const, value: 1, unit: 'hour' as const } };
    const id = Sentry.captureCheckIn({ monitorSlug: 'hourly-sync', status: 'in_progress' }, config);
    await Sentry.flush(5000);
    const check = await bySlug('hourly-sync');
    expect(check).toMatchObject({ running: true, schedule: { kind: 'interval', period_s: 3600 }, grace_s: 60, max_runtime_s: 1800 });

    clock.advance(3 * MINUTE);
    Sentry.captureCheckIn({ checkInId: id, monitorSlug: 'hourly-sync', status: 'ok', duration: 180 });
    await Sentry.flush(5000);
    expect(await readCheck(t, check.id)).toMatchObject({ running: false, status: 'up', last_duration_ms: 180_000 });
    expect((await history(t, check.id, 'signals'))[0].metadata).toMatchObject({ duration_s: 180, check_in_id: id });

    // The same monitor sent with another schedule: the check follows the code, as Sentry's upsert does.
    Sentry.captureCheckIn(
      { monitorSlug: 'hourly-sync', status: 'in_progress' },
      { schedule: { type: 'crontab', value: '15 * * * *' }, checkinMargin: 10 },
    );
    await Sentry.flush(5000);
    expect(await readCheck(t, check.id)).toMatchObject({
      schedule: { kind: 'cron', expr: '15 * * * *', tz: 'UTC' },
      grace_s: 600,
      max_runtime_s: 1800,
      running: true,
    });
  });

  it('captureCheckIn error without an in_progress is a failure of its own: the check goes down', async () => {
    Sentry.captureCheckIn({ monitorSlug: 'weekly-cleanup', status: 'ok' }, { schedule: { type: 'crontab', value: '0 3 * * 1' } });
    await Sentry.flush(5000);
    const check = await bySlug('weekly-cleanup');
    expect(check.status).toBe('up');
    clock.advance(MINUTE);
    Sentry.captureCheckIn({ monitorSlug: 'weekly-cleanup', status: 'error' });
    await Sentry.flush(5000);
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'down', signal_count: 2 });
  });

  it('a job that started and never reported back times out after maxRuntime: the check goes down', async () => {
    Sentry.captureCheckIn(
      { monitorSlug: 'stuck-export', status: 'in_progress' },
      { schedule: { type: 'crontab', value: '0 * * * *' }, maxRuntime: 10 },
    );
    await Sentry.flush(5000);
    const check = await bySlug('stuck-export');
    expect(check).toMatchObject({ running: true, max_runtime_s: 600 });
    clock.advance(9 * MINUTE);
    await t.server.runtime.scheduler.tick();
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'new', running: true });
    clock.advance(2 * MINUTE);
    await t.server.runtime.scheduler.tick();
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'down', running: false });
    expect((await history(t, check.id, 'runs'))[0].result).toBe('timeout');
  });

  it('a large event, which the SDK gzips, is accepted and ignored', async () => {
    const encodings: (string | undefined)[] = [];
    const seen = (message: unknown) => {
      const { request } = message as { request: { url?: string; headers: Record<string, string | undefined> } };
      if (request.url?.startsWith('/api/42/envelope/')) encodings.push(request.headers['content-encoding']);
    };
    diagnostics.subscribe('http.server.request.start', seen);
    try {
      const before = (await t.api('GET', '/api/v1/checks?limit=200')).body.items.length;
      Sentry.captureException(new Error('big'), { extra: { rows: Array.from({ length: 900 }, (_, i) => `row ${i} ${'x'.repeat(60)}`) } });
      await Sentry.flush(5000);
      expect(encodings).toContain('gzip');
      expect((await t.api('GET', '/api/v1/checks?limit=200')).body.items.length).toBe(before);
    } finally {
      diagnostics.unsubscribe('http.server.request.start', seen);
    }
  });

  it('every envelope the SDK sent was accepted', () => {
    expect(answers.length).toBeGreaterThanOrEqual(9);
    expect(answers.every((s) => s === 200)).toBe(true);
  });
});
