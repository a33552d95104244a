// The check form and the check page in a browser: every setting in the form, cron schedules in words, the run
// chart's labels, the day's totals, and what the list says of down checks, healthy checks and shared names.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ManualClock, startTestServer, type TestServer } from '../../server/test/support/server.js';
import { browserAvailable, type BrowserSession } from './support/browser.js';
import { signedInBrowser } from './support/signed-in.js';

const MINUTE = 60_000;
const available = browserAvailable();

describe.skipIf(!available)('the check form and the check page', () => {
  let t: TestServer;
  let b: BrowserSession & { errors: string[] };
  let page: Page;
  const clock = new ManualClock(Date.now());
  const row = (text: string) => page.locator('.check-row', { hasText: text });
  const ping = async (key: string, suffix = '', init?: RequestInit) =>
    expect((await t.ping(`/ping/${key}${suffix}`, init)).status).toBe(200);
  const checkNamed = async (name: string) =>
    ((await t.api('GET', '/api/v1/checks')).body.items as Array<Record<string, any>>).find((c) => c.name === name)!;

  beforeAll(async () => {
    t = await startTestServer({ clock });
    b = await signedInBrowser(t);
    page = b.page;
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b.shot(`failed-check-page-${context.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('creates a check with every setting from the form: slug, grace as a multiple, severity, reminders, cooldown', async () => {
    await page.goto(`${t.url}/checks/new`);
    await page.getByLabel('Name', { exact: true }).fill('office hours sync');
    await page.getByLabel('Slug (optional)').fill('office-sync');
    await page.getByRole('button', { name: 'Cron expression' }).click();
    await page.getByLabel('Cron expression', { exact: true }).fill('*/15 9-17 * * 1-5');
    await page.getByLabel('Time zone', { exact: true }).fill('Asia/Tokyo');
    await expect
      .poll(() => page.getByTestId('cron-helper').textContent())
      .toContain('Runs every 15 minutes from 09:00 to 17:45 on weekdays');
    await page.getByRole('button', { name: 'Grace as a multiple of the period' }).click();
    await page.getByLabel('Deadline as a multiple of the period').fill('2');
    await page.getByLabel('Severity').selectOption('critical');
    await page.getByLabel('Remind every', { exact: true }).fill('30');
    await page.getByLabel('Cooldown', { exact: true }).fill('10');
    await b.shot('check-form-every-setting');
    await page.getByRole('button', { name: 'Create check' }).click();
    await page.getByRole('heading', { name: 'office hours sync' }).waitFor();
    expect(await checkNamed('office hours sync')).toMatchObject({
      slug: 'office-sync',
      schedule: { kind: 'cron', expr: '*/15 9-17 * * 1-5', tz: 'Asia/Tokyo' },
      grace_s: null,
      grace_multiplier: 2,
      severity: 'critical',
      realert_s: 1800,
      cooldown_s: 600,
    });
    // The schedule in words on the check page, the expression once beneath it.
    const facts = page.locator('dl.facts');
    expect(await facts.textContent()).toContain('every 15 minutes from 09:00 to 17:45 on weekdays Asia/Tokyo');
    expect((await facts.textContent())!.split('*/15 9-17 * * 1-5').length).toBe(2);
    await b.shot('check-page-cron-in-words', page, false);
    // The crontab snippet: the pings joined to the job with ";", the check's time zone first.
    await page.getByRole('tab', { name: 'crontab' }).click();
    expect(await page.locator('.snippet pre').textContent()).toMatch(
      /^CRON_TZ=Asia\/Tokyo\n\*\/15 9-17 \* \* 1-5 curl .*\/start; \/path\/to\/job\.sh; curl .*\/\$\?$/,
    );
    await page
      .locator('section[aria-labelledby=h-ping]')
      .screenshot({ path: `${process.cwd()}/test-output/screenshots/check-page-crontab-snippet.png` });
    await page.getByRole('tab', { name: 'Shell wrapper' }).click();
    await page
      .locator('section[aria-labelledby=h-ping]')
      .screenshot({ path: `${process.cwd()}/test-output/screenshots/check-page-install-snippet.png` });
  });

  it('edits it back: the form shows what is stored, and clears what is emptied', async () => {
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit check' }).waitFor();
    expect(await page.getByLabel('Deadline as a multiple of the period').inputValue()).toBe('2');
    expect(await page.getByLabel('Severity').inputValue()).toBe('critical');
    expect(await page.getByLabel('Remind every', { exact: true }).inputValue()).toBe('30');
    await page.getByLabel('Remind every', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Fixed grace' }).click();
    await page.getByLabel('Grace', { exact: true }).fill('20');
    await page.getByLabel('Grace unit').selectOption('60');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'office hours sync' }).waitFor();
    await expect.poll(async () => (await checkNamed('office hours sync')).realert_s).toBeNull();
    expect(await checkNamed('office hours sync')).toMatchObject({
      grace_s: 1200,
      grace_multiplier: null,
      severity: 'critical',
      cooldown_s: 600,
    });
  });

  it('labels the newest run\'s bar "latest", under that bar, when a few runs fill only part of the chart', async () => {
    const job = (await t.api('POST', '/api/v1/checks', { name: 'report export', schedule: { kind: 'interval', period_s: 3600 } })).body;
    for (const seconds of [20, 35, 50, 28]) {
      await ping(job.key, '/start');
      clock.advance(seconds * 1000);
      await ping(job.key, '/0');
      clock.advance(MINUTE);
    }
    await page.goto(`${t.url}/checks/${job.id}`);
    const chart = page.locator('section[aria-labelledby=h-runs] figure.chart');
    await expect.poll(() => chart.locator('rect').count()).toBe(4);
    const bars = await chart
      .locator('rect')
      .evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })));
    const latest = (await chart.locator('.chart-x span', { hasText: 'latest' }).boundingBox())!;
    // The label ends at the newest bar, on the right of the bars, not under the oldest at the far left.
    expect(latest.x + latest.width).toBeGreaterThan(bars[3].left);
    expect(latest.x + latest.width).toBeLessThanOrEqual(bars[3].right + 48);
    expect(await chart.locator('.chart-x span').allTextContents()).toEqual(['latest']);
    // The day's totals say what they count.
    expect(await page.getByTestId('stat-totals').textContent()).toMatch(
      /^\d+ beats? expected · 4 successes · 0 failures · 4 runs started$/,
    );
    await page
      .locator('section[aria-labelledby=h-runs]')
      .screenshot({ path: `${process.cwd()}/test-output/screenshots/check-page-run-chart.png` });
    await page
      .locator('section[aria-labelledby=h-stats]')
      .screenshot({ path: `${process.cwd()}/test-output/screenshots/check-page-last-24-hours.png` });
  });

  it('a new check shows one sentence under Runs, and an empty day draws no axis', async () => {
    const fresh = (await t.api('POST', '/api/v1/checks', { name: 'brand new', schedule: { kind: 'interval', period_s: 86_400 } })).body;
    await page.goto(`${t.url}/checks/${fresh.id}`);
    const runs = page.locator('section[aria-labelledby=h-runs] .card-body');
    await runs.getByText('No runs yet.', { exact: false }).waitFor();
    expect(await runs.locator('p').count()).toBe(1);
    const day = page.locator('section[aria-labelledby=h-stats]');
    await expect.poll(() => day.textContent()).toContain('Nothing was expected or received in the last 24 hours.');
    expect(await day.locator('figure.chart').count()).toBe(0);
  });

  it('in the list: a down check reads "overdue", a recovered check shows no old error, same names show their slugs', async () => {
    const a = (
      await t.api('POST', '/api/v1/checks', { name: 'nightly backup', schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 })
    ).body;
    const c = (
      await t.api('POST', '/api/v1/checks', { name: 'nightly backup', schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 })
    ).body;
    const d = (await t.api('POST', '/api/v1/checks', { name: 'disk cleanup', schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 }))
      .body;
    await ping(a.key, '/fail?msg=pg_dump%3A%20connection%20lost');
    await ping(a.key);
    await ping(c.key);
    await ping(d.key, '/fail?msg=disk%20full');
    clock.advance(7 * MINUTE);
    await t.server.runtime.scheduler.tick();
    await ping(a.key);
    await page.goto(t.url);
    await row('disk cleanup').waitFor();
    expect(await row('disk cleanup').locator('.badge').textContent()).toBe('Down');
    expect(await row('disk cleanup').textContent()).toContain('overdue');
    expect(await row('disk cleanup').textContent()).toContain('disk full');
    // Recovered: the failure's message is gone from its row.
    const recovered = page.locator(`.check-row[data-check="${a.id}"]`);
    expect(await recovered.locator('.badge').textContent()).toBe('Up');
    expect(await recovered.textContent()).not.toContain('pg_dump: connection lost');
    expect(await recovered.getByTestId('slug').textContent()).toBe(a.slug);
    expect(await page.locator(`.check-row[data-check="${c.id}"]`).getByTestId('slug').textContent()).toBe(c.slug);
    expect(a.slug).not.toBe(c.slug);
    expect(await row('disk cleanup').getByTestId('slug').count()).toBe(0);
    await b.shot('checks-list-overdue-and-slugs', page, false);
    // A minute on, the down check still reads "overdue", not a countdown.
    clock.advance(MINUTE);
    await page.goto(`${t.url}/checks/${d.id}`);
    const next = page.locator('dl.facts > div', { hasText: 'Next expected' });
    await expect.poll(() => next.textContent()).toContain('overdue: waiting for a ping');
  });

  it('logged no console errors', () => {
    expect(b.errors).toEqual([]);
  });
});
