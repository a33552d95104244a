// A viewer finds their way by the ids the API gives them: read ids, never a check's UUID (which pings, issue 12).
// The dashboard keeps working for them — list, check page, runs — and shows no UUID, key or ping URL anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.js';
import { joinByInvitation, setupAdmin } from '../../server/test/support/session.js';
import { readIdOf } from '../../server/src/store/ids.js';
import { browserAvailable, launch, type BrowserSession } from './support/browser.js';

const available = browserAvailable();

describe.skipIf(!available)('a viewer in the dashboard', () => {
  let t: TestServer;
  let b: BrowserSession;
  let check: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestServer();
    await setupAdmin(t, 'admin@viewer.test', 'viewer-test-admin-password');
    const created = await t.api('POST', '/api/v1/checks', { name: 'viewed job' });
    expect(created.status).toBe(201);
    check = { id: created.body.id, key: created.body.key };
    expect((await t.ping(`/ping/${check.id}/start`)).status).toBe(200);
    expect((await t.ping(`/ping/${check.id}`)).status).toBe(200);
    const viewer = await joinByInvitation(t, 'viewer@viewer.test', 'viewer', 'viewer-test-password');
    b = await launch();
    b.page.on('pageerror', (error) => {
      throw error;
    });
    const [name, value] = viewer.cookie.split(';')[0].split('=');
    await b.context.addCookies([{ name, value, url: t.url }]);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('opens a check from the list by its read id and sees its runs, but no UUID, key or ping URL', async () => {
    const page = b.page;
    await page.goto(t.url);
    await page.locator('.check-row', { hasText: 'viewed job' }).click();
    await page.getByRole('heading', { name: 'viewed job' }).waitFor();
    await expect.poll(() => page.locator('section[aria-labelledby=h-runs] tbody tr').count()).toBeGreaterThan(0);
    expect(page.url()).toContain(readIdOf(check.id));
    const html = await page.content();
    for (const secret of [check.id, check.key, `${t.url}/ping/`]) expect(html).not.toContain(secret);
    expect(await page.getByRole('heading', { name: 'Ping this check' }).count()).toBe(0);
    // A reload lands on the same check: the read id in the address is enough.
    await page.reload();
    await page.getByRole('heading', { name: 'viewed job' }).waitFor();
    await b.shot('viewer-check-page');
  });
});
