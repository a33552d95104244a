// Invitations in a real browser: the admin invites and copies the link (no mail configured), the invited person
// opens it in their own browser and creates their account, a used or revoked link says so, and someone who
// already has an account signs in on the page and accepts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../server/test/support/server.js';
import { joinByInvitation, setupAdmin } from '../../server/test/support/session.js';
import { browserAvailable, launch, type BrowserSession } from './support/browser.js';

const available = browserAvailable();

describe.skipIf(!available)('invitations in a browser', () => {
  let t: TestServer;
  let admin: BrowserSession;
  let invitee: BrowserSession;
  let link = '';

  /** The admin's Settings page, inviting `email` as `role`; returns the link shown to copy. */
  async function invite(page: Page, email: string, role: string): Promise<string> {
    await page.goto(`${t.url}/settings`);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Role', { exact: true }).selectOption(role);
    await page.getByRole('button', { name: 'Invite' }).click();
    const field = page.getByLabel(`Invitation link for ${email}`);
    await field.waitFor();
    return field.inputValue();
  }

  beforeAll(async () => {
    t = await startTestServer();
    const session = await setupAdmin(t);
    admin = await launch();
    await admin.context.addCookies([
      { name: 'overdue_session', value: session.cookie.split('=')[1], url: t.url, httpOnly: true, sameSite: 'Strict' },
    ]);
    invitee = await launch();
    for (const b of [admin, invitee])
      b.page.on('pageerror', (error) => {
        throw error;
      });
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await invitee.shot(`failed-invite-${context.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
  });
  afterAll(async () => {
    await admin?.close();
    await invitee?.close();
    await t?.close();
  });

  it('the admin invites an address and gets a link to copy; the invitation waits in the list', async () => {
    link = await invite(admin.page, 'grace@example.com', 'editor');
    expect(link).toMatch(new RegExp(`^${t.url}/invite#[A-Za-z0-9_-]{43}$`));
    await admin.page.getByRole('table', { name: 'Pending invitations' }).locator('tr', { hasText: 'grace@example.com' }).waitFor();
    await admin.shot('invite-01-link');
  });

  it('the invited person opens the link, chooses a name and password, and lands in the workspace', async () => {
    const page = invitee.page;
    await page.goto(link);
    await page.getByRole('heading', { name: 'Join Default' }).waitFor();
    expect(await page.getByText('invited grace@example.com to the workspace "Default" as editor').count()).toBe(1);
    expect(await page.getByLabel('Email').inputValue()).toBe('grace@example.com');
    await invitee.shot('invite-02-accept-page');
    await page.getByLabel('Your name').fill('Grace Hopper');
    await page.getByLabel('Choose a password').fill('grace own password');
    await page.getByRole('button', { name: 'Create account and join' }).click();
    await page.getByRole('heading', { name: 'No checks yet' }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.locator('#workspace-switcher').inputValue()).toBe(t.workspaceId);
    expect((await t.api('POST', '/api/v1/auth/login', { email: 'grace@example.com', password: 'grace own password' }, null)).status).toBe(
      200,
    );
    // The admin's list now has her as a member and no longer as invited.
    await admin.page.reload();
    await admin.page.locator('tr', { hasText: 'Grace Hopper' }).waitFor();
    expect(await admin.page.getByRole('table', { name: 'Pending invitations' }).count()).toBe(0);
  });

  it('a used link says it is no longer valid', async () => {
    await invitee.context.clearCookies();
    await invitee.page.goto(link);
    await invitee.page.getByText('This invitation link is not valid', { exact: false }).waitFor();
    await invitee.shot('invite-03-used');
  });

  it('a revoked link stops working', async () => {
    const revokedLink = await invite(admin.page, 'revoked@example.com', 'viewer');
    await admin.page.getByRole('button', { name: 'Revoke the invitation of revoked@example.com' }).click();
    await admin.page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => admin.page.getByRole('table', { name: 'Pending invitations' }).count()).toBe(0);
    await invitee.page.goto(revokedLink);
    await invitee.page.getByText('This invitation link is not valid', { exact: false }).waitFor();
  });

  it('someone with an account signs in on the page, then accepts', async () => {
    const other = await t.otherWorkspace('write');
    await joinByInvitation(t, 'ada@example.com', 'viewer', 'ada own password');
    const invited = await t.api('POST', '/api/v1/members', { email: 'ada@example.com', role: 'editor' }, other.key);
    const page = invitee.page;
    await invitee.context.clearCookies();
    await page.goto(invited.body.accept_url);
    await page.getByRole('button', { name: 'I already have an account' }).click();
    await page.getByLabel('Password').fill('ada own password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByRole('heading', { name: 'No checks yet' }).waitFor();
    expect(await page.locator('#workspace-switcher').inputValue()).toBe(other.workspaceId);
  });
});
