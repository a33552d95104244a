// Dependencies and learned schedules in a browser: "Depends on" set through the check form and shown on the check
// page; a child down while its parent is down reads "folded into <parent>'s incident", and the incidents page lists
// it under the parent; an auto-created check pinged hourly offers "Looks like every hour at :00 — Accept".
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ManualClock, startTestServer, type TestServer } from '../../server/test/support/server.js';
import { pingKeyOf } from '../../server/test/support/checks.js';
import { browserAvailable, type BrowserSession } from './support/browser.js';
import { signedInBrowser } from './support/signed-in.js';

const HOUR = 3_600_000;
const available = browserAvailable();

describe.skipIf(!available)('dependencies and learned schedules in the dashboard', () => {
  let t: TestServer;
  let b: BrowserSession & { errors: string[] };
  let page: Page;
  // On an hour mark, so pings an hour apart fall at :00 (plus a little).
  const clock = new ManualClock(Math.floor(Date.now() / HOUR) * HOUR);
  const checkNamed = async (name: string) =>
    ((await t.api('GET', '/api/v1/checks')).body.items as Array<Record<string, any>>).find((c) => c.name === name)!;

  beforeAll(async () => {
    t = await startTestServer({ clock });
    b = await signedInBrowser(t);
    page = b.page;
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await b.shot(`failed-deps-${context.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('an auto-created check pinged hourly shows "Looks like every hour at :00 — Accept", and Accept sets the cron schedule', async () => {
    const pingKey = await pingKeyOf(t);
    const start = clock.now();
    for (let i = 0; i < 5; i += 1) {
      clock.set(start + i * HOUR + 15_000);
      expect((await t.ping(`/ping/${pingKey}/hourly-report?create=1`)).status).toBeLessThan(300);
    }
    const check = await checkNamed('hourly-report');
    await page.goto(`${t.url}/checks/${check.id}`);
    const proposal = page.getByTestId('proposed-schedule');
    await expect.poll(() => proposal.textContent()).toContain('Looks like every hour at :00 — Accept');
    await b.shot('check-page-proposed-schedule');
    await proposal.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(async () => (await checkNamed('hourly-report')).schedule).toEqual({ kind: 'cron', expr: '0 * * * *', tz: 'UTC' });
    await expect.poll(() => proposal.count()).toBe(0);
  });

  it('"Depends on" in the form; the check page shows the parent, then "folded into" it while both are down; the incident lists the child', async () => {
    const db1 = (
      await t.api('POST', '/api/v1/checks', {
        name: 'db1 alive',
        slug: 'db1-alive',
        schedule: { kind: 'interval', period_s: 60 },
        grace_s: 0,
      })
    ).body;
    await page.goto(`${t.url}/checks/new`);
    await page.getByLabel('Name', { exact: true }).fill('backup on db1');
    const picker = page.getByTestId('depends-on');
    await picker.getByLabel('Find a check to depend on').fill('db1');
    await picker.getByRole('checkbox', { name: /db1 alive/ }).check();
    await b.shot('check-form-depends-on');
    await page.getByRole('button', { name: 'Create check' }).click();
    await page.getByRole('heading', { name: 'backup on db1' }).waitFor();
    const backup = await checkNamed('backup on db1');
    expect(backup.depends_on).toEqual([{ id: db1.id, slug: 'db1-alive', name: 'db1 alive' }]);
    await expect.poll(() => page.getByTestId('check-dependencies').textContent()).toContain('Depends on db1 alive');

    // db1 goes down; then backup fails while db1 is still down: folded.
    await t.ping(`/ping/${db1.key}`);
    clock.advance(61_000);
    await t.server.runtime.scheduler.tick();
    await t.ping(`/ping/${backup.key}/fail`);
    await page.reload();
    await expect.poll(() => page.getByTestId('check-dependencies').textContent()).toContain("Folded into db1 alive's incident");
    await b.shot('check-page-folded-into-parent');
    await page.goto(`${t.url}/incidents`);
    await expect.poll(() => page.getByTestId('folded-children').first().textContent()).toBe('Folded in: backup on db1 (still down)');
    expect(await page.getByTestId('folded-note').first().textContent()).toContain('did not page');
    await b.shot('incidents-folded-children');
  });
});
