// Issue 16's failure rate, quorum and late warning in a browser: set through the check and channel forms, seen
// taking effect on the check page (where the rule stands, and the reason the check went down).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ManualClock, startTestServer, type TestServer } from '../../server/test/support/server.js';
import { browserAvailable, type BrowserSession } from './support/browser.js';
import { signedInBrowser } from './support/signed-in.js';

const available = browserAvailable();

describe.skipIf(!available)('failure rate, quorum and late warnings in the dashboard', () => {
  let t: TestServer;
  let b: BrowserSession & { errors: string[] };
  let page: Page;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    t = await startTestServer({ clock, env: { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' } });
    b = await signedInBrowser(t);
    page = b.page;
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b.shot(`failed-rate-quorum-${context.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('a failure rate set in the check form takes the check down on its second failure of four, and the page says why', async () => {
    const check = (
      await t.api('POST', '/api/v1/checks', { name: 'flaky import', failure_threshold: 5, schedule: { kind: 'interval', period_s: 3600 } })
    ).body;
    await page.goto(`${t.url}/checks/${check.id}/edit`);
    await page.getByRole('heading', { name: 'Edit check' }).waitFor();
    await page.getByLabel('Down when this many runs failed (optional)').fill('2');
    await page.getByLabel('… of the last runs (optional)').fill('4');
    await page.getByLabel('Hosts that must report each period (optional)').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'flaky import' }).waitFor();
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).body).toMatchObject({
      failure_rate_count: 2,
      failure_rate_window: 4,
      quorum_hosts: null,
    });

    for (const suffix of ['/fail', '', '/fail']) expect((await t.ping(`/ping/${check.id}${suffix}`)).status).toBe(200);
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).body.status).toBe('down');
    await page.reload();
    const rule = page.getByTestId('rate-quorum');
    await expect.poll(() => rule.textContent()).toContain('2 of the last 3 runs failed');
    expect(await rule.textContent()).toContain('down at 2 of 4 (reached)');
    await expect
      .poll(() => page.locator('section[aria-labelledby=h-flips]').textContent())
      .toContain('2 of the last 3 runs failed (threshold 2 of 4)');
    await b.shot('check-page-failure-rate', page, false);

    // The form shows what is stored, and emptying both fields turns the rule off.
    await page.goto(`${t.url}/checks/${check.id}/edit`);
    expect(await page.getByLabel('… of the last runs (optional)').inputValue()).toBe('4');
    await page.getByLabel('Down when this many runs failed (optional)').fill('');
    await page.getByLabel('… of the last runs (optional)').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'flaky import' }).waitFor();
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).body).toMatchObject({ failure_rate_count: null, failure_rate_window: null });
  });

  it('a quorum set in the form shows which hosts reported for the current run', async () => {
    const check = (await t.api('POST', '/api/v1/checks', { name: 'fleet backup', schedule: { kind: 'interval', period_s: 3600 } })).body;
    await page.goto(`${t.url}/checks/${check.id}/edit`);
    await page.getByLabel('Hosts that must report each period (optional)').fill('3');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'fleet backup' }).waitFor();
    await t.ping(`/ping/${check.id}?host=web1`);
    await t.ping(`/ping/${check.id}?host=web2`);
    await page.reload();
    await expect.poll(() => page.getByTestId('rate-quorum').textContent()).toContain('2 of 3 hosts reported');
    expect(await page.getByTestId('rate-quorum').textContent()).toContain('web1, web2');
  });

  it('the channel form opts a channel into late warnings, and shows the choice when edited', async () => {
    await page.goto(`${t.url}/channels`);
    await page.getByLabel('Kind').selectOption('webhook');
    await page.getByLabel('Name', { exact: true }).fill('early hook');
    await page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/hook');
    await page.getByLabel(/Also warn when a check is late/).check();
    await page.getByRole('button', { name: 'Add channel' }).click();
    await expect
      .poll(async () => ((await t.api('GET', '/api/v1/channels')).body.items as any[]).find((c) => c.name === 'early hook')?.notify_late)
      .toBe(true);
    await expect.poll(() => page.locator('.channel-list > li[data-channel="early hook"]').textContent()).toContain('late warnings');
    await page.locator('.channel-list > li[data-channel="early hook"]').getByRole('button', { name: 'Edit channel early hook' }).click();
    const edit = page.locator('.channel-list > li[data-channel="early hook"]').getByTestId('channel-form');
    expect(await edit.getByLabel(/Also warn when a check is late/).isChecked()).toBe(true);
    await edit.getByLabel(/Also warn when a check is late/).uncheck();
    await edit.getByRole('button', { name: 'Save channel' }).click();
    await expect
      .poll(async () => ((await t.api('GET', '/api/v1/channels')).body.items as any[]).find((c) => c.name === 'early hook')?.notify_late)
      .toBe(false);
    expect(b.errors).toEqual([]);
  });
});
