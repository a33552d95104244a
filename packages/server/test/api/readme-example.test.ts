// The README's headline example, run as written: the check it creates lets a long backup finish without paging.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { MINUTE, readCheck } from '../support/checks.js';

const README = fs.readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
// 2026-03-03 01:55 Berlin time: the job's 02:00 run is next.
const T0 = Date.parse('2026-03-03T00:55:00.000Z');

describe('the README\'s "Monitor a job in two requests"', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const section = README.slice(README.indexOf('## Monitor a job in two requests'));
  const body = JSON.parse(/-d '(\{[^']*\})'/.exec(section)![1]);

  it('creates a check whose hour-long run neither times out nor pages', async () => {
    const created = await t.api('POST', '/api/v1/checks', body);
    expect(created.status).toBe(201);
    expect(created.body.max_runtime_s).toBeGreaterThanOrEqual(3600);
    clock.set(T0 + 5 * MINUTE);
    await t.ping(`/ping/${created.body.key}/start`);
    clock.set(T0 + 65 * MINUTE);
    await t.server.runtime.scheduler.tick();
    const during = await readCheck(t, created.body.id);
    expect(during.running).toBe(true);
    expect(during.status).not.toBe('down');
    await t.ping(`/ping/${created.body.key}/0`);
    expect(
      (await t.api('GET', `/api/v1/checks/${created.body.id}/flips`)).body.items.filter((f: { to: string }) => f.to === 'down'),
    ).toEqual([]);
  });
});
