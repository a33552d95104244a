// Reads are bounded by what happened, not by what the caller asks for: statistics and timelines end at now and
// count from the check's creation, whatever range is named (the audit's /stats stall, finding 1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, HOUR, iso, T0 } from '../support/checks.js';

const DAY = 24 * HOUR;

describe("read ranges are clamped to the check's life", () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  let minutely: any;
  beforeAll(async () => {
    t = await startTestServer({ clock });
    minutely = await createCheck(t, { name: 'every minute', schedule: { kind: 'cron', expr: '* * * * *', tz: 'UTC' } });
    clock.set(T0 + 2 * DAY);
  });
  afterAll(async () => {
    await t.close();
  });

  it("stats over 200 days ahead end at now, and expect a minutely cron's 1,440 beats a day", async () => {
    const res = await t.api('GET', `/api/v1/checks/${minutely.id}/stats?from=${iso(T0)}&to=${iso(T0 + 200 * DAY)}&bucket=1d`);
    expect(res.status).toBe(200);
    expect(res.body.to).toBe(iso(T0 + 2 * DAY));
    expect(res.body.buckets.map((b: any) => [b.at, b.expected])).toEqual([
      [iso(T0), 1440],
      [iso(T0 + DAY), 1440],
    ]);
  });

  it('stats before the check existed expect nothing there', async () => {
    const res = await t.api('GET', `/api/v1/checks/${minutely.id}/stats?from=${iso(T0 - 2 * DAY)}&to=${iso(T0 + DAY)}&bucket=1d`);
    expect(res.body.buckets.map((b: any) => b.expected)).toEqual([0, 0, 1440]);
  });

  it('a range wholly in the future answers no buckets, not an error', async () => {
    const res = await t.api('GET', `/api/v1/checks/${minutely.id}/stats?from=${iso(T0 + 30 * DAY)}&to=${iso(T0 + 60 * DAY)}&bucket=1d`);
    expect(res.status).toBe(200);
    expect(res.body.buckets).toEqual([]);
  });

  it('the timeline ends at now', async () => {
    const res = await t.api('GET', `/api/v1/checks/${minutely.id}/timeline?from=${iso(T0)}&to=${iso(T0 + 365 * DAY)}`);
    expect(res.status).toBe(200);
    expect(res.body.to).toBe(iso(T0 + 2 * DAY));
    expect(res.body.periods.at(-1).to).toBe(iso(T0 + 2 * DAY));
  });

  it('Pinghome statistic with a future end_date ends at now', async () => {
    const res = await t.api(
      'GET',
      `/v1/heartbeat/${minutely.id}/statistic?interval=1d&start_date=${encodeURIComponent(iso(T0))}&end_date=${encodeURIComponent(iso(T0 + 1000 * DAY))}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.end_date).toBe(iso(T0 + 2 * DAY));
    expect(res.body.data.map((b: any) => b.tick_count)).toEqual([1440, 1440]);
  });
});
