// protocol.md §6 GET /checks: every filter, and cursor paging that visits every check exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCheck } from '../support/checks.js';

describe('listing checks', () => {
  let t: TestServer;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestServer();
    const specs: Array<[string, Record<string, unknown>]> = [
      ['billing-export', { tags: ['prod', 'billing'], project: 'finance', service: 'exporter', description: 'Nightly CSV for accounting' }],
      ['billing-import', { tags: ['prod'], project: 'finance', service: 'importer' }],
      ['cache-warmup', { tags: ['staging'], project: 'web', service: 'exporter' }],
      ['db-vacuum', { tags: ['prod', 'db'], project: 'ops' }],
      ['log-rotate', { tags: [], project: 'ops' }],
      ['queue-worker', { tags: ['prod'], description: 'drains the 100% important queue' }],
      ['report_mailer', { project: 'web' }],
    ];
    for (const [name, fields] of specs) ids[name] = (await createCheck(t, { name, ...fields })).id;
    // Statuses: up, down, running, paused, new.
    await t.ping(`/ping/${ids['billing-export']}`);
    await t.ping(`/ping/${ids['billing-import']}/fail`);
    await t.ping(`/ping/${ids['cache-warmup']}/start`);
    await t.api('POST', `/api/v1/checks/${ids['db-vacuum']}/pause`);
    await t.ping(`/ping/${ids['queue-worker']}`);
  });
  afterAll(async () => {
    await t.close();
  });

  async function names(query: string): Promise<string[]> {
    const res = await t.api('GET', `/api/v1/checks${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.next_cursor).toBeNull();
    return res.body.items.map((c: any) => c.name);
  }

  it('lists every check of the workspace ordered by name', async () => {
    expect(await names('')).toEqual([
      'billing-export',
      'billing-import',
      'cache-warmup',
      'db-vacuum',
      'log-rotate',
      'queue-worker',
      'report_mailer',
    ]);
  });

  it('shows each check as a single read does: every field, the ones beyond the schema included', async () => {
    const listed = (await t.api('GET', '/api/v1/checks?limit=1000')).body.items.find((c: any) => c.id === ids['db-vacuum']);
    const read = (await t.api('GET', `/api/v1/checks/${ids['db-vacuum']}`)).body;
    expect(listed).toEqual(read);
    expect(listed.effective_grace_s).toBeTypeOf('number');
  });

  it('filters by status, including the running overlay', async () => {
    expect(await names('?status=up')).toEqual(['billing-export', 'queue-worker']);
    expect(await names('?status=down')).toEqual(['billing-import']);
    expect(await names('?status=paused')).toEqual(['db-vacuum']);
    expect(await names('?status=new')).toEqual(['cache-warmup', 'log-rotate', 'report_mailer']);
    expect(await names('?status=running')).toEqual(['cache-warmup']);
    expect(await names('?status=late')).toEqual([]);
  });

  it('filters by tag (whole tags only)', async () => {
    expect(await names('?tag=prod')).toEqual(['billing-export', 'billing-import', 'db-vacuum', 'queue-worker']);
    expect(await names('?tag=billing')).toEqual(['billing-export']);
    expect(await names('?tag=pro')).toEqual([]);
  });

  it('filters by project', async () => {
    expect(await names('?project=finance')).toEqual(['billing-export', 'billing-import']);
    expect(await names('?project=ops')).toEqual(['db-vacuum', 'log-rotate']);
    expect(await names('?project=nope')).toEqual([]);
  });

  it('filters by service name or id', async () => {
    expect(await names('?service=exporter')).toEqual(['billing-export', 'cache-warmup']);
    const exporter = (await t.api('GET', `/api/v1/checks/${ids['billing-export']}`)).body.service.id;
    expect(await names(`?service=${exporter}`)).toEqual(['billing-export', 'cache-warmup']);
    expect(await names('?service=unheard-of')).toEqual([]);
  });

  it('searches name, slug and description with q, case-insensitively, treating % and _ literally', async () => {
    expect(await names('?q=BILLING')).toEqual(['billing-export', 'billing-import']);
    expect(await names('?q=accounting')).toEqual(['billing-export']);
    expect(await names('?q=100%25')).toEqual(['queue-worker']);
    expect(await names('?q=_')).toEqual(['report_mailer']);
    expect(await names('?q=zzz')).toEqual([]);
  });

  it('combines filters', async () => {
    expect(await names('?tag=prod&project=finance&status=up')).toEqual(['billing-export']);
    expect(await names('?project=web&service=exporter')).toEqual(['cache-warmup']);
  });

  it('pages with limit and cursor across several pages, each check exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.api('GET', `/api/v1/checks?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((c: any) => c.name));
      cursor = res.body.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(await names(''));
  });

  it('pages through a filtered list', async () => {
    const first = await t.api('GET', '/api/v1/checks?tag=prod&limit=2');
    expect(first.body.items.map((c: any) => c.name)).toEqual(['billing-export', 'billing-import']);
    expect(first.body.next_cursor).toBeTypeOf('string');
    const second = await t.api('GET', `/api/v1/checks?tag=prod&limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((c: any) => c.name)).toEqual(['db-vacuum', 'queue-worker']);
    expect(second.body.next_cursor).toBeNull();
  });

  it('checks with the same name page correctly (ties broken by id)', async () => {
    const twins = await Promise.all([1, 2, 3].map(() => createCheck(t, { name: 'zz twin', project: 'twins' })));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.api('GET', `/api/v1/checks?project=twins&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((c: any) => c.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(twins.map((c) => c.id).sort());
  });
});
