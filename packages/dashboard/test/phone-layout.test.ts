// Every page of the dashboard (and the public status page) on a 390-px phone: nothing scrolls sideways, and no
// page logs a console error — a signed-out visit included (the session probe's 401 is not made when not needed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ManualClock, startTestServer, type TestServer } from '../../server/test/support/server.js';
import { browserAvailable, launch, SCREENSHOTS, type BrowserSession } from './support/browser.js';
import { ADMIN, watchConsole } from './support/signed-in.js';
import { joinByInvitation } from '../../server/test/support/session.js';

const MINUTE = 60_000;
const PHONE = { width: 390, height: 844 };
const available = browserAvailable();

describe.skipIf(!available)('the dashboard on a 390-px phone', () => {
  let t: TestServer;
  let b: BrowserSession;
  let page: Page;
  const errors: string[] = [];
  const clock = new ManualClock(Date.now());
  const ids: Record<string, string> = {};
  let invitePath = '';

  /** The page's width as laid out, against the window's: equal when nothing sticks out sideways. */
  const widths = () => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  const visit = async (name: string, path: string, ready: (p: Page) => Promise<unknown>) => {
    await page.goto(`${t.url}${path}`);
    await ready(page);
    await page.evaluate(() => document.fonts.ready);
    const { scroll, inner } = await widths();
    await b.shot(`phone-${name}`);
    // On failure, name the elements that stick out, outermost first.
    const wide =
      scroll > inner
        ? await page.evaluate(() =>
            [...document.querySelectorAll('body *')]
              .filter((el) => {
                if (el.getBoundingClientRect().right <= window.innerWidth + 0.5) return false;
                for (let up = el.parentElement; up && up !== document.body; up = up.parentElement)
                  if (getComputedStyle(up).overflowX !== 'visible') return false;
                return true;
              })
              .slice(0, 5)
              .map(
                (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().right)}px)`,
              ),
          )
        : [];
    expect(scroll, `${path} is ${scroll}px wide in a ${inner}px window: ${wide.join(', ')}`).toBeLessThanOrEqual(inner);
    // A page can fit while a card is cut off at the edge (overflow hidden): every card must end inside the window.
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll('.card')]
        .map((el) => Math.round(el.getBoundingClientRect().right))
        .filter((right) => right > window.innerWidth),
    );
    expect(cut, `${path} has cards ending past the window's edge`).toEqual([]);
  };
  const heading = (name: string) => (p: Page) => p.getByRole('heading', { name, exact: true }).first().waitFor();

  beforeAll(async () => {
    t = await startTestServer({ clock });
    b = await launch({ viewport: PHONE });
    page = b.page;
    watchConsole(page, errors);
    const long = 'nightly-postgres-dump-of-the-billing-database-to-the-offsite-bucket';
    const make = async (name: string, body: Record<string, unknown>) => {
      const res = await t.api('POST', '/api/v1/checks', { name, ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids[name] = res.body.id;
      return res.body as { id: string; key: string };
    };
    const backup = await make(long, {
      project: 'billing-platform-infrastructure',
      service: 'postgres-primary-eu-west',
      tags: ['prod', 'backups', 'eu-west-1'],
      schedule: { kind: 'cron', expr: '*/15 9-17 * * 1-5', tz: 'Asia/Tokyo' },
      grace_s: 600,
      realert_s: 3600,
    });
    await make('nightly backup', { project: 'shop', schedule: { kind: 'interval', period_s: 86_400 } });
    await make('nightly backup', { project: 'blog', schedule: { kind: 'interval', period_s: 86_400 } });
    const worker = await make('queue drain', { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    const ping = async (key: string, suffix = '', init?: RequestInit) =>
      expect((await t.ping(`/ping/${key}${suffix}`, init)).status).toBe(200);
    for (let i = 0; i < 4; i += 1) {
      await ping(backup.key, '/start');
      clock.advance((i + 1) * 7_000);
      await ping(backup.key, '/progress/60?msg=copying%20the%20write-ahead%20log%20segments%20to%20the%20bucket');
      await ping(backup.key, i === 2 ? '/3' : '/0', {
        method: 'POST',
        body: `pg_dump: finished ${'segment-000000010000000A000000FF '.repeat(40)}`,
      });
      clock.advance(MINUTE);
    }
    await ping(worker.key);
    clock.advance(7 * MINUTE);
    await t.server.runtime.scheduler.tick();
    await t.api('POST', '/api/v1/channels', {
      kind: 'webhook',
      name: 'ops webhook for the on-call rotation',
      config: { url: 'https://hooks.example.com/services/T0000000/B0000000/averyveryveryverylongtokenvalue' },
    });
    await t.api('POST', '/api/v1/channels', {
      kind: 'email',
      name: 'on-call mail',
      config: { host: 'smtp.example.com', from: 'overdue@example.com', to: ['oncall-primary@example.com', 'oncall-secondary@example.com'] },
    });
    await t.api('PUT', '/api/v1/status-page', { slug: 'acme', title: 'Acme status', checks: [backup.id, worker.id] });
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('first run: the setup page', async () => {
    await visit('setup', '/', heading('Welcome to Overdue'));
    await page.getByLabel('Admin API key').fill(t.key);
    await page.getByLabel('Your name').fill(ADMIN.name);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.getByRole('heading', { name: 'Checks', exact: true }).waitFor();
    await joinByInvitation(t, 'grace.hopper.with.a.long.address@example.com', 'editor', 'a first password');
    // One invitation left pending: the settings page lists it, and its link opens the accept page.
    const pending = await t.api('POST', '/api/v1/members', { email: 'margaret.hamilton.invited@example.com', role: 'viewer' });
    const link = new URL(pending.body.accept_url);
    invitePath = `${link.pathname}${link.hash}`;
    await t.api('POST', '/api/v1/keys', { name: 'deploy bot for the staging cluster', scope: 'write' });
  });

  it.each([
    ['checks', '/', (p: Page) => p.locator('.check-row').first().waitFor()],
    ['checks-grouped', '/?group=project-service', (p: Page) => p.locator('.group-row').first().waitFor()],
    ['check-down', () => `/checks/${ids['queue drain']}`, (p: Page) => p.getByTestId('open-incident').waitFor()],
    [
      'check-runs',
      () => `/checks/${ids['nightly-postgres-dump-of-the-billing-database-to-the-offsite-bucket']}`,
      (p: Page) => p.locator('section[aria-labelledby=h-signals] tbody tr').first().waitFor(),
    ],
    ['check-new', '/checks/new', heading('New check')],
    ['check-edit', () => `/checks/${ids['queue drain']}/edit`, heading('Edit check')],
    ['cron-jobs', '/cron', heading('Cron jobs')],
    ['incidents', '/incidents', (p: Page) => p.locator('tbody tr, .incident').first().waitFor()],
    ['channels', '/channels', (p: Page) => p.locator('.channel-list > li').first().waitFor()],
    ['keys', '/keys', (p: Page) => p.getByText('deploy bot for the staging cluster').waitFor()],
    ['settings', '/settings', heading('Settings')],
    ['invite', () => invitePath, (p: Page) => p.getByRole('heading', { name: /^Join / }).waitFor()],
    ['not-found', '/no/such/page', heading('Page not found')],
    ['status-page', '/status/acme', (p: Page) => p.getByText('Acme status').first().waitFor()],
  ] as Array<[string, string | (() => string), (p: Page) => Promise<unknown>]>)(
    '%s fits without sideways scrolling',
    async (name, path, ready) => {
      await visit(name, typeof path === 'function' ? path() : path, ready);
    },
  );

  it("the check page's tables stay readable: each of its sections looked at on its own", async () => {
    await page.goto(`${t.url}/checks/${ids['nightly-postgres-dump-of-the-billing-database-to-the-offsite-bucket']}`);
    await page.locator('section[aria-labelledby=h-signals] tbody tr').first().waitFor();
    for (const section of ['h-runs', 'h-stats', 'h-config', 'h-flips', 'h-signals']) {
      const box = page.locator(`section[aria-labelledby=${section}]`);
      await box.scrollIntoViewIfNeeded();
      await box.screenshot({ path: `${SCREENSHOTS}/phone-check-${section}.png`, animations: 'disabled' });
      expect(await box.evaluate((el) => el.getBoundingClientRect().right), section).toBeLessThanOrEqual(PHONE.width);
    }
  });

  it('the cron helper and the menu drawer fit too', async () => {
    await page.goto(`${t.url}/checks/new`);
    await page.getByRole('button', { name: 'Cron expression' }).click();
    await page.getByLabel('Cron expression', { exact: true }).fill('*/15 9-17 * * 1-5');
    await page.getByTestId('cron-helper').getByText('every 15 minutes').waitFor();
    expect((await widths()).scroll).toBeLessThanOrEqual(PHONE.width);
    await b.shot('phone-cron-helper');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Incidents' }).waitFor();
    expect((await widths()).scroll).toBeLessThanOrEqual(PHONE.width);
    await b.shot('phone-menu', page, false);
  });

  it('signed out: the sign-in page fits, and no page logged a console error', async () => {
    await page.goto(t.url);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await visit('sign-in', '/', heading('Sign in'));
    expect(errors).toEqual([]);
  });
});
