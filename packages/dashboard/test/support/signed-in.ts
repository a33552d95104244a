// A browser already signed in as the first admin (through the API, so each suite starts on its own page), and a
// watch on the console: the dashboard's own pages must not log errors.
import type { Page } from 'playwright-core';
import type { TestServer } from '../../../server/test/support/server.js';
import { launch, type BrowserSession } from './browser.js';

export const ADMIN = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'correct horse battery' };

/** Launches Chromium with the first admin created and signed in; `errors` collects console errors and page errors. */
export async function signedInBrowser(
  t: TestServer,
  options: Parameters<typeof launch>[0] = {},
): Promise<BrowserSession & { errors: string[] }> {
  const b = await launch(options);
  const errors: string[] = [];
  watchConsole(b.page, errors);
  const res = await b.context.request.post(`${t.url}/api/v1/auth/setup`, { data: { ...ADMIN, setup_key: t.key } });
  if (res.status() !== 201) throw new Error(`setup answered ${res.status()}: ${await res.text()}`);
  return { ...b, errors };
}

export function watchConsole(page: Page, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
}
