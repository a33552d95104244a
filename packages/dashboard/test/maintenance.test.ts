// Maintenance windows and snooze in a browser: add a window on the Maintenance page and see its check "in
// maintenance until …"; snooze a check for 2 hours from its page and see it "snoozed until …" in the list.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ManualClock, startTestServer, type TestServer } from '../../server/test/support/server.js';
import { browserAvailable, type BrowserSession } from './support/browser.js';
import { signedInBrowser } from './support/signed-in.js';

const available = browserAvailable();
const HOUR = 3_600_000;

describe.skipIf(!available)('maintenance windows and snooze in the dashboard', () => {
  let t: TestServer;
  let b: BrowserSession & { errors: string[] };
  let page: Page;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    t = await startTestServer({ clock });
    b = await signedInBrowser(t);
    page = b.page;
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b.shot(`failed-maintenance-${context.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('adds a one-off window for a tag on the Maintenance page; the tagged check says "in maintenance until …"; deleting it ends that', async () => {
    const check = (
      await t.api('POST', '/api/v1/checks', { name: 'db <b>vacuum</b>', tags: ['db1'], schedule: { kind: 'interval', period_s: 3600 } })
    ).body;
    await page.goto(`${t.url}/maintenance`);
    await page.getByRole('heading', { name: 'Maintenance windows', exact: true }).waitFor();
    await page.getByLabel('Window name').fill('db1 <i>upgrade</i>');
    await page.getByLabel('Covers').selectOption('tag');
    await page.getByLabel('Tag', { exact: true }).fill('db1');
    await page.getByLabel('When').selectOption('once');
    const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    await page.getByLabel('Starts at').fill(local(clock.now() - HOUR));
    await page.getByLabel('Ends at').fill(local(clock.now() + 2 * HOUR));
    await page.getByLabel('Reason (optional)').fill('kernel upgrade');
    await page.getByRole('button', { name: 'Add window' }).click();
    const row = page.locator('li[data-window="db1 <i>upgrade</i>"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('checks tagged db1');
    expect(await row.textContent()).toContain('kernel upgrade');
    expect(await row.textContent()).toContain('open until');
    expect(await page.locator('i', { hasText: 'upgrade' }).count()).toBe(0);
    const [window] = (await t.api('GET', '/api/v1/maintenance-windows')).body.items;
    expect(window).toMatchObject({ name: 'db1 <i>upgrade</i>', scope: 'tag', tag: 'db1', reason: 'kernel upgrade' });
    await b.shot('maintenance-page');

    await page.goto(`${t.url}/checks/${check.id}`);
    await expect.poll(() => page.getByTestId('quiet-notice').textContent()).toContain('In maintenance until');

    await page.goto(`${t.url}/maintenance`);
    await page.getByRole('button', { name: 'Delete window db1 <i>upgrade</i>' }).click();
    await page.getByRole('button', { name: 'Delete window', exact: true }).click();
    await page.getByText('No maintenance windows').waitFor();
    await page.goto(`${t.url}/checks/${check.id}`);
    await page.getByRole('heading', { name: 'db <b>vacuum</b>' }).waitFor();
    expect(await page.getByTestId('quiet-notice').count()).toBe(0);
  });

  it('snoozes a check for 2 hours from its page: paused, "snoozed until …" on the page and in the list; Resume ends it', async () => {
    const check = (await t.api('POST', '/api/v1/checks', { name: 'nightly report', schedule: { kind: 'interval', period_s: 3600 } })).body;
    await page.goto(`${t.url}/checks/${check.id}`);
    await page.getByRole('heading', { name: 'nightly report' }).waitFor();
    await page.getByLabel('Snooze for').selectOption({ label: '2 hours' });
    await page.getByRole('button', { name: 'Snooze', exact: true }).click();
    await expect.poll(() => page.getByTestId('quiet-notice').textContent()).toContain('Snoozed until');
    const read = (await t.api('GET', `/api/v1/checks/${check.id}`)).body;
    expect(read.status).toBe('paused');
    expect(Date.parse(read.snoozed_until) - clock.now()).toBe(2 * HOUR);
    await b.shot('check-snoozed', page, false);

    await page.goto(`${t.url}/`);
    const listed = page.locator('.check-row', { hasText: 'nightly report' });
    await expect.poll(() => listed.textContent()).toContain('snoozed until');

    await page.goto(`${t.url}/checks/${check.id}`);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(async () => (await t.api('GET', `/api/v1/checks/${check.id}`)).body.snoozed_until).toBeNull();
    await expect.poll(() => page.getByTestId('quiet-notice').count()).toBe(0);
    expect(b.errors).toEqual([]);
  });
});
