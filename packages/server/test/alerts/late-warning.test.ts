// The early "late" warning, opt-in per channel, end to end: the scheduler queues it through the outbox, the delivery
// worker sends it to a real local webhook receiver, and the down alert follows after grace as usual.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, HOUR, iso, MINUTE, readCheck, T0 } from '../support/checks.js';
import { startReceiver, type Receiver } from '../support/http.js';
import { plainText, titleOf } from '../../src/alerts/render.js';

describe('early "late" warning per channel', () => {
  let t: TestServer;
  let receiver: Receiver;
  const clock = new ManualClock(T0);
  const tick = () => t.server.runtime.scheduler.tick();
  const deliver = () => t.server.runtime.delivery.runOnce();
  let warned: any;
  let plain: any;

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestServer({ clock, env: { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' } });
    warned = (
      await t.api('POST', '/api/v1/channels', {
        kind: 'webhook',
        name: 'early',
        config: { url: `${receiver.url}/early` },
        notify_late: true,
      })
    ).body;
    plain = (await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'plain', config: { url: `${receiver.url}/plain` } })).body;
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const received = (prefix: string, checkId: string) =>
    receiver
      .at(prefix)
      .map((r) => r.json)
      .filter((j) => j?.check?.id === checkId);

  it('a channel says whether it wants late warnings, off unless asked', async () => {
    expect(warned).toMatchObject({ name: 'early', notify_late: true });
    expect(plain).toMatchObject({ name: 'plain', notify_late: false });
    const changed = await t.api('PATCH', `/api/v1/channels/${plain.id}`, { notify_late: true });
    expect(changed.body.notify_late).toBe(true);
    await t.api('PATCH', `/api/v1/channels/${plain.id}`, { notify_late: false });
    expect((await t.api('GET', `/api/v1/channels/${plain.id}`)).body.notify_late).toBe(false);
  });

  it('a PagerDuty or Opsgenie channel refuses late warnings, which would open incidents there that nothing resolves', async () => {
    const res = await t.api('POST', '/api/v1/channels', {
      kind: 'pagerduty',
      name: 'pager',
      config: { routing_key: 'R0123456789abcdef0123456789abcdef' },
      notify_late: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid_field',
      message: expect.stringMatching(/pagerduty channel opens an incident for every message/),
    });
    const file = await t.api('POST', '/api/v1/apply', {
      document: { version: 1, channels: [{ name: 'genie', kind: 'opsgenie', config: { api_key: 'k-0123456789' }, notify_late: true }] },
    });
    expect(file.status).toBe(400);
    expect(file.body.error.problems).toEqual([expect.objectContaining({ path: 'channels[0].notify_late', code: 'invalid_field' })]);
  });

  it("a channel with notify_late gets one 'late' message when the check passes its expected time and then the down alert after grace; a channel without it gets only the down alert", async () => {
    clock.set(T0);
    const check = await createCheck(t, {
      name: 'nightly export',
      schedule: { kind: 'interval', period_s: 300 },
      grace_s: 120,
      channels: [warned.id, plain.id],
    });
    await t.ping(`/ping/${check.id}`);

    clock.set(T0 + 5 * MINUTE);
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('late');
    // Late is no incident and no flip.
    expect((await t.api('GET', `/api/v1/incidents?check=${check.id}`)).body.items).toEqual([]);
    expect((await history(t, check.id, 'flips')).map((f) => f.to)).toEqual(['up']);
    await deliver();
    const late = received('/early', check.id);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({
      event: 'check.late',
      summary: `nightly export is late: expected at ${iso(T0 + 5 * MINUTE)}, down at ${iso(T0 + 7 * MINUTE)} unless it reports`,
      check: { id: check.id, expected_at: iso(T0 + 5 * MINUTE) },
    });
    expect(received('/plain', check.id)).toEqual([]);
    // What a chat or e-mail channel shows of the same notification.
    const message = { notifications: [late[0]], idempotencyKey: 'k' };
    expect(titleOf(message)).toBe('LATE: nightly export');
    expect(plainText(message)).toContain('Status: up → late');
    expect(plainText(message)).toContain(
      `What to do: Nothing is down yet: check whether "nightly export" is running. If it does not report by ${iso(T0 + 7 * MINUTE)}, the down alert follows.`,
    );

    // Still late a minute later: nothing new.
    clock.set(T0 + 6 * MINUTE);
    await tick();
    await deliver();
    expect(received('/early', check.id)).toHaveLength(1);

    clock.set(T0 + 7 * MINUTE);
    await tick();
    await deliver();
    expect((await readCheck(t, check.id)).status).toBe('down');
    expect(received('/early', check.id).map((j) => j.event)).toEqual(['check.late', 'check.down']);
    expect(received('/plain', check.id).map((j) => j.event)).toEqual(['check.down']);
    // In the notification log like any other, without an incident.
    const log = (await t.api('GET', `/api/v1/notifications?check=${check.id}`)).body.items;
    expect(log.map((n: any) => [n.event, n.incident_id == null, n.status])).toEqual(
      expect.arrayContaining([
        ['late', true, 'sent'],
        ['down', false, 'sent'],
      ]),
    );
  });

  it('a check already down is not warned as late again, and a check that reports in grace is warned once per late episode', async () => {
    clock.set(T0 + HOUR);
    const check = await createCheck(t, { schedule: { kind: 'interval', period_s: 300 }, grace_s: 120, channels: [warned.id] });
    await t.ping(`/ping/${check.id}`);
    clock.set(T0 + HOUR + 5 * MINUTE);
    await tick();
    clock.set(T0 + HOUR + 6 * MINUTE);
    await t.ping(`/ping/${check.id}`);
    clock.set(T0 + HOUR + 11 * MINUTE);
    await tick();
    await deliver();
    expect(received('/early', check.id).map((j) => [j.event, j.check.expected_at])).toEqual([
      ['check.late', iso(T0 + HOUR + 5 * MINUTE)],
      ['check.late', iso(T0 + HOUR + 11 * MINUTE)],
    ]);
    const rows = await t.server.runtime.store.db.selectFrom('outbox').selectAll().where('check_id', '=', check.id).execute();
    expect(rows.every((r) => r.incident_id == null && r.event === 'late')).toBe(true);
  });
});
