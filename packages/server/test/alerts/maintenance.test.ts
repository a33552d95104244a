// Maintenance windows through the real server: nothing alerts inside a window, what happened is still recorded, and a
// check still down when the window ends alerts then, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlerting, type Alerting } from './support/alerting.js';

let a: Alerting;
beforeAll(async () => {
  a = await startAlerting();
});
afterAll(async () => {
  await a.close();
});

const MIN = 60_000;
const DAY = 86_400_000;
/** 00:00 UTC of a day after the harness's T0, one per test so windows of different tests never meet. */
let day = Date.parse('2025-03-04T00:00:00Z');
const at = (hhmm: string) => day + Number(hhmm.slice(0, 2)) * 3_600_000 + Number(hhmm.slice(3, 5)) * MIN;

/** A daily job's check (a day's period, an hour of grace) subscribed to its own webhook path, with a success at 01:50. */
async function nightlyJob(path: string, options: Record<string, unknown> = {}, sameDay = false) {
  if (!sameDay) day += 2 * DAY;
  a.clock.set(at('01:50'));
  const channel = await a.channel('webhook', { url: `${a.receiver.url}${path}` }, { is_default: false });
  const check = await a.check({ channels: [channel.id], schedule: { kind: 'interval', period_s: 86_400 }, grace_s: 3600, ...options });
  await a.ping(check);
  return check;
}

async function window(body: Record<string, unknown>) {
  const res = await a.t.api('POST', '/api/v1/maintenance-windows', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Moves the clock to `hhmm` of the test's day and runs the scheduler and the delivery worker. */
async function until(hhmm: string) {
  a.clock.set(at(hhmm));
  await a.tick();
  await a.deliver();
}

const sent = (path: string) => a.receiver.at(path).map((r) => r.json);
const flipsOf = async (check: any) => (await a.t.api('GET', `/api/v1/checks/${check.id}/flips`)).body.items;
const incidentsOf = async (check: any) => (await a.t.api('GET', `/api/v1/incidents?check=${check.id}`)).body.items;

describe('a maintenance window over 02:00–03:00', () => {
  it('sends nothing when the job fails at 02:10 but records the flip, and alerts once at 03:00 if the check is still down', async () => {
    const check = await nightlyJob('/mw/still-down');
    await window({ name: 'nightly db maintenance', check: check.id, cron: '0 2 * * *', duration_s: 3600, tz: 'UTC', reason: 'vacuum' });
    a.clock.set(at('02:10'));
    await a.ping(check, 'fail');
    await until('02:59');
    expect(sent('/mw/still-down')).toEqual([]);
    expect(await incidentsOf(check)).toEqual([]);
    const shown = (await a.t.api('GET', `/api/v1/checks/${check.id}`)).body;
    expect(shown).toMatchObject({ status: 'down', maintenance_until: new Date(at('03:00')).toISOString() });
    expect((await flipsOf(check)).map((f: any) => f.to)).toContain('down');

    await until('03:00');
    const alerts = sent('/mw/still-down');
    expect(alerts.map((n) => n.event)).toEqual(['check.down']);
    const dayText = new Date(day).toISOString().slice(0, 10);
    expect(alerts[0].flip.reason).toContain(`went down during a maintenance window at ${dayText} 02:10 UTC`);
    expect(alerts[0].flip.reason).toContain('still down after the window ended');
    expect(await incidentsOf(check)).toHaveLength(1);

    await until('05:00');
    expect(sent('/mw/still-down')).toHaveLength(1);
  });

  it('sends nothing at all when the check recovers at 02:40, inside the window', async () => {
    const check = await nightlyJob('/mw/recovered');
    await window({ name: 'recovers inside', check: check.id, cron: '0 2 * * *', duration_s: 3600 });
    a.clock.set(at('02:10'));
    await a.ping(check, 'fail');
    a.clock.set(at('02:40'));
    await a.ping(check);
    await until('03:30');
    expect(sent('/mw/recovered')).toEqual([]);
    expect(await incidentsOf(check)).toEqual([]);
    expect((await flipsOf(check)).map((f: any) => f.to)).toEqual(expect.arrayContaining(['down', 'up']));
  });

  it('keeps a reminder due inside the window until the window ends', async () => {
    const check = await nightlyJob('/mw/reminder', { realert_s: 600 });
    a.clock.set(at('01:55'));
    await a.ping(check, 'fail');
    await a.deliver();
    expect(sent('/mw/reminder').map((n) => n.event)).toEqual(['check.down']);
    await window({ name: 'reminders wait', check: check.id, cron: '0 2 * * *', duration_s: 3600 });
    for (const hhmm of ['02:05', '02:15', '02:30', '02:59']) await until(hhmm);
    expect(sent('/mw/reminder').map((n) => n.event)).toEqual(['check.down']);
    await until('03:00');
    expect(sent('/mw/reminder').map((n) => n.event)).toEqual(['check.down', 'check.still_down']);
  });
});

describe('scopes', () => {
  it('a tag window quiets the checks with that tag and no other', async () => {
    const tagged = await nightlyJob('/mw/tagged', { tags: ['db1'] });
    const other = await nightlyJob('/mw/untagged', { tags: ['web'] }, true);
    await window({ name: 'db1 upgrade', tag: 'db1', cron: '0 2 * * *', duration_s: 3600 });
    a.clock.set(at('02:10'));
    await a.ping(tagged, 'fail');
    await a.ping(other, 'fail');
    await until('02:11');
    expect(sent('/mw/tagged')).toEqual([]);
    expect(sent('/mw/untagged').map((n) => n.event)).toEqual(['check.down']);
    await until('03:00');
    expect(sent('/mw/tagged').map((n) => n.event)).toEqual(['check.down']);
    const list = (await a.t.api('GET', '/api/v1/maintenance-windows')).body.items;
    expect(list.find((w: any) => w.name === 'db1 upgrade')).toMatchObject({ scope: 'tag', tag: 'db1', check: null });
  });

  it('a one-off workspace window quiets every check, and deleting it early lets a held alert out at once', async () => {
    const check = await nightlyJob('/mw/workspace');
    const w = await window({
      name: 'datacenter move',
      starts_at: new Date(at('02:00')).toISOString(),
      ends_at: new Date(at('06:00')).toISOString(),
    });
    expect(w).toMatchObject({ scope: 'workspace', cron: null, duration_s: null });
    a.clock.set(at('02:10'));
    await a.ping(check, 'fail');
    await until('02:30');
    expect(sent('/mw/workspace')).toEqual([]);
    expect((await a.t.api('DELETE', `/api/v1/maintenance-windows/${w.id}`)).status).toBe(204);
    await until('02:31');
    expect(sent('/mw/workspace').map((n) => n.event)).toEqual(['check.down']);
  });
});
