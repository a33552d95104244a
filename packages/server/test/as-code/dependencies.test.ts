// depends_on in monitors as code: slugs, in any order in the file; exported back as slugs; cycles refused at their path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const daily = { kind: 'interval', period_s: 86400 };

describe('depends_on as code', () => {
  it('a child may come before its parent in the file; export names parents by slug and applies back unchanged', async () => {
    const { key } = await t.otherWorkspace('write');
    const doc = {
      version: 1,
      checks: [
        { slug: 'backup-on-db1', name: 'backup on db1', schedule: daily, depends_on: ['db1-alive'] },
        { slug: 'db1-alive', name: 'db1 alive', schedule: { kind: 'interval', period_s: 60 } },
      ],
    };
    const applied = await t.api('POST', '/api/v1/apply', { document: doc }, key);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const exported = (await t.api('GET', '/api/v1/export?format=json', undefined, key)).body;
    expect(exported.checks.map((c: any) => [c.slug, c.depends_on])).toEqual([
      ['backup-on-db1', ['db1-alive']],
      ['db1-alive', []],
    ]);
    const back = await t.api('POST', '/api/v1/apply', { document: exported }, key);
    expect(back.body.plan.filter((p: any) => p.action !== 'unchanged')).toEqual([]);

    const dropped = await t.api(
      'POST',
      '/api/v1/apply',
      { document: { version: 1, checks: [{ slug: 'backup-on-db1', depends_on: [] }] } },
      key,
    );
    expect(dropped.body.plan).toEqual([
      { section: 'checks', name: 'backup-on-db1', action: 'change', changes: [{ field: 'depends_on', old: ['db1-alive'], new: [] }] },
    ]);
  });

  it('a cycle in the file is refused with its path and nothing is applied', async () => {
    const { key } = await t.otherWorkspace('write');
    const doc = {
      version: 1,
      checks: [
        { slug: 'a', schedule: daily, depends_on: ['b'] },
        { slug: 'b', schedule: daily, depends_on: ['a'] },
      ],
    };
    const res = await t.api('POST', '/api/v1/apply', { document: doc }, key);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^checks\[1\]\.depends_on: depends_on would close a cycle: "b" → "a" → "b"/);
    expect((await t.api('GET', '/api/v1/checks', undefined, key)).body.items).toEqual([]);
  });
});
