// Acknowledging an incident from the dashboard: the alerts send people to the check page to stop the reminders,
// so the check page shows its open incident with an Acknowledge button, and so does the incidents list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ManualClock, startTestServer, type TestServer } from '../../server/test/support/server.js';
import { browserAvailable, type BrowserSession } from './support/browser.js';
import { ADMIN, signedInBrowser } from './support/signed-in.js';
import { joinByInvitation } from '../../server/test/support/session.js';

const MINUTE = 60_000;
const available = browserAvailable();

describe.skipIf(!available)('acknowledging an incident in the dashboard', () => {
  let t: TestServer;
  let b: BrowserSession & { errors: string[] };
  let page: Page;
  const clock = new ManualClock(Date.now());
  let check: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestServer({ clock });
    b = await signedInBrowser(t);
    page = b.page;
    const created = await t.api('POST', '/api/v1/checks', {
      name: 'invoice export',
      schedule: { kind: 'interval', period_s: 300 },
      grace_s: 60,
      realert_s: 3600,
    });
    check = created.body;
    expect((await t.ping(`/ping/${check.key}`)).status).toBe(200);
    clock.advance(7 * MINUTE);
    await t.server.runtime.scheduler.tick();
    expect((await t.api('GET', `/api/v1/checks/${check.id}`)).body.status).toBe('down');
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  const openIncident = async () => (await t.api('GET', `/api/v1/incidents?check=${check.id}&open=true`)).body.items[0];

  it('shows the open incident on the check page, where the alert links to', async () => {
    await page.goto(`${t.url}/checks/${check.id}`);
    const notice = page.getByTestId('open-incident');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Incident open');
    expect(await notice.textContent()).toContain('no heartbeat received');
    expect(await notice.textContent()).toMatch(/next reminder in (59|60) min/);
    await b.shot('ack-01-check-page-open-incident', page, false);
  });

  it('acknowledges it there: the reminders stop and the page says who is on it', async () => {
    await page.getByRole('button', { name: 'Acknowledge the incident of invoice export' }).click();
    const notice = page.getByTestId('open-incident');
    await expect.poll(() => notice.textContent()).toContain(`acknowledged by ${ADMIN.name}`);
    expect(await notice.getByRole('button', { name: /Acknowledge/ }).count()).toBe(0);
    expect(await openIncident()).toMatchObject({ acknowledged: true, acknowledged_by: ADMIN.name, next_alert_at: null });
    await b.shot('ack-02-check-page-acknowledged', page, false);
  });

  it('shows who acknowledged in the incidents list, and acknowledges from there too', async () => {
    // A second check goes down: its incident is acknowledged from the list.
    const other = (
      await t.api('POST', '/api/v1/checks', { name: 'nightly report', schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 })
    ).body;
    expect((await t.ping(`/ping/${other.key}`)).status).toBe(200);
    clock.advance(7 * MINUTE);
    await t.server.runtime.scheduler.tick();
    await page.goto(`${t.url}/incidents`);
    const acknowledged = page.locator('tr', { hasText: 'invoice export' });
    await acknowledged.waitFor();
    expect(await acknowledged.textContent()).toContain(`acknowledged by ${ADMIN.name}`);
    const open = page.locator('tr', { hasText: 'nightly report' });
    await open.getByRole('button', { name: 'Acknowledge the incident of nightly report' }).click();
    await expect.poll(() => open.textContent()).toContain('Acknowledged');
    const incidents = (await t.api('GET', `/api/v1/incidents?check=${other.id}`)).body.items;
    expect(incidents[0]).toMatchObject({ open: true, acknowledged: true, acknowledged_by: ADMIN.name });
    await b.shot('ack-03-incidents');
  });

  it('offers no Acknowledge button to a viewer', async () => {
    await joinByInvitation(t, 'vic@example.com', 'viewer', 'a viewer password');
    await page.context().clearCookies();
    await page.goto(t.url);
    await page.getByLabel('Email').fill('vic@example.com');
    await page.getByLabel('Password').fill('a viewer password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Checks', exact: true }).waitFor();
    await page.goto(`${t.url}/incidents`);
    await page.locator('tr', { hasText: 'nightly report' }).waitFor();
    expect(await page.getByRole('button', { name: /Acknowledge/ }).count()).toBe(0);
  });
});
