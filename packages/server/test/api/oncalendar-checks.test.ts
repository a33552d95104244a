// OnCalendar schedules through the APIs: kind "oncalendar" in the native API, and healthchecks.io v3's `schedule`
// (anything that is not one line of five cron fields) with `tz`; the check is then timed by it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, readCheck } from '../support/checks.js';

describe('OnCalendar checks', () => {
  let t: TestServer;
  // Friday 6 March 2026, 10:00 UTC.
  const clock = new ManualClock(Date.parse('2026-03-06T10:00:00Z'));
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('native API: {kind: "oncalendar", expr, tz}; after a ping the next beat is the next weekday at 09:00 local', async () => {
    const check = await createCheck(t, { schedule: { kind: 'oncalendar', expr: 'Mon..Fri 09:00', tz: 'Europe/Berlin' }, grace_s: 600 });
    expect(check.schedule).toEqual({ kind: 'oncalendar', expr: 'Mon..Fri 09:00', tz: 'Europe/Berlin' });
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(200);
    expect((await readCheck(t, check.id)).next_expected).toBe('2026-03-09T08:00:00.000Z');
  });

  it('native API: an expression it cannot time is a 400 invalid_schedule that says why', async () => {
    const res = await t.api('POST', '/api/v1/checks', { name: 'bad calendar', schedule: { kind: 'oncalendar', expr: 'Funday 09:00' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_schedule', message: expect.stringContaining('"Funday" is not a weekday') });
  });

  it("healthchecks.io v3: the docs' OnCalendar example with tz is accepted, shown back, and times the check", async () => {
    const res = await t.api('POST', '/api/v3/checks/', { name: 'month end', schedule: '*-*~1 12:00', tz: 'Europe/Riga' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ schedule: '*-*~1 12:00', tz: 'Europe/Riga' });
    const check = await readCheck(t, res.body.uuid);
    expect(check.schedule).toEqual({ kind: 'oncalendar', expr: '*-*~1 12:00', tz: 'Europe/Riga' });
    await t.ping(`/ping/${check.id}`);
    expect((await readCheck(t, check.id)).next_expected).toBe('2026-03-31T09:00:00.000Z');
    const changed = await t.api('POST', `/api/v3/checks/${check.id}`, { tz: 'UTC' });
    expect(changed.body).toMatchObject({ schedule: '*-*~1 12:00', tz: 'UTC' });
    const cron = await t.api('POST', `/api/v3/checks/${check.id}`, { schedule: '0 2 * * *' });
    expect((await readCheck(t, check.id)).schedule).toEqual({ kind: 'cron', expr: '0 2 * * *', tz: 'UTC' });
    expect(cron.status).toBe(200);
  });
});
