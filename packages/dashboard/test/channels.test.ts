// The channels page in a browser: a form per kind (no JSON), the webhook's signing secret shown once and valid,
// "send test" with the receiver's answer, editing without retyping secrets, and subscribing existing checks.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../server/test/support/server.js';
import { browserAvailable, type BrowserSession } from './support/browser.js';
import { signedInBrowser } from './support/signed-in.js';

const available = browserAvailable();

describe.skipIf(!available)('the channels page', () => {
  let t: TestServer;
  let b: BrowserSession & { errors: string[] };
  let page: Page;
  let receiver: http.Server;
  let hookUrl: string;
  const received: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  let answer = 200;
  let secret = '';

  const channelRow = (name: string) => page.locator(`.channel-list > li[data-channel="${name}"]`);
  const storedChannel = async (name: string) => {
    const list = (await t.api('GET', '/api/v1/channels')).body.items as Array<{ id: string; name: string }>;
    return (await t.api('GET', `/api/v1/channels/${list.find((c) => c.name === name)!.id}`)).body;
  };

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ url: req.url!, headers: req.headers, body });
        res.writeHead(answer).end(answer === 200 ? 'ok' : 'broken');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/overdue-token-123`;
    t = await startTestServer({ env: { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' } });
    b = await signedInBrowser(t);
    page = b.page;
    await t.api('POST', '/api/v1/checks', { name: 'nightly backup', project: 'billing', schedule: { kind: 'interval', period_s: 86400 } });
    await t.api('POST', '/api/v1/checks', { name: 'nightly backup', project: 'shop', schedule: { kind: 'interval', period_s: 86400 } });
    await t.api('POST', '/api/v1/checks', { name: 'queue drain', schedule: { kind: 'interval', period_s: 300 } });
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b.shot(`failed-channels-${context.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it("asks for a Slack channel's settings by name, not as JSON", async () => {
    await page.goto(`${t.url}/channels`);
    await page.getByLabel('Kind').selectOption('slack');
    await page.getByLabel('Incoming webhook URL').waitFor();
    expect(await page.getByTestId('channel-form').locator('textarea').count()).toBe(0);
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('placeholder')).toBe('#ops on Slack');
    await page.getByLabel('Kind').selectOption('email');
    for (const label of ['To', 'From', 'SMTP host', 'Security', 'Port (optional)', 'Username (optional)', 'Password (optional)']) {
      expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(1);
    }
    await b.shot('channels-01-email-form');
  });

  it("shows the server's refusal next to the field it names", async () => {
    await page.getByLabel('Kind').selectOption('slack');
    await page.getByLabel('Name', { exact: true }).fill('ops slack');
    await page.getByLabel('Incoming webhook URL').fill('ftp://hooks.example.com/x');
    await page.getByRole('button', { name: 'Add channel' }).click();
    const error = page.locator('.field', { has: page.getByLabel('Incoming webhook URL') }).locator('.error');
    await expect.poll(() => error.textContent()).toContain('config.webhook_url');
  });

  it('adds a webhook and shows its signing secret once, a secret that verifies what Overdue sends', async () => {
    await page.getByLabel('Kind').selectOption('webhook');
    await page.getByLabel('Name', { exact: true }).fill('ops webhook');
    await page.getByLabel('URL', { exact: true }).fill(hookUrl);
    await page.getByRole('button', { name: 'Add channel' }).click();
    const shown = page.getByTestId('channel-secret');
    await shown.waitFor();
    secret = (await shown.getByTestId('channel-secret-value').textContent())!;
    expect(secret.length).toBeGreaterThanOrEqual(16);
    await channelRow('ops webhook').waitFor();
    expect(await channelRow('ops webhook').textContent()).not.toContain('overdue-token-123');
    await b.shot('channels-02-webhook-secret');

    await channelRow('ops webhook').getByRole('button', { name: 'Send a test to ops webhook' }).click();
    const result = channelRow('ops webhook').getByTestId('channel-test-result');
    await expect.poll(() => result.textContent()).toMatch(/^Test sent: the receiver answered 200 in \d+ ms\.$/);
    const delivery = received.at(-1)!;
    expect(delivery.url).toBe('/hooks/overdue-token-123');
    expect(delivery.headers['x-overdue-signature']).toBe(`sha256=${createHmac('sha256', secret).update(delivery.body).digest('hex')}`);

    await page.reload();
    await channelRow('ops webhook').waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('says what the receiver answered when a test fails', async () => {
    answer = 500;
    await channelRow('ops webhook').getByRole('button', { name: 'Send a test to ops webhook' }).click();
    await expect
      .poll(() => channelRow('ops webhook').getByTestId('channel-test-result').textContent())
      .toContain('Test failed: receiver answered 500');
    answer = 200;
  });

  it('edits a channel without retyping its secrets: they show as unchanged and are kept', async () => {
    await channelRow('ops webhook').getByRole('button', { name: 'Edit channel ops webhook' }).click();
    const form = channelRow('ops webhook').getByTestId('channel-form');
    const url = form.getByLabel('URL', { exact: true });
    expect(await url.inputValue()).toBe('');
    expect(await url.getAttribute('placeholder')).toMatch(/^unchanged \(stored: http:\/\/127\.0\.0\.1:\d+\/…\)$/);
    await form.getByText('More settings').click();
    expect(await form.getByLabel('Signing secret (optional)').getAttribute('placeholder')).toBe('unchanged (stored)');
    await form.getByLabel('Method').selectOption('PUT');
    await form.getByLabel('Name', { exact: true }).fill('ops webhook (PUT)');
    await b.shot('channels-03-edit', page);
    await form.getByRole('button', { name: 'Save channel' }).click();
    await channelRow('ops webhook (PUT)').waitFor();
    expect(await page.getByTestId('channel-secret').count()).toBe(0);
    const before = received.length;
    await channelRow('ops webhook (PUT)')
      .getByRole('button', { name: /Send a test/ })
      .click();
    await expect.poll(() => received.length).toBe(before + 1);
    // The stored URL and signing secret were kept.
    expect(received.at(-1)!.url).toBe('/hooks/overdue-token-123');
    expect(received.at(-1)!.headers['x-overdue-signature']).toBe(
      `sha256=${createHmac('sha256', secret).update(received.at(-1)!.body).digest('hex')}`,
    );
    expect((await storedChannel('ops webhook (PUT)')).config.method).toBe('PUT');
  });

  it('shows "secret required" next to the secret fields when a changed target needs them again', async () => {
    await page.route('**/api/v1/channels/*', async (route) => {
      if (route.request().method() !== 'PATCH') return route.fallback();
      await route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'secret_required', message: 'The URL changed: enter the signing secret again (config.secret).' },
        }),
      });
    });
    await channelRow('ops webhook (PUT)')
      .getByRole('button', { name: /Edit channel/ })
      .click();
    const form = channelRow('ops webhook (PUT)').getByTestId('channel-form');
    await form.getByLabel('URL', { exact: true }).fill('https://hooks.example.net/elsewhere');
    await form.getByRole('button', { name: 'Save channel' }).click();
    const field = form.locator('.field', { has: page.getByLabel('Signing secret (optional)') });
    await expect.poll(() => field.locator('.error').textContent()).toBe('The URL changed: enter the signing secret again (config.secret).');
    expect(await form.getByLabel('Signing secret (optional)').getAttribute('aria-invalid')).toBe('true');
    await b.shot('channels-04-secret-required', page);
    await page.unroute('**/api/v1/channels/*');
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('subscribes existing checks, telling apart checks with the same name', async () => {
    // The channel was made after the checks: "new checks subscribe" did not reach them.
    await channelRow('ops webhook (PUT)')
      .getByRole('button', { name: /Subscribe checks/ })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const labels = dialog.locator('label.check-line');
    await expect
      .poll(() => labels.allTextContents())
      .toEqual(['nightly backup nightly-backup', 'nightly backup nightly-backup-2', 'queue drain queue-drain']);
    expect(await dialog.locator('input[type=checkbox]:disabled').count()).toBe(0);
    await dialog.getByLabel('nightly backup nightly-backup-2').check();
    await b.shot('channels-05-subscribe', page, false);
    await dialog.getByRole('button', { name: 'Subscribe 1 check' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const checks = (await t.api('GET', '/api/v1/checks')).body.items as Array<{ id: string; slug: string }>;
    expect((await storedChannel('ops webhook (PUT)')).checks).toEqual([checks.find((c) => c.slug === 'nightly-backup-2')!.id]);
    // Opened again, the subscribed check is ticked and says so.
    await channelRow('ops webhook (PUT)')
      .getByRole('button', { name: /Subscribe checks/ })
      .click();
    await expect.poll(() => dialog.locator('input[type=checkbox]:disabled').count()).toBe(1);
    expect(await labels.nth(1).textContent()).toBe('nightly backup nightly-backup-2 · subscribed');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it("fits a phone: every channel's actions are reachable without sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await channelRow('ops webhook (PUT)').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = await channelRow('ops webhook (PUT)')
      .getByRole('button', { name: /Delete channel/ })
      .boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await b.shot('channels-06-phone');
    await page.setViewportSize({ width: 1360, height: 900 });
  });

  it('logged no console errors', () => {
    // The failed save above was answered 400 on purpose; the browser logs such an answer as a resource error.
    expect(b.errors.filter((e) => !e.includes('400'))).toEqual([]);
  });
});
