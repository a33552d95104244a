// Learned schedules: a check created by a ping proposes the schedule its first pings suggest; accepting sets it (and
// re-times the check), dismissing stops the proposal; checks created by hand never propose one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { pingKeyOf, readCheck } from '../support/checks.js';

const T0 = Date.parse('2025-03-03T10:00:00Z');
const HOUR = 3600_000;

let t: TestServer;
let clock: ManualClock;
let pingKey: string;
beforeAll(async () => {
  clock = new ManualClock(T0);
  t = await startTestServer({ clock });
  pingKey = await pingKeyOf(t);
});
afterAll(async () => {
  await t.close();
});

/** Pings /ping/{key}/{slug}?create=1 `count` times, `every` ms apart from `start` (default: the next hour), each `late` ms after its mark. */
async function pingedBySlug(
  slug: string,
  count: number,
  every: number,
  late = 20_000,
  start = (Math.floor(clock.now() / HOUR) + 1) * HOUR,
): Promise<any> {
  for (let i = 0; i < count; i += 1) {
    clock.set(start + i * every + late);
    const res = await t.ping(`/ping/${pingKey}/${slug}?create=1`);
    expect(res.status).toBeLessThan(300);
  }
  const list = (await t.api('GET', `/api/v1/checks?q=${slug}`)).body.items;
  return readCheck(t, list.find((c: any) => c.slug === slug).id);
}

describe('a check created by a ping', () => {
  it('proposes nothing from fewer than four pings', async () => {
    const check = await pingedBySlug('too-few', 3, HOUR);
    expect(check.schedule).toEqual({ kind: 'interval', period_s: 86400 });
    expect(check.proposed_schedule).toBeNull();
  });

  it('pinged every hour at :00 proposes "every hour at :00", and accepting makes it its cron schedule', async () => {
    const check = await pingedBySlug('hourly-export', 5, HOUR);
    expect(check.proposed_schedule).toEqual({
      schedule: { kind: 'cron', expr: '0 * * * *', tz: 'UTC' },
      sentence: 'every hour at :00',
      explanation: 'Proposed because its last 5 pings came about 1h apart, each within 20s of the mark.',
    });
    const accepted = await t.api('POST', `/api/v1/checks/${check.id}/proposed-schedule/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ schedule: { kind: 'cron', expr: '0 * * * *', tz: 'UTC' }, proposed_schedule: null });
    // Re-timed like a schedule change: the next beat is expected at the next hour mark.
    expect(accepted.body.next_expected).toBe(new Date(Math.ceil((clock.now() + 1) / HOUR) * HOUR).toISOString());
    const again = await t.api('POST', `/api/v1/checks/${check.id}/proposed-schedule/accept`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('no_proposed_schedule');
  });

  it('pinged every 10 minutes off the marks proposes that interval', async () => {
    const check = await pingedBySlug('ten-minutes', 6, 10 * 60_000, 137_000);
    expect(check.proposed_schedule).toMatchObject({ schedule: { kind: 'interval', period_s: 600 }, sentence: 'every 10m' });
  });

  it('can be dismissed: the check keeps its schedule and proposes nothing more', async () => {
    const check = await pingedBySlug('dismissed-one', 5, HOUR);
    expect(check.proposed_schedule).not.toBeNull();
    const res = await t.api('POST', `/api/v1/checks/${check.id}/proposed-schedule/dismiss`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ proposed_schedule: null, schedule: { kind: 'interval', period_s: 86400 } });
  });

  it('stops proposing once someone sets its schedule by hand', async () => {
    const check = await pingedBySlug('set-by-hand', 5, HOUR);
    await t.api('PATCH', `/api/v1/checks/${check.id}`, { schedule: { kind: 'interval', period_s: 7200 } });
    expect((await readCheck(t, check.id)).proposed_schedule).toBeNull();
  });
});

describe('other auto-creating dialects', () => {
  it('a Hexcovery job first seen by name, run daily at 02:00, proposes "every day at 02:00"', async () => {
    const key = await t.keyWithScope('ping');
    const start = (Math.floor(clock.now() / 86400_000) + 1) * 86400_000 + 2 * HOUR;
    let id = '';
    for (let i = 0; i < 4; i += 1) {
      clock.set(start + i * 86400_000 + 45_000);
      const res = await fetch(`${t.url}/api/v1/heartbeat/ping`, {
        method: 'POST',
        body: JSON.stringify({ name: 'nightly reindex' }),
        headers: { 'content-type': 'application/json', 'x-api-key': key },
      });
      id = ((await res.json()) as { check_id: string }).check_id;
    }
    expect((await readCheck(t, id)).proposed_schedule).toMatchObject({
      schedule: { kind: 'cron', expr: '0 2 * * *', tz: 'UTC' },
      sentence: 'every day at 02:00',
    });
  });
});

describe('a check created through the API', () => {
  it('never proposes a schedule, whatever its pings', async () => {
    const created = await t.api('POST', '/api/v1/checks', { name: 'by hand', schedule: { kind: 'interval', period_s: 86400 } });
    for (let i = 0; i < 5; i += 1) {
      clock.advance(HOUR);
      await t.ping(`/ping/${created.body.key}`);
    }
    expect((await readCheck(t, created.body.id)).proposed_schedule).toBeNull();
    const res = await t.api('POST', `/api/v1/checks/${created.body.id}/proposed-schedule/accept`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('only checks created by a ping propose one');
  });
});
