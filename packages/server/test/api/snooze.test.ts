// Snooze: a pause that ends by itself. The scheduler resumes the check on time (its next deadline is the resume time),
// a missed beat after that alerts as usual, and a snooze survives a restart of the server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, HOUR, iso, MINUTE, readCheck, T0 } from '../support/checks.js';
import { createTestDatabase, TEST_ENGINE } from '../support/postgres.js';
import { startReceiver, type Receiver } from '../support/http.js';

describe('snooze', () => {
  let t: TestServer;
  let receiver: Receiver;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock, env: { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });
  const tick = () => t.server.runtime.scheduler.tick();

  it('"snooze 2 h" pauses the check, resumes it by itself at +2 h, and a missed beat after that alerts', async () => {
    clock.set(T0);
    const channel = (
      await t.api('POST', '/api/v1/channels', {
        kind: 'webhook',
        name: 'snooze hook',
        config: { url: `${receiver.url}/snooze` },
        is_default: false,
      })
    ).body;
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 600 }, grace_s: 60, channels: [channel.id] });
    await t.ping(`/ping/${check.key}`, { method: 'POST' });

    const snoozed = await t.api('POST', `/api/v1/checks/${check.id}/snooze`, { duration_s: 7200 });
    expect(snoozed.status, JSON.stringify(snoozed.body)).toBe(200);
    expect(snoozed.body).toMatchObject({ status: 'paused', snoozed_until: iso(T0 + 2 * HOUR), next_deadline: iso(T0 + 2 * HOUR) });

    clock.set(T0 + 2 * HOUR - 1);
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('paused');
    clock.set(T0 + 2 * HOUR);
    await tick();
    const resumed = await readCheck(t, check.id);
    expect(resumed).toMatchObject({ status: 'up', snoozed_until: null, next_expected: iso(T0 + 2 * HOUR + 10 * MINUTE) });
    const flips = (await t.api('GET', `/api/v1/checks/${check.id}/flips`)).body.items.map((f: any) => [f.to, f.reason]);
    expect(flips).toEqual(
      expect.arrayContaining([
        ['paused', expect.stringContaining('snoozed until')],
        ['up', 'snooze ended'],
      ]),
    );
    await t.server.runtime.delivery.runOnce();
    expect(receiver.at('/snooze')).toEqual([]);

    clock.set(T0 + 2 * HOUR + 11 * MINUTE);
    await tick();
    await t.server.runtime.delivery.runOnce();
    expect((await readCheck(t, check.id)).status).toBe('down');
    expect(receiver.at('/snooze').map((r) => r.json.event)).toEqual(['check.down']);
  });

  it('resume ends a snooze early; pause turns it into a pause with no end', async () => {
    clock.set(T0);
    const check = await createCheck(t);
    await t.api('POST', `/api/v1/checks/${check.id}/snooze`, { until: iso(T0 + HOUR) });
    const resumed = await t.api('POST', `/api/v1/checks/${check.id}/resume`);
    expect(resumed.body).toMatchObject({ status: 'new', snoozed_until: null });

    await t.api('POST', `/api/v1/checks/${check.id}/snooze`, { duration_s: 3600 });
    const paused = await t.api('POST', `/api/v1/checks/${check.id}/pause`);
    expect(paused.body).toMatchObject({ status: 'paused', snoozed_until: null, next_deadline: null });
    clock.set(T0 + 2 * HOUR);
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('paused');
  });

  it('a change to a snoozed check keeps its snooze', async () => {
    clock.set(T0);
    const check = await createCheck(t);
    await t.api('POST', `/api/v1/checks/${check.id}/snooze`, { duration_s: 3600 });
    const changed = await t.api('PATCH', `/api/v1/checks/${check.id}`, { grace_s: 600, schedule: { kind: 'interval', period_s: 120 } });
    expect(changed.body).toMatchObject({ status: 'paused', snoozed_until: iso(T0 + HOUR), next_deadline: iso(T0 + HOUR) });
  });

  it('refuses a snooze without a length, with both, in the past or too long, saying what to send', async () => {
    const check = await createCheck(t);
    for (const body of [
      {},
      { duration_s: 600, until: iso(T0 + HOUR) },
      { until: iso(T0 - HOUR) },
      { until: iso(T0 + 40 * 24 * HOUR) },
      { until: 'tomorrow' },
    ]) {
      clock.set(T0);
      const res = await t.api('POST', `/api/v1/checks/${check.id}/snooze`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message.length).toBeGreaterThan(20);
    }
    const read = await t.keyWithScope('read');
    expect((await t.api('POST', `/api/v1/checks/${check.id}/snooze`, { duration_s: 600 }, read)).status).toBe(403);
    const other = await t.otherWorkspace('write');
    expect((await t.api('POST', `/api/v1/checks/${check.id}/snooze`, { duration_s: 600 }, other.key)).status).toBe(404);
  });
});

describe('a snooze across a restart', () => {
  it('is resumed on time by the scheduler of the restarted server', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-snooze-'));
    const database = TEST_ENGINE === 'postgres' ? await createTestDatabase() : null;
    const env: Record<string, string> = database ? { DATABASE_URL: database.url } : {};
    try {
      const first = await startTestServer({ clock: new ManualClock(T0), dataDir, env });
      const check = await createCheck(first);
      expect((await first.api('POST', `/api/v1/checks/${check.id}/snooze`, { duration_s: 7200 })).status).toBe(200);
      await first.close();

      const clock = new ManualClock(T0 + HOUR);
      const second = await startTestServer({ clock, dataDir, env });
      await second.server.runtime.scheduler.tick();
      expect((await readCheck(second, check.id)).status).toBe('paused');
      clock.set(T0 + 2 * HOUR);
      await second.server.runtime.scheduler.tick();
      expect(await readCheck(second, check.id)).toMatchObject({ status: 'new', snoozed_until: null });
      await second.close();
    } finally {
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
