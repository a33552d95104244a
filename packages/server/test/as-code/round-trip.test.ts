// The round trip of monitors as code, as properties over generated files: whatever a file sets up, exporting the
// workspace and applying the export changes nothing, a second apply of any file changes nothing, and export is stable.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const CHANNEL_NAMES = ['ops', 'db-team', 'Night shift', 'pager'];

const channel = (name: string) =>
  fc.oneof(
    fc.record({
      name: fc.constant(name),
      kind: fc.constant('slack'),
      is_default: fc.boolean(),
      config: fc.record({ webhook_url: fc.webUrl({ validSchemes: ['https'] }) }),
    }),
    fc.record({
      name: fc.constant(name),
      kind: fc.constant('webhook'),
      is_default: fc.boolean(),
      config: fc.record(
        {
          url: fc.webUrl({ validSchemes: ['https'] }),
          method: fc.constantFrom('POST', 'PUT'),
          headers: fc.dictionary(
            fc.constantFrom('X-Team', 'X-Token'),
            fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/[\r\n]/.test(s)),
          ),
        },
        { requiredKeys: ['url'] },
      ),
    }),
    fc.record(
      {
        name: fc.constant(name),
        kind: fc.constant('email'),
        config: fc.record({
          host: fc.constantFrom('smtp.example.com', 'mail.example.org'),
          from: fc.constant('Overdue <o@example.com>'),
          to: fc.array(fc.emailAddress(), { minLength: 1, maxLength: 3 }),
        }),
      },
      { requiredKeys: ['name', 'kind', 'config'] },
    ),
  );

const schedule = fc.oneof(
  fc.record({ kind: fc.constant('interval'), period_s: fc.integer({ min: 60, max: 7 * 86400 }) }),
  fc.record(
    {
      kind: fc.constant('cron'),
      expr: fc.constantFrom('0 3 * * *', '*/15 * * * *', '30 6 * * 1-5', '0 0 1 * *'),
      tz: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
    },
    { requiredKeys: ['kind', 'expr'] },
  ),
);

// A check may depend on checks listed before it in the file (so the file has no cycle), named by slug.
const check = (slug: string, channels: string[], earlier: string[] = []) =>
  fc.record(
    {
      slug: fc.constant(slug),
      name: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
      description: fc.string({ maxLength: 60 }),
      schedule,
      grace_s: fc.option(fc.integer({ min: 0, max: 86400 })),
      max_runtime_s: fc.option(fc.integer({ min: 1, max: 86400 })),
      failure_threshold: fc.integer({ min: 1, max: 5 }),
      recovery_threshold: fc.integer({ min: 1, max: 5 }),
      manual_resume: fc.boolean(),
      alert_before_first_ping: fc.boolean(),
      enabled: fc.boolean(),
      methods: fc.option(fc.subarray(['GET', 'HEAD', 'POST'], { minLength: 1 })),
      tags: fc.uniqueArray(fc.constantFrom('db', 'backup', 'nightly', 'eu'), { maxLength: 3 }),
      project: fc.option(fc.constantFrom('billing', 'search')),
      service: fc.option(fc.constantFrom('api', 'worker')),
      channels: fc.subarray(channels),
      severity: fc.option(fc.constantFrom('minor', 'major', 'critical')),
      cooldown_s: fc.option(fc.integer({ min: 0, max: 3600 })),
      realert_s: fc.option(fc.integer({ min: 60, max: 86400 })),
      filter_http_body: fc.boolean(),
      filter_default_fail: fc.boolean(),
      start_kw: fc.constantFrom('', 'begin', 'start, started'),
      success_kw: fc.constantFrom('', 'ok', 'done,finished'),
      failure_kw: fc.constantFrom('', 'error', ' failed , fatal '),
      depends_on: fc.subarray(earlier),
    },
    { requiredKeys: ['slug'] },
  );

/** A maintenance window over one of the file's checks, a tag or the workspace; recurring or one-off. */
const maintenanceWindow = (name: string, slugs: string[]) =>
  fc
    .tuple(
      fc.oneof(
        ...(slugs.length ? [fc.record({ check: fc.constantFrom(...slugs) })] : []),
        fc.record({ tag: fc.constantFrom('db', 'backup') }),
        fc.constant({}),
      ),
      fc.oneof(
        fc.record(
          {
            cron: fc.constantFrom('0 2 * * *', '30 1 * * 0'),
            duration_s: fc.integer({ min: 60, max: 86400 }),
            tz: fc.constantFrom('UTC', 'Europe/Berlin'),
          },
          { requiredKeys: ['cron', 'duration_s'] },
        ),
        fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 500 })).map(([h, d]) => ({
          starts_at: new Date(Date.UTC(2026, 0, 1) + h * 3_600_000).toISOString(),
          ends_at: new Date(Date.UTC(2026, 0, 1) + (h + d) * 3_600_000).toISOString(),
        })),
      ),
      fc.option(fc.constantFrom('vacuum', 'kernel upgrade')),
    )
    .map(([scope, timing, reason]) => ({ name, ...scope, ...timing, ...(reason ? { reason } : {}) }));

const file = fc.subarray(CHANNEL_NAMES).chain((names) =>
  fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), { maxLength: 5 }).chain((slugs) =>
    fc.record({
      version: fc.constant(1),
      channels: fc.tuple(...names.map(channel)),
      checks: fc.tuple(...slugs.map((s, i) => check(s, names, slugs.slice(0, i)))),
      windows: fc
        .uniqueArray(fc.constantFrom('nightly', 'upgrade', 'Quiet hours'), { maxLength: 3 })
        .chain((w) => fc.tuple(...w.map((n) => maintenanceWindow(n, slugs)))),
    }),
  ),
);

const unchanged = (plan: any[]) => plan.filter((p) => p.action !== 'unchanged');

describe('the monitors-as-code round trip', () => {
  it('apply(file) twice changes nothing the second time; apply(export()) changes nothing; export is stable', async () => {
    await fc.assert(
      fc.asyncProperty(file, async (doc) => {
        const { key } = await t.otherWorkspace('write');
        const first = await t.api('POST', '/api/v1/apply', { document: doc }, key);
        expect(first.status, JSON.stringify(first.body)).toBe(200);
        const second = await t.api('POST', '/api/v1/apply', { document: doc }, key);
        expect(unchanged(second.body.plan)).toEqual([]);

        const exported = await fetch(`${t.url}/api/v1/export`, { headers: { 'x-api-key': key } }).then((r) => r.text());
        const back = await t.api('POST', '/api/v1/apply', { document: exported, prune: true }, key);
        expect(back.status, JSON.stringify(back.body)).toBe(200);
        expect(unchanged(back.body.plan)).toEqual([]);
        const again = await fetch(`${t.url}/api/v1/export`, { headers: { 'x-api-key': key } }).then((r) => r.text());
        expect(again).toBe(exported);
        const json = (await t.api('GET', '/api/v1/export?format=json', undefined, key)).body;
        expect(json.checks.map((c: any) => c.slug)).toEqual(doc.checks.map((c) => c.slug).sort());
        expect(json.windows.map((w: any) => w.name)).toEqual(doc.windows.map((w) => w.name).sort());
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
