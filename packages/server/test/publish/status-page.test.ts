// The public status page: opt-in through the API, chosen checks with 90 daily uptime bars and open incidents,
// rendered on the server (every user string escaped) and viewed in a real browser without any session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, HOUR, MINUTE, T0 } from '../support/checks.js';
import { describeWithChromium, launchChromium } from '../support/chromium.js';
import { dailyBars } from '../../src/publish/uptime-bars.js';
import { DAY_MS } from '../../src/core/index.js';
import { periodsOf, periodsOfMany } from '../../src/checks/periods.js';
import { checkRow } from '../support/checks.js';
import { readIdOf } from '../../src/store/ids.js';

const DAY = 24 * HOUR;
const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';

describe('daily uptime bars', () => {
  const day0 = Date.parse('2026-03-02T00:00:00Z');
  it('give one bar per UTC day, the last one being today up to now, with null where nothing was monitored', () => {
    const periods = [
      { status: 'new' as const, from: day0 + 10 * HOUR, to: day0 + 10 * HOUR },
      { status: 'up' as const, from: day0 + 10 * HOUR, to: day0 + 10 * HOUR + 6 * MINUTE },
      { status: 'down' as const, from: day0 + 10 * HOUR + 6 * MINUTE, to: day0 + 11 * HOUR + 6 * MINUTE },
      { status: 'up' as const, from: day0 + 11 * HOUR + 6 * MINUTE, to: day0 + 2 * DAY + 12 * HOUR },
    ];
    const bars = dailyBars(periods, day0 + 2 * DAY + 12 * HOUR, 4);
    expect(bars.map((b) => new Date(b.day).toISOString().slice(0, 10))).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']);
    expect(bars[0]).toEqual({ day: day0 - DAY_MS, uptime: null, downMs: 0 });
    expect(bars[1]).toEqual({ day: day0, uptime: (14 * 60 - 60) / (14 * 60), downMs: HOUR });
    expect(bars[2].uptime).toBe(1);
    expect(bars[3]).toEqual({ day: day0 + 2 * DAY, uptime: 1, downMs: 0 });
  });
});

describe('status page settings (/api/v1/status-page)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: new ManualClock(T0) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('there is none until a write key creates one; a read key may look but not change it', async () => {
    expect((await t.api('GET', '/api/v1/status-page')).status).toBe(404);
    expect(
      (await t.api('PUT', '/api/v1/status-page', { slug: 'acme', title: 'Acme', checks: [] }, await t.keyWithScope('read'))).status,
    ).toBe(403);
    expect((await fetch(`${t.url}/status/acme`)).status).toBe(404);
    const check = await createCheck(t, { name: 'web' });
    const put = await t.api('PUT', '/api/v1/status-page', { slug: 'acme', title: 'Acme', checks: [check.key, check.id] });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      slug: 'acme',
      title: 'Acme',
      description: '',
      enabled: true,
      checks: [check.id],
      url: `${t.url}/status/acme`,
    });
    // The read scope knows checks by their read ids, never by UUID (test/api/read-ids.test.ts).
    expect((await t.api('GET', '/api/v1/status-page', undefined, await t.keyWithScope('read'))).body).toEqual({
      ...put.body,
      checks: [readIdOf(check.id)],
    });
  });

  it("refuses bad slugs, unknown checks, other workspaces' checks and slugs another workspace uses", async () => {
    expect((await t.api('PUT', '/api/v1/status-page', { slug: 'Not OK!', title: 'x', checks: [] })).status).toBe(400);
    const unknown = await t.api('PUT', '/api/v1/status-page', {
      slug: 'acme',
      title: 'x',
      checks: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('check_not_found');
    const other = await t.otherWorkspace('write');
    const theirs = await t.api('POST', '/api/v1/checks', { name: 'theirs', schedule: { kind: 'interval', period_s: 60 } }, other.key);
    expect((await t.api('PUT', '/api/v1/status-page', { slug: 'acme', title: 'x', checks: [theirs.body.id] })).status).toBe(400);
    const taken = await t.api('PUT', '/api/v1/status-page', { slug: 'acme', title: 'Theirs', checks: [] }, other.key);
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('slug_taken');
  });

  it('switched off, the page answers 404; deleted, it is gone', async () => {
    const current = (await t.api('GET', '/api/v1/status-page')).body;
    await t.api('PUT', '/api/v1/status-page', { slug: 'acme', title: current.title, checks: current.checks, enabled: false });
    expect((await fetch(`${t.url}/status/acme`)).status).toBe(404);
    expect((await t.api('DELETE', '/api/v1/status-page')).status).toBe(204);
    expect((await t.api('GET', '/api/v1/status-page')).status).toBe(404);
    expect((await t.api('DELETE', '/api/v1/status-page')).status).toBe(404);
  });
});

/** A workspace with a page: "Web" had an hour down on day 0 and recovered; the hostile-named check is down now. */
async function pageWithHistory(t: TestServer, clock: ManualClock) {
  clock.set(T0);
  const web = await createCheck(t, { name: 'Web', schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
  const hostile = await createCheck(t, { name: `Queue ${XSS}`, schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
  const hidden = await createCheck(t, { name: 'Internal only' });
  await t.ping(`/ping/${web.id}`);
  await t.ping(`/ping/${hostile.id}`);
  clock.set(T0 + 6 * MINUTE);
  await t.server.runtime.scheduler.tick(); // both down
  clock.set(T0 + 66 * MINUTE);
  await t.ping(`/ping/${web.id}`); // web recovers after an hour down
  // From here on a daily job, pinged every day: up without thousands of pings.
  expect(
    (await t.api('PATCH', `/api/v1/checks/${web.id}`, { schedule: { kind: 'interval', period_s: 86400 }, grace_s: 3600 })).status,
  ).toBe(200);
  for (let day = 1; day <= 3; day += 1) {
    clock.set(T0 + day * DAY - HOUR);
    await t.server.runtime.scheduler.tick();
    await t.ping(`/ping/${web.id}`);
  }
  clock.set(T0 + 3 * DAY);
  await t.server.runtime.scheduler.tick();
  const page = await t.api('PUT', '/api/v1/status-page', {
    slug: 'acme-status',
    title: `Acme ${XSS}`,
    description: 'Our <b>jobs</b> & "queues"',
    checks: [web.id, hostile.id],
  });
  expect(page.status).toBe(200);
  return { web, hostile, hidden };
}

describe('the periods behind the bars, read for all chosen checks at once', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it("match each check's own timeline: down since before the range, flapping within it, created inside it, never pinged", async () => {
    const every5 = { schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 };
    clock.set(T0);
    const downBefore = await createCheck(t, { name: 'down before', ...every5 });
    const flapping = await createCheck(t, { name: 'flapping', ...every5 });
    await t.ping(`/ping/${downBefore.id}`);
    await t.ping(`/ping/${flapping.id}`);
    clock.set(T0 + 10 * MINUTE);
    await t.server.runtime.scheduler.tick(); // both down, before the range begins
    const from = T0 + HOUR;
    for (let i = 0; i < 3; i += 1) {
      clock.set(from + i * HOUR);
      await t.ping(`/ping/${flapping.id}`);
      clock.set(from + i * HOUR + 10 * MINUTE);
      await t.server.runtime.scheduler.tick();
    }
    clock.set(from + 90 * MINUTE);
    const lateComer = await createCheck(t, { name: 'created inside', ...every5 });
    await t.ping(`/ping/${lateComer.id}`);
    const silent = await createCheck(t, { name: 'never pinged', ...every5 });
    const to = from + 5 * HOUR;
    clock.set(to);
    await t.server.runtime.scheduler.tick();

    const rows = await Promise.all([downBefore, flapping, lateComer, silent].map((c) => checkRow(t, c.id)));
    const db = t.server.runtime.store.db;
    const many = await periodsOfMany(db, rows, from, to);
    for (const row of rows) expect(many.get(row.id), row.name).toEqual(await periodsOf(db, row, from, to));
    expect(many.get(downBefore.id)).toEqual([{ from, to, status: 'down' }]);
    expect(many.get(flapping.id)!.filter((p) => p.status === 'up')).toHaveLength(3);
    const at = (minutes: number) => from + minutes * MINUTE;
    expect(many.get(flapping.id)).toEqual([
      { status: 'up', from, to: at(10) },
      { status: 'down', from: at(10), to: at(60) },
      { status: 'up', from: at(60), to: at(70) },
      { status: 'down', from: at(70), to: at(120) },
      { status: 'up', from: at(120), to: at(130) },
      { status: 'down', from: at(130), to },
    ]);
    expect(many.get(lateComer.id)).toEqual([{ status: 'up', from: at(90), to }]);
    expect(many.get(silent.id)).toEqual([{ status: 'new', from: at(90), to }]);
  });
});

describe('GET /status/{slug} (server-rendered HTML)', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
    await pageWithHistory(t, clock);
  });
  afterAll(async () => {
    await t.close();
  });

  it('escapes every user string and forbids scripts with its Content-Security-Policy', async () => {
    const res = await fetch(`${t.url}/status/acme-status`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<img|<script|<b>/i);
    expect(html).toContain('Queue &lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;&lt;script&gt;');
    expect(html).toContain('Our &lt;b&gt;jobs&lt;/b&gt; &amp; &quot;queues&quot;');
    expect(html).not.toContain('Internal only');
  });
});

describe('the status page and draft mode', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it("a draft incident stays off the public page until a person publishes it; the check's status shows meanwhile", async () => {
    expect((await t.api('PATCH', '/api/v1/workspace/alerting', { draft_mode: true })).status).toBe(200);
    const job = await createCheck(t, { name: 'Nightly import', schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    await t.ping(`/ping/${job.id}`);
    expect((await t.api('PUT', '/api/v1/status-page', { slug: 'drafts', title: 'Drafts', checks: [job.id] })).status).toBe(200);
    clock.set(T0 + 6 * MINUTE);
    await t.server.runtime.scheduler.tick();
    const [incident] = (await t.api('GET', `/api/v1/incidents?check=${job.id}`)).body.items;
    expect(incident).toMatchObject({ draft: true });
    const before = await (await fetch(`${t.url}/status/drafts`)).text();
    expect(before).toContain('No open incidents.');
    expect(before).toContain('1 of 1 check is down');
    expect((await t.api('POST', `/api/v1/incidents/${incident.id}/publish`)).status).toBe(200);
    const after = await (await fetch(`${t.url}/status/drafts`)).text();
    expect(after).toContain('<strong>Nightly import</strong> is down since');
  });
});

describeWithChromium('the status page in Chromium, without a session', () => {
  let t: TestServer;
  let browser: Browser;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
    await pageWithHistory(t, clock);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the chosen checks with 90 daily bars, their uptime, and the open incident, as text and nothing else', async () => {
    const context = await browser.newContext(); // fresh: no cookies, no storage, no key
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    const response = await page.goto(`${t.url}/status/acme-status`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe(`Acme ${XSS} status`);
    expect(await page.locator('h1').innerText()).toBe(`Acme ${XSS}`);
    expect(await page.locator('.summary strong').innerText()).toBe('1 of 2 checks are down');

    const checks = page.locator('article.check');
    expect(await checks.locator('h3').allInnerTexts()).toEqual(['Web', `Queue ${XSS}`]);
    expect(await checks.locator('.status').allInnerTexts()).toEqual(['Up', 'Down']);
    expect(await checks.nth(0).locator('.bar').count()).toBe(90);
    expect(await checks.nth(1).locator('.bar').count()).toBe(90);
    // Day 0 (2026-03-02): monitored from 10:00, down 10:06–11:06.
    const day0 = checks.nth(0).locator('.bar[title^="2026-03-02"]');
    expect(await day0.getAttribute('title')).toBe('2026-03-02: 92.85% up, down 60 min');
    expect(await day0.getAttribute('class')).toBe('bar low');
    expect(await checks.nth(0).locator('.bar[title^="2026-03-03"]').getAttribute('title')).toBe('2026-03-03: 100.00% up');
    expect(await checks.nth(0).locator('.bar[title^="2026-03-01"]').getAttribute('title')).toBe('2026-03-01: no data');
    expect(await checks.nth(0).locator('footer').innerText()).toMatch(/98\.\d\d% uptime/);

    const incidents = page.locator('.incidents li');
    expect(await incidents.count()).toBe(1);
    expect(await incidents.locator('strong').innerText()).toBe(`Queue ${XSS}`);
    expect(await incidents.locator('time').getAttribute('datetime')).toBe(new Date(T0 + 6 * MINUTE).toISOString());
    // The public page says what kind of trouble it is, not the internal reason with its ISO times and settings.
    expect(await incidents.locator('.reason').innerText()).toBe('It did not check in on schedule.');
    expect(await incidents.innerText()).not.toMatch(/\d{4}-\d\d-\d\dT|grace/);

    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
    expect(await page.locator('img, script').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain('Internal only');
    expect(requests).toEqual([`${t.url}/status/acme-status`]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an unknown page is a 404 page, not an error', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${t.url}/status/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('Status page not found');
    await page.close();
  });
});
