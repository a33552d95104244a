// Headless Chromium (Debian's /usr/bin/chromium driven by playwright-core) for suites that render pages.
// Without Chromium such a suite is skipped with a notice — unless CI=true, where it fails instead.
import fs from 'node:fs';
import { describe, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';

// OVERDUE_CHROMIUM as the dashboard's browser suites read it (CHROMIUM_PATH is the older name).
export const CHROMIUM_PATH = process.env.OVERDUE_CHROMIUM || process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/** `describe`, when Chromium is installed; otherwise a skip with a notice, or (CI=true) a failing test. */
export function describeWithChromium(name: string, body: () => void): void {
  if (fs.existsSync(CHROMIUM_PATH)) {
    describe(name, body);
    return;
  }
  const notice = `${name}: Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium, or set OVERDUE_CHROMIUM)`;
  if (process.env.CI === 'true') {
    describe(name, () =>
      it('needs Chromium', () => {
        throw new Error(`${notice}; CI must run this suite.`);
      }),
    );
    return;
  }
  process.stderr.write(`NOTICE: skipping ${notice}\n`);
  describe.skip(name, body);
}
