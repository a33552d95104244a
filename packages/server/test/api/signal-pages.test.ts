// Listing signals with whole bodies pages by bytes: a page carries at most 2 MB of bodies and says where the next
// one starts, so `full=true&limit=1000` cannot build a 100 MB answer (the audit's finding 5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCheck } from '../support/checks.js';
import { MAX_PAGE_BODY_BYTES } from '../../src/api/history-routes.js';
import { withinBodyBudget } from '../../src/store/signals.js';

const KB = 1024;

describe('signal pages with full bodies', () => {
  let t: TestServer;
  let check: any;
  const SENT = 60;
  beforeAll(async () => {
    t = await startTestServer();
    check = await createCheck(t, { name: 'chatty logs' });
    for (let i = 0; i < SENT; i += 1) {
      const res = await t.ping(`/ping/${check.id}/log`, {
        method: 'POST',
        body: `${String(i).padStart(4, '0')}:${'x'.repeat(100 * KB - 5)}`,
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('a page of 100 KB bodies stops at 2 MB and hands on a cursor; following it reads every signal once', async () => {
    const first = await t.api('GET', `/api/v1/checks/${check.id}/signals?full=true&limit=1000`);
    expect(first.status).toBe(200);
    const bytes = first.body.items.reduce((sum: number, s: any) => sum + Buffer.byteLength(s.body), 0);
    expect(bytes).toBeLessThanOrEqual(MAX_PAGE_BODY_BYTES);
    expect(first.body.items.length).toBeLessThan(SENT);
    expect(first.body.items.every((s: any) => s.body.length === 100 * KB && s.body_size === 100 * KB)).toBe(true);
    expect(first.body.next_cursor).not.toBeNull();
    const seen = first.body.items.map((s: any) => s.body.slice(0, 4));
    for (let cursor = first.body.next_cursor; cursor != null;) {
      const next = await t.api('GET', `/api/v1/checks/${check.id}/signals?full=true&limit=1000&cursor=${cursor}`);
      expect(next.body.items.reduce((sum: number, s: any) => sum + Buffer.byteLength(s.body), 0)).toBeLessThanOrEqual(MAX_PAGE_BODY_BYTES);
      seen.push(...next.body.items.map((s: any) => s.body.slice(0, 4)));
      cursor = next.body.next_cursor;
    }
    expect(seen).toEqual(Array.from({ length: SENT }, (_, i) => String(SENT - 1 - i).padStart(4, '0')));
  });

  it('without full, a page shows 1,000-character excerpts and the whole size', async () => {
    const res = await t.api('GET', `/api/v1/checks/${check.id}/signals?limit=1000`);
    expect(res.body.items).toHaveLength(SENT);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.items[0]).toMatchObject({ body_size: 100 * KB });
    expect(res.body.items[0].body).toHaveLength(1000);
  });

  it("a run's signals page by bytes too", async () => {
    await t.ping(`/ping/${check.id}/start?rid=big`, { method: 'POST', body: 'y'.repeat(100 * KB) });
    const res = await t.api(
      'GET',
      `/api/v1/checks/${check.id}/signals?full=true&run=${(await t.api('GET', `/api/v1/checks/${check.id}/runs`)).body.items[0].id}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0].body_size).toBe(100 * KB);
  });

  it('a body bigger than the budget still makes a page of one', () => {
    expect(withinBodyBudget([{ body_size: 9 }, { body_size: 1 }], 5)).toHaveLength(1);
    expect(withinBodyBudget([{ body_size: 2 }, { body_size: 3 }, { body_size: 1 }], 5)).toHaveLength(2);
    expect(withinBodyBudget([], 5)).toHaveLength(0);
  });
});
