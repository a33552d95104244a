// What a down alert tells the person who reads it: the end of the failed job's output, and the beat that was missed
// (not the next one, which is still in the future when the alert goes out).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, iso, readCheck, SECOND, T0 } from '../support/checks.js';
import { startReceiver, type Receiver } from '../support/http.js';
import { plainText } from '../../src/alerts/render.js';

describe('down alerts', () => {
  let t: TestServer;
  let receiver: Receiver;
  const clock = new ManualClock(T0);
  const deliver = () => t.server.runtime.delivery.runOnce();
  const alertsOf = (checkId: string) => receiver.requests.filter((r) => r.json?.check?.id === checkId).map((r) => r.json);

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestServer({ clock, env: { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' } });
    expect(
      (await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'hook', config: { url: `${receiver.url}/hook` } })).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it("from a failure signal quote the end of the job's output, in the JSON and in the text channels read", async () => {
    clock.set(T0);
    const check = await createCheck(t, { name: 'alert output' });
    await t.ping(`/ping/${check.id}/3`, { method: 'POST', body: 'copying...\nERROR: disk full on /var/backups\n' });
    await deliver();
    const [alert] = alertsOf(check.id);
    expect(alert).toMatchObject({ event: 'check.down', output: 'copying...\nERROR: disk full on /var/backups' });
    expect(alert.action).toMatch(/^Read the end of the job's output below/);
    expect(plainText({ notifications: [alert], idempotencyKey: 'x' })).toContain(
      'Output (end): copying...\nERROR: disk full on /var/backups',
    );
  });

  it('quote at most the last 1,000 characters of a long output, from a line start', async () => {
    clock.set(T0);
    const check = await createCheck(t, { name: 'alert long output' });
    const lines = Array.from({ length: 500 }, (_, i) => `step ${i} done`).join('\n');
    await t.ping(`/ping/${check.id}/fail`, { method: 'POST', body: `${lines}\nFATAL: out of memory` });
    await deliver();
    const [alert] = alertsOf(check.id);
    expect(alert.output.length).toBeLessThanOrEqual(1001);
    expect(alert.output).toMatch(/^…\nstep \d+ done\n/);
    expect(alert.output.endsWith('step 499 done\nFATAL: out of memory')).toBe(true);
  });

  it('without output (a missed beat) carry none, and name the beat that was missed as expected_at', async () => {
    clock.set(T0);
    const check = await createCheck(t, { name: 'alert missed beat', schedule: { kind: 'interval', period_s: 20 }, grace_s: 10 });
    await t.ping(`/ping/${check.id}`);
    clock.set(T0 + 30 * SECOND);
    await t.server.runtime.scheduler.tick();
    expect((await readCheck(t, check.id)).status).toBe('down');
    await deliver();
    const [alert] = alertsOf(check.id);
    expect(alert.output).toBeNull();
    expect(alert.check).toMatchObject({ expected_at: iso(T0 + 20 * SECOND), next_expected_at: iso(T0 + 40 * SECOND) });
    expect(Date.parse(alert.check.expected_at)).toBeLessThan(Date.parse(alert.flip.at));
  });

  it('of a failure signal without a body carry no output', async () => {
    clock.set(T0);
    const check = await createCheck(t, { name: 'alert bare fail' });
    await t.ping(`/ping/${check.id}/fail`);
    await deliver();
    expect(alertsOf(check.id)[0]).toMatchObject({ event: 'check.down', output: null });
  });
});
