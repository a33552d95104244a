// Run-shape rules in a browser: set a minimum run time through the check form, send a run that finishes too fast, and
// see the check down with the reason; a running run's current deadline on the check page.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ManualClock, startTestServer, type TestServer } from '../../server/test/support/server.js';
import { browserAvailable, SCREENSHOTS, type BrowserSession } from './support/browser.js';
import { signedInBrowser } from './support/signed-in.js';

const available = browserAvailable();

describe.skipIf(!available)('run-shape rules in the dashboard', () => {
  let t: TestServer;
  let b: BrowserSession & { errors: string[] };
  let page: Page;
  const clock = new ManualClock(Date.now());
  const checkNamed = async (name: string) =>
    ((await t.api('GET', '/api/v1/checks')).body.items as Array<Record<string, any>>).find((c) => c.name === name)!;

  beforeAll(async () => {
    t = await startTestServer({ clock });
    b = await signedInBrowser(t);
    page = b.page;
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b.shot(`failed-run-shape-${context.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('a minimum run time set in the form brings the check down after a 3-second run, and the page says why', async () => {
    await page.goto(`${t.url}/checks/new`);
    await page.getByLabel('Name', { exact: true }).fill('nightly backup');
    await page.getByLabel('Max run time', { exact: true }).fill('60');
    await page.getByLabel('Minimum run time', { exact: true }).fill('1');
    await page.locator('fieldset', { hasText: 'Run shape' }).screenshot({ path: `${SCREENSHOTS}/run-shape-form.png` });
    await page.getByRole('button', { name: 'Create check' }).click();
    await page.getByRole('heading', { name: 'nightly backup' }).waitFor();
    const check = await checkNamed('nightly backup');
    expect(check).toMatchObject({
      min_runtime_s: 60,
      max_runtime_s: 3600,
      early_tolerance_s: null,
      duration_anomaly_factor: null,
      extend_on_progress: false,
    });
    expect(await page.getByTestId('run-shape-facts').textContent()).toContain('runs shorter than 1 minute fail');

    expect((await t.ping(`/ping/${check.key}/start`)).status).toBe(200);
    clock.advance(3000);
    expect((await t.ping(`/ping/${check.key}`)).status).toBe(200);

    const reason = 'run finished in 3s, under the minimum run time of 1m (finished too fast)';
    await page.reload();
    await page.getByRole('heading', { name: 'nightly backup' }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toContain(reason);
    expect(await page.getByTestId('rule-violation').first().textContent()).toContain(`counted as a failure: ${reason}`);
    expect((await checkNamed('nightly backup')).status).toBe('down');
    await b.shot('run-shape-too-fast');

    // The form shows the setting back, and clearing it turns the rule off.
    await page.goto(`${t.url}/checks/${check.id}/edit`);
    const minimum = page.getByLabel('Minimum run time', { exact: true });
    await expect.poll(() => minimum.inputValue()).toBe('1');
    await minimum.fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'nightly backup' }).waitFor();
    expect((await checkNamed('nightly backup')).min_runtime_s).toBeNull();
    expect(b.errors).toEqual([]);
  });

  it('a running run shows its current deadline, which progress pushes when the check extends on progress', async () => {
    const created = await t.api('POST', '/api/v1/checks', {
      name: 'long export',
      schedule: { kind: 'interval', period_s: 86400 },
      max_runtime_s: 600,
      extend_on_progress: true,
    });
    expect(created.status).toBe(201);
    const check = created.body;
    expect((await t.ping(`/ping/${check.key}/start`)).status).toBe(200);
    const first = (await t.api('GET', `/api/v1/checks/${check.id}`)).body.current_run.deadline_at;
    clock.advance(5 * 60_000);
    expect((await t.ping(`/ping/${check.key}/progress/40`)).status).toBe(200);
    const pushed = (await t.api('GET', `/api/v1/checks/${check.id}`)).body.current_run.deadline_at;
    expect(Date.parse(pushed) - Date.parse(first)).toBe(5 * 60_000);

    await page.goto(`${t.url}/checks/${check.id}`);
    const deadline = page.getByTestId('run-deadline');
    await deadline.waitFor();
    expect(await deadline.textContent()).toMatch(/^Times out .+ unless it ends or reports progress\.$/);
    expect(await page.getByTestId('run-shape-facts').textContent()).toContain('progress extends a running run');
    expect(b.errors).toEqual([]);
  });
});
