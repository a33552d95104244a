// The dashboard in a real browser (Debian's Chromium through playwright-core) against a real server whose
// clock the test moves: sign-up and sign-in, a check created, pinged, running and missed, edited, paused and
// deleted, every page looked at (screenshots under test-output/screenshots/).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ManualClock, startTestServer, type TestServer } from '../../server/test/support/server.js';
import { browserAvailable, launch, type BrowserSession } from './support/browser.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const EMAIL = 'ada@example.com';
const PASSWORD = 'correct horse battery';
const available = browserAvailable();

describe.skipIf(!available)('the dashboard in a browser', () => {
  let t: TestServer;
  let b: BrowserSession;
  let page: Page;
  const clock = new ManualClock(Date.now());
  let check: { id: string; key: string };

  const row = (name: string) => page.locator('.check-row', { hasText: name });
  const badgeOf = (name: string) => row(name).locator('.badge');
  const ping = async (suffix = '', init?: RequestInit) => {
    const res = await fetch(`${t.url}/ping/${check.key}${suffix}`, init);
    expect(res.status).toBe(200);
  };
  const tick = async (ms: number) => {
    clock.advance(ms);
    await t.server.runtime.scheduler.tick();
  };
  const noReloadSince = async () =>
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  beforeAll(async () => {
    t = await startTestServer({ clock });
    b = await launch();
    page = b.page;
    page.on('pageerror', (error) => {
      throw error;
    });
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await b.shot(`failed-${context.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('asks for the admin account on first run and signs the admin in', async () => {
    await page.goto(t.url);
    await page.getByRole('heading', { name: 'Welcome to Overdue' }).waitFor();
    await b.shot('01-setup');
    await page.getByLabel('Admin API key').fill('od_a-key-this-server-never-made');
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.getByText('That is not an admin API key of this Overdue.', { exact: false }).waitFor();
    await page.getByLabel('Admin API key').fill(t.key);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.getByRole('heading', { name: 'No checks yet' }).waitFor();
    expect(await page.locator('#workspace-switcher').inputValue()).toBe(t.workspaceId);
    await b.shot('02-checks-empty');
  });

  it('signs out, refuses a wrong password, and signs in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That email and password do not match an account.').waitFor();
    await b.shot('03-sign-in-error');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Checks', exact: true }).waitFor();
    const cookies = await b.context.cookies();
    expect(cookies.find((c) => c.name === 'overdue_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('overdue_session');
  });

  it('creates a check through the form', async () => {
    await page.getByRole('link', { name: 'Create your first check' }).click();
    await page.getByRole('heading', { name: 'New check' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('nightly backup');
    await page.getByLabel('Project', { exact: true }).fill('billing');
    await page.getByLabel('Service', { exact: true }).fill('postgres');
    await page.getByLabel('Tags', { exact: true }).fill('prod, backups');
    await page.getByLabel('Period', { exact: true }).fill('5');
    await page.getByLabel('Grace', { exact: true }).fill('1');
    await b.shot('04-check-form');
    await page.getByRole('button', { name: 'Create check' }).click();
    await page.getByRole('heading', { name: 'nightly backup' }).waitFor();
    const listed = await t.api('GET', '/api/v1/checks?q=nightly');
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({
      project: 'billing',
      service: { name: 'postgres' },
      tags: ['prod', 'backups'],
      schedule: { kind: 'interval', period_s: 300 },
      grace_s: 60,
    });
    check = listed.body.items[0];
    expect(await page.locator('h1 + .badge').textContent()).toBe('New');
    await page.getByRole('link', { name: 'Checks', exact: true }).first().click();
    await badgeOf('nightly backup').waitFor();
    expect(await badgeOf('nightly backup').textContent()).toBe('New');
    expect(await row('nightly backup').textContent()).toContain('every 5 minutes');
  });

  it("shows the next five cron runs in the check's time zone while typing", async () => {
    await page.getByRole('link', { name: 'New check' }).click();
    await page.getByLabel('Name', { exact: true }).fill('nightly report');
    await page.getByRole('button', { name: 'Cron expression' }).click();
    await page.getByLabel('Cron expression', { exact: true }).fill('0 2 * * *');
    await page.getByLabel('Time zone', { exact: true }).fill('Europe/Berlin');
    const helper = page.getByTestId('cron-helper');
    await expect.poll(() => helper.textContent()).toContain('Runs at 02:00');
    const runs = await helper.locator('li').allTextContents();
    expect(runs).toHaveLength(5);
    for (const run of runs) expect(run).toMatch(/02:00 (CET|CEST|GMT\+1|GMT\+2)/);
    await page.getByLabel('Cron expression', { exact: true }).fill('0 25 * * *');
    await expect.poll(() => helper.textContent()).not.toContain('Next five runs');
    await page.getByLabel('Cron expression', { exact: true }).fill('30 2 * * 1-5');
    await expect.poll(() => helper.textContent()).toContain('Runs at 02:30 on weekdays');
    await b.shot('05-cron-helper');
    await page.getByRole('button', { name: 'Create check' }).click();
    await page.getByRole('heading', { name: 'nightly report' }).waitFor();
    await page.getByRole('link', { name: 'Checks', exact: true }).first().click();
    await expect.poll(() => row('nightly report').textContent()).toContain('at 02:30 on weekdays Europe/Berlin');
  });

  it('turns the row green when the check is pinged, without a reload', async () => {
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    await ping();
    await expect.poll(() => badgeOf('nightly backup').textContent(), { timeout: 10_000 }).toBe('Up');
    expect(await badgeOf('nightly backup').getAttribute('data-status')).toBe('up');
    expect(await row('nightly backup').textContent()).toContain('just now');
    await noReloadSince();
  });

  it("shows a running job's progress bar advancing, its message and elapsed time", async () => {
    await ping('/start');
    await ping('/progress/30', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'copying files' }),
    });
    const bar = row('nightly backup').getByRole('progressbar');
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 10_000 }).toBe('30');
    expect(await badgeOf('nightly backup').textContent()).toBe('Running');
    expect(await row('nightly backup').textContent()).toContain('copying files');
    clock.advance(75 * SECOND);
    await ping('/progress/70', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'verifying' }),
    });
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 10_000 }).toBe('70');
    await expect.poll(() => row('nightly backup').textContent()).toMatch(/verifying1m 1[5-9]s/);
    await b.shot('06-checks-running');
    clock.advance(15 * SECOND);
    await ping('/0', { method: 'POST', body: 'backup done: 1.2 GB' });
    await expect.poll(() => badgeOf('nightly backup').textContent(), { timeout: 10_000 }).toBe('Up');
    await expect.poll(() => row('nightly backup').textContent()).toContain('1m 30s');
    expect(await row('nightly backup').getByRole('progressbar').count()).toBe(0);
    await noReloadSince();
  });

  it('turns the row late, then red, when a beat is missed', async () => {
    await tick(5 * MINUTE + SECOND);
    await expect.poll(() => badgeOf('nightly backup').textContent(), { timeout: 10_000 }).toBe('Late');
    await tick(MINUTE);
    await expect.poll(() => badgeOf('nightly backup').textContent(), { timeout: 10_000 }).toBe('Down');
    expect(await badgeOf('nightly backup').getAttribute('data-status')).toBe('down');
    const color = await badgeOf('nightly backup').evaluate((el) => getComputedStyle(el).color);
    expect(color).toBe('rgb(200, 30, 30)');
    expect(await page.locator('.nav .count').textContent()).toBe('1');
    await noReloadSince();
    await b.shot('07-checks-down');
  });

  it('shows the check: status, runs with their events, the signal log and the reason it went down', async () => {
    await row('nightly backup').click();
    await page.getByRole('heading', { name: 'nightly backup' }).waitFor();
    await page.getByRole('heading', { name: 'Status changes' }).waitFor();
    await expect
      .poll(() => page.locator('section[aria-labelledby=h-flips]').textContent())
      .toContain('no heartbeat received within expected interval + grace period');
    const runs = page.locator('section[aria-labelledby=h-runs] tbody tr');
    await expect.poll(() => runs.first().textContent()).toContain('Success (0)');
    expect(await runs.first().textContent()).toContain('1m 30s');
    await runs.first().click();
    const events = page.getByRole('list', { name: 'Events of this run' });
    await expect.poll(() => events.locator('li').count()).toBe(4);
    const text = await events.textContent();
    expect(text).toMatch(/start.*progress.*30%.*copying files.*progress.*70%.*verifying.*success.*exit 0.*backup done: 1\.2 GB/s);
    expect(await page.locator('section[aria-labelledby=h-signals]').textContent()).toContain('exit status 0');
    expect(await page.locator('.snippet pre').textContent()).toContain(`${t.url}/ping/${check.key}`);
    for (const tab of ['crontab', 'Shell wrapper', 'TypeScript', 'Python']) {
      await page.getByRole('tab', { name: tab }).click();
      expect(await page.locator('.snippet pre').textContent(), tab).toContain(
        tab === 'Shell wrapper' || tab === 'TypeScript' ? check.key : `${t.url}/ping/${check.key}`,
      );
    }
    expect(await page.locator('.days > span').count()).toBe(90);
    // One finished run: its bar is labelled once, not with "oldest" and "latest" printed over each other.
    const durationChart = page.locator('section[aria-labelledby=h-runs] figure.chart');
    expect(await durationChart.locator('rect').count()).toBe(1);
    expect(await durationChart.locator('.chart-y span, .chart-x span').allTextContents()).toEqual(['1m 30s', '45.0 s', 'latest run']);
    // Labels are page text, not scaled with the chart: the same size as the rest of the small print.
    expect(await durationChart.locator('.chart-x span').evaluate((el) => getComputedStyle(el).fontSize)).toBe('12px');
    await b.shot('08-check-page');
  });

  it('lists the incident the missed beat opened', async () => {
    await page.getByRole('link', { name: 'Incidents' }).click();
    const incident = page.locator('tr', { hasText: 'nightly backup' });
    await incident.waitFor();
    expect(await incident.textContent()).toContain('Open');
    expect(await incident.textContent()).toContain('no heartbeat received');
    await b.shot('09-incidents');
  });

  it('edits the check', async () => {
    await page.goto(`${t.url}/checks/${check.id}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit check' }).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('nightly backup');
    expect(await page.getByLabel('Period', { exact: true }).inputValue()).toBe('5');
    await page.getByLabel('Name', { exact: true }).fill('nightly db backup');
    await page.getByLabel('Down after this many failures in a row').fill('2');
    await b.shot('10-edit-check');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'nightly db backup' }).waitFor();
    expect(await page.locator('section[aria-labelledby=h-config]').textContent()).toContain('2 failures in a row');
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).body).toMatchObject({ name: 'nightly db backup', failure_threshold: 2 });
  });

  it('pauses and resumes the check', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.locator('h1 + .badge').textContent()).toBe('Paused');
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).body.status).toBe('paused');
    await page.getByRole('link', { name: 'Checks', exact: true }).first().click();
    await expect.poll(() => badgeOf('nightly db backup').textContent()).toBe('Paused');
    await b.shot('11-checks-paused');
    await row('nightly db backup').click();
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.locator('h1 + .badge').textContent()).not.toBe('Paused');
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).body.status).not.toBe('paused');
  });

  it('shows the cron jobs by project, service and host', async () => {
    await ping('/start', { headers: { 'user-agent': 'test' } });
    await page.getByRole('link', { name: 'Cron jobs' }).click();
    await page.getByRole('heading', { name: 'billing' }).waitFor();
    const billing = page.locator('section[aria-label="Project billing"]');
    expect(await billing.textContent()).toContain('postgres');
    expect(await billing.textContent()).toContain('nightly db backup');
    await b.shot('12-cron-jobs');
    await ping('/0');
  });

  it('adds a webhook channel', async () => {
    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByLabel('Name', { exact: true }).fill('ops webhook');
    await page.getByLabel('URL', { exact: true }).fill('https://hooks.example.com/overdue/secret-token');
    await page.getByRole('button', { name: 'Add channel' }).click();
    const listed = page.locator('.channel-list > li', { hasText: 'ops webhook' });
    await listed.waitFor();
    expect(await listed.textContent()).toContain('hooks.example.com');
    expect(await listed.textContent()).not.toContain('secret-token');
    // Settings left empty (no headers, no body template) are not listed as "{}" and "null".
    expect(await listed.locator('.channel-target').textContent()).not.toMatch(/headers|body_template|null/i);
    await b.shot('13-channels');
  });

  it('creates an API key and shows it once', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name', { exact: true }).fill('deploy bot');
    await page.getByLabel('Scope').selectOption('write');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-key').locator('code').textContent())!;
    expect(secret).toMatch(/^od_[A-Za-z0-9]{40}$/);
    expect((await t.api('GET', '/api/v1/checks', undefined, secret)).status).toBe(200);
    await b.shot('14-api-keys');
    await page.reload();
    await page.locator('tr', { hasText: 'deploy bot' }).waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('invites a member and creates and switches workspaces', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Email', { exact: true }).fill('grace@example.com');
    await page.getByLabel('Role', { exact: true }).selectOption('editor');
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByLabel('Invitation link for grace@example.com').waitFor();
    await page.getByRole('table', { name: 'Pending invitations' }).locator('tr', { hasText: 'grace@example.com' }).waitFor();
    await b.shot('15-settings');
    await page.locator('#workspace-switcher').selectOption('__new');
    await page.getByLabel('Workspace name').fill('Staging');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('heading', { name: 'No checks yet' }).waitFor();
    expect(await page.locator('#workspace-switcher option:checked').textContent()).toBe('Staging');
    await page.locator('#workspace-switcher').selectOption(t.workspaceId);
    await badgeOf('nightly db backup').waitFor();
  });

  it('shows names from users as text, never as markup', async () => {
    const res = await t.api('POST', '/api/v1/checks', {
      name: '<img src=x onerror="window.__xss=1">',
      description: '<script>window.__xss=2</script>',
      project: '<b>bold</b>',
    });
    expect(res.status).toBe(201);
    await expect.poll(() => page.locator('.check-row', { hasText: '<img src=x' }).count(), { timeout: 10_000 }).toBe(1);
    await page.locator('.check-row', { hasText: '<img src=x' }).click();
    await page.getByRole('heading', { name: '<img src=x onerror="window.__xss=1">' }).waitFor();
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('deletes the check after confirmation', async () => {
    await page.goto(`${t.url}/checks/${check.id}`);
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await b.shot('16-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete check' }).click();
    await page.getByRole('heading', { name: 'Checks', exact: true }).waitFor();
    await expect.poll(() => row('nightly db backup').count()).toBe(0);
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).status).toBe(404);
  });

  it('works on a phone and in the dark', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(t.url);
    await row('nightly report').waitFor();
    await b.shot('17-phone-checks');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('heading', { name: 'Incidents', exact: true }).waitFor();
    await b.shot('18-phone-incidents');
    await page.setViewportSize({ width: 1360, height: 900 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(t.url);
    await row('nightly report').waitFor();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(14, 16, 20)');
    await b.shot('19-checks-dark');
    await row('nightly report').click();
    await page.getByRole('heading', { name: 'Ping this check' }).waitFor();
    await b.shot('20-check-page-dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(246, 247, 249)');
    await page.reload();
    await page.getByRole('heading', { name: 'Ping this check' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  });
});
