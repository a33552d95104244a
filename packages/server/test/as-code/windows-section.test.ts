// The `windows:` section of a monitors-as-code file: windows matched by name, their check by slug, validated with the
// rest of the file, pruned only when asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const apply = (document: unknown, options: { prune?: boolean; dry_run?: boolean } = {}, key?: string) =>
  t.api('POST', '/api/v1/apply', { document, ...options }, key);
const actions = (plan: any[]) =>
  plan
    .filter((p) => p.section === 'windows')
    .map((p) => `${p.action} ${p.name}`)
    .sort();

const FILE = `
checks:
  - slug: db-backup
    schedule: { kind: cron, expr: "0 3 * * *", tz: Europe/Berlin }
windows:
  - name: nightly vacuum
    check: db-backup
    cron: "0 2 * * *"
    duration_s: 3600
    tz: Europe/Berlin
    reason: the database is vacuumed
  - name: db1 kernel upgrade
    tag: db1
    starts_at: 2026-03-01T02:00:00Z
    ends_at: 2026-03-01T04:00:00Z
  - name: company offsite
    starts_at: 2026-04-01T00:00:00Z
    ends_at: 2026-04-03T00:00:00Z
`;

describe('the windows section', () => {
  it('creates windows for a check the file creates, a tag and the workspace; a second apply changes nothing; export writes them back', async () => {
    const { key } = await t.otherWorkspace('write');
    const first = await apply(FILE, {}, key);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(actions(first.body.plan)).toEqual(['create company offsite', 'create db1 kernel upgrade', 'create nightly vacuum']);
    expect(actions((await apply(FILE, {}, key)).body.plan)).toEqual([
      'unchanged company offsite',
      'unchanged db1 kernel upgrade',
      'unchanged nightly vacuum',
    ]);

    const listed = (await t.api('GET', '/api/v1/maintenance-windows', undefined, key)).body.items;
    expect(listed.find((w: any) => w.name === 'nightly vacuum')).toMatchObject({
      scope: 'check',
      check: { slug: 'db-backup' },
      tz: 'Europe/Berlin',
      reason: 'the database is vacuumed',
    });
    const exported = (await t.api('GET', '/api/v1/export?format=json', undefined, key)).body;
    expect(exported.windows).toEqual([
      { name: 'company offsite', starts_at: '2026-04-01T00:00:00.000Z', ends_at: '2026-04-03T00:00:00.000Z' },
      { name: 'db1 kernel upgrade', tag: 'db1', starts_at: '2026-03-01T02:00:00.000Z', ends_at: '2026-03-01T04:00:00.000Z' },
      {
        name: 'nightly vacuum',
        check: 'db-backup',
        cron: '0 2 * * *',
        tz: 'Europe/Berlin',
        duration_s: 3600,
        reason: 'the database is vacuumed',
      },
    ]);
  });

  it('changes a window field by field (a dry run shows old → new), and a window can turn from recurring to one-off', async () => {
    const { key } = await t.otherWorkspace('write');
    await apply(FILE, {}, key);
    const changed = FILE.replace(
      '    cron: "0 2 * * *"\n    duration_s: 3600\n    tz: Europe/Berlin\n',
      '    starts_at: 2026-05-01T00:00:00Z\n    ends_at: 2026-05-01T01:00:00Z\n',
    );
    const dry = await apply(changed, { dry_run: true }, key);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    const entry = dry.body.plan.find((p: any) => p.section === 'windows' && p.name === 'nightly vacuum');
    expect(entry.action).toBe('change');
    expect(entry.changes).toEqual(
      expect.arrayContaining([
        { field: 'cron', old: '0 2 * * *', new: null },
        { field: 'starts_at', old: null, new: '2026-05-01T00:00:00.000Z' },
      ]),
    );
    expect(
      (await t.api('GET', '/api/v1/maintenance-windows', undefined, key)).body.items.find((w: any) => w.name === 'nightly vacuum').cron,
    ).toBe('0 2 * * *');
    expect((await apply(changed, {}, key)).status).toBe(200);
    expect(
      (await t.api('GET', '/api/v1/maintenance-windows', undefined, key)).body.items.find((w: any) => w.name === 'nightly vacuum'),
    ).toMatchObject({ cron: null, starts_at: '2026-05-01T00:00:00.000Z' });
  });

  it('lists every wrong window with its path and changes nothing', async () => {
    const { key } = await t.otherWorkspace('write');
    const res = await apply(
      {
        windows: [
          { name: 'fine', cron: '0 2 * * *', duration_s: 600 },
          { name: 'ghost check', check: 'no-such-slug', cron: '0 2 * * *', duration_s: 600 },
          { name: 'both', check: 'x', tag: 'y', cron: '0 2 * * *', duration_s: 600 },
          { name: 'no end', starts_at: '2026-03-01T02:00:00Z' },
          { name: 'fine', cron: '0 3 * * *', duration_s: 600 },
          { cron: '0 2 * * *', duration_s: 600 },
          { name: 'typo', cron: '0 2 * * *', duration: 600 },
          { name: 'bad duration', cron: '0 2 * * *', duration_s: 'an hour' },
        ],
      },
      {},
      key,
    );
    expect(res.status).toBe(400);
    expect((res.body.error.problems as any[]).map((p) => p.path).sort()).toEqual([
      'windows[1].check',
      'windows[2].check',
      'windows[3]',
      'windows[4].name',
      'windows[5].name',
      'windows[6].duration',
      'windows[7].duration_s',
    ]);
    expect((await t.api('GET', '/api/v1/maintenance-windows', undefined, key)).body.items).toEqual([]);
  });

  it('deletes the windows the file leaves out only with prune, and only in a file with a windows section', async () => {
    const { key } = await t.otherWorkspace('write');
    await apply(FILE, {}, key);
    const checksOnly = (await apply({ checks: [{ slug: 'db-backup' }] }, { prune: true }, key)).body.plan;
    expect(actions(checksOnly)).toEqual([]);
    const pruned = await apply(
      { windows: [{ name: 'company offsite', starts_at: '2026-04-01T00:00:00Z', ends_at: '2026-04-03T00:00:00Z' }] },
      { prune: true },
      key,
    );
    expect(actions(pruned.body.plan)).toEqual(['delete db1 kernel upgrade', 'delete nightly vacuum', 'unchanged company offsite']);
  });
});
