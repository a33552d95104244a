// Debian's Chromium driven by playwright-core for the dashboard's browser tests. Missing Chromium skips the
// suites with a notice on a developer's machine, and fails them when CI=true.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.OVERDUE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../../test-output/screenshots');
export const DASHBOARD_DIST = path.resolve(import.meta.dirname, '../../dist/index.html');

/** Whether the browser suites can run here; throws under CI when they cannot (a skipped suite is a failure there). */
export function browserAvailable(): boolean {
  const missing = !fs.existsSync(CHROMIUM)
    ? `Chromium is not at ${CHROMIUM} (apt-get install -y chromium)`
    : !fs.existsSync(DASHBOARD_DIST)
      ? 'the dashboard is not built (npm run build)'
      : null;
  if (!missing) return true;
  if (process.env.CI === 'true') throw new Error(`Browser tests cannot run: ${missing}.`);
  console.warn(`\n  NOTICE: skipping the dashboard browser tests: ${missing}.\n`);
  return false;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Saves a screenshot (of the whole page unless `fullPage` is false) as test-output/screenshots/<name>.png. */
  shot(name: string, page?: Page, fullPage?: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function launch(
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<BrowserSession> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-chromium-'));
  // A persistent context on a fresh profile directory: nothing carries over from another run.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
    viewport: options.viewport ?? { width: 1360, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    page,
    async shot(name, which = page, fullPage = true) {
      await which.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage, animations: 'disabled' });
    },
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
