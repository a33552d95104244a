// The settings page in a browser: an admin rotates the workspace ping key after confirming, and the page shows the
// new one; a viewer sees no ping key and no way to rotate it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../server/test/support/server.js';
import { joinByInvitation, setupAdmin } from '../../server/test/support/session.js';
import { browserAvailable, launch, type BrowserSession } from './support/browser.js';

const available = browserAvailable();

describe.skipIf(!available)('the workspace ping key on the settings page', () => {
  let t: TestServer;
  let b: BrowserSession;
  let page: Page;

  const signInAs = async (email: string, password: string) => {
    await page.context().clearCookies();
    await page.goto(`${t.url}/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Settings' }).waitFor();
  };
  const pingKey = async () => (await t.api('GET', '/api/v1/workspace')).body.ping_key as string;

  beforeAll(async () => {
    t = await startTestServer();
    await setupAdmin(t, 'admin@ping-key.test', 'ping-key-admin-password');
    await joinByInvitation(t, 'viewer@ping-key.test', 'viewer', 'ping-key-viewer-password');
    b = await launch();
    page = b.page;
    page.on('pageerror', (error) => {
      throw error;
    });
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('an admin rotates it after confirming; cancelling changes nothing', async () => {
    await signInAs('admin@ping-key.test', 'ping-key-admin-password');
    await page.goto(`${t.url}/settings`);
    const before = await pingKey();
    await page.getByText(`/ping/${before}/<slug>`).waitFor();

    await page.getByRole('button', { name: 'Rotate ping key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('stops working at once').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // The cancelled dialog must be gone before the page's button is pressed again (its own button has the same name).
    await dialog.waitFor({ state: 'hidden' });
    expect(await pingKey()).toBe(before);

    await page.getByRole('button', { name: 'Rotate ping key' }).click();
    await b.shot('settings-rotate-ping-key');
    await dialog.getByRole('button', { name: 'Rotate ping key' }).click();
    await page.getByText('New ping key').waitFor();
    const after = await pingKey();
    expect(after).not.toBe(before);
    await page.getByText(`/ping/${after}/<slug>`).waitFor();
    expect(await page.getByText(`/ping/${before}/`).count()).toBe(0);
  });

  it('a viewer sees neither the ping key nor the button', async () => {
    await signInAs('viewer@ping-key.test', 'ping-key-viewer-password');
    await page.goto(`${t.url}/settings`);
    await page.getByRole('heading', { name: 'Workspace', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    expect(await page.getByText('Ping URLs by slug').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Rotate ping key' }).count()).toBe(0);
    expect(await page.content()).not.toContain(await pingKey());
  });
});
