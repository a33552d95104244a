// 10,000 checks in the browser: the list loads page by page, keeps only the visible rows in the page, scrolls to
// the end and searches at once. Records the first-load time and the gzipped bundle size (no timing assertions).
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.js';
import { checkRow, createCheck, insertClones } from '../../server/test/support/checks.js';
import { setupAdmin } from '../../server/test/support/session.js';
import { DEFAULT_DASHBOARD_DIR } from '../../server/src/dashboard/static.js';
import { browserAvailable, launch, SCREENSHOTS, type BrowserSession } from './support/browser.js';

const available = browserAvailable();
const COUNT = 10_000;

describe.skipIf(!available)('the dashboard with 10,000 checks', () => {
  let t: TestServer;
  let b: BrowserSession;
  beforeAll(async () => {
    t = await startTestServer();
    const admin = await setupAdmin(t);
    const template = await createCheck(t, { name: 'zz last check', project: 'scale', schedule: { kind: 'interval', period_s: 300 } });
    await insertClones(t, await checkRow(t, template.id), COUNT - 1, (i) => ({ project: `project ${i % 20}` }));
    b = await launch();
    await b.context.addCookies([
      { name: 'overdue_session', value: admin.cookie.split('=')[1], url: t.url, httpOnly: true, sameSite: 'Strict' },
    ]);
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('loads them page by page, renders only what is visible, scrolls to the last and finds one by search', async () => {
    const page = b.page;
    await page.goto(t.url);
    await page.waitForSelector('.check-row[data-check]');
    await page.waitForFunction((n) => document.querySelector('.list-foot')?.textContent === `${n} checks`, COUNT.toLocaleString('en-US'), {
      timeout: 60_000,
    });
    // The app marks when its first rows and its last page were rendered (ms since navigation start).
    const mark = (name: string) => page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN, name);
    const firstRowsMs = await mark('overdue:first-rows');
    const allLoadedMs = await mark('overdue:all-checks');

    // Virtualised: a screenful of rows (plus overscan) is in the page, not 10,000.
    const rendered = await page.locator('.check-row[data-check]').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(120);
    expect(await page.locator('[role=list][aria-label=Checks] > [role=listitem]').first().getAttribute('aria-setsize')).toBe(String(COUNT));

    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction(
      () => [...document.querySelectorAll('.check-row .name')].some((e) => e.textContent === 'zz last check'),
      undefined,
      { polling: 100, timeout: 10_000 },
    );
    expect(await page.locator('.check-row[data-check]').count()).toBeLessThan(120);

    await page.getByLabel('Search checks').fill('bulk 004242');
    await expect.poll(() => page.locator('.check-row[data-check]').count()).toBe(1);
    expect(await page.locator('.list-foot').textContent()).toContain(`1 of ${COUNT.toLocaleString('en-US')} checks`);
    await page.getByLabel('Search checks').fill('');
    await page.locator('#check-group').selectOption('project');
    await page.locator('.group-row', { hasText: 'project 0' }).first().waitFor();
    expect(await page.locator('.group-row').first().textContent()).toContain('500 checks');
    await page.evaluate(() => window.scrollTo(0, 0));
    await b.shot('21-ten-thousand-checks-grouped', page, false);

    const assets = path.join(DEFAULT_DASHBOARD_DIR, 'assets');
    const files = fs.readdirSync(assets).filter((f) => /\.(js|css)$/.test(f));
    const gzipped = files.reduce((sum, f) => sum + gzipSync(fs.readFileSync(path.join(assets, f)), { level: 9 }).length, 0);
    const figures = {
      checks: COUNT,
      firstRowsMs: Math.round(firstRowsMs),
      allLoadedMs: Math.round(allLoadedMs),
      renderedRows: rendered,
      bundleGzipBytes: gzipped,
    };
    fs.writeFileSync(path.join(SCREENSHOTS, '..', 'dashboard-scale.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(
      `dashboard with ${COUNT} checks: first rows after ${figures.firstRowsMs} ms, all loaded after ${figures.allLoadedMs} ms; ${rendered} rows in the DOM; bundle ${(gzipped / 1024).toFixed(1)} KB gzipped`,
    );
  }, 120_000);
});
