// POST /api/v1/apply and GET /api/v1/export: a monitors-as-code file validated whole, applied in one transaction.
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
const exportJson = async (key?: string) => (await t.api('GET', '/api/v1/export?format=json', undefined, key)).body;
const checkBySlug = async (slug: string, key?: string) =>
  ((await t.api('GET', '/api/v1/checks?limit=1000', undefined, key)).body.items as any[]).find((c) => c.slug === slug);
const actions = (plan: any[]) => plan.map((p) => `${p.action} ${p.section} ${p.name}`).sort();

const FILE = `
version: 1
channels:
  - name: ops-hook
    kind: webhook
    config:
      url: https://example.com/hooks/ops-secret-path
      secret: a-signing-secret-of-some-length
checks:
  - slug: nightly-backup
    name: Nightly backup
    schedule: { kind: cron, expr: "0 3 * * *", tz: Europe/Berlin }
    grace_s: 1800
    tags: [backup, db]
    channels: [ops-hook]
  - slug: queue-worker
    schedule: { kind: interval, period_s: 60 }
`;

describe('applying a file', () => {
  it('creates what it names, answers the plan, and a second apply changes nothing', async () => {
    const first = await apply(FILE);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.applied).toBe(true);
    expect(actions(first.body.plan)).toEqual(['create channels ops-hook', 'create checks nightly-backup', 'create checks queue-worker']);

    const backup = await checkBySlug('nightly-backup');
    expect(backup).toMatchObject({
      name: 'Nightly backup',
      schedule: { kind: 'cron', expr: '0 3 * * *', tz: 'Europe/Berlin' },
      grace_s: 1800,
      tags: ['backup', 'db'],
    });
    const channels = (await t.api('GET', '/api/v1/channels')).body.items as any[];
    expect(backup.channels).toEqual([channels.find((c) => c.name === 'ops-hook').id]);
    expect(await checkBySlug('queue-worker')).toMatchObject({ name: 'queue-worker', schedule: { kind: 'interval', period_s: 60 } });

    const again = await apply(FILE);
    expect(again.status).toBe(200);
    expect(actions(again.body.plan)).toEqual([
      'unchanged channels ops-hook',
      'unchanged checks nightly-backup',
      'unchanged checks queue-worker',
    ]);
    expect((await checkBySlug('nightly-backup')).updated_at).toBe(backup.updated_at);
  });

  it('on a dry run answers each change as field: old → new and changes nothing', async () => {
    const changed = FILE.replace('grace_s: 1800', 'grace_s: 900').replace('period_s: 60', 'period_s: 120');
    const res = await apply(changed, { dry_run: true });
    expect(res.status).toBe(200);
    expect(res.body.applied).toBe(false);
    const backup = res.body.plan.find((p: any) => p.name === 'nightly-backup');
    expect(backup).toEqual({
      section: 'checks',
      name: 'nightly-backup',
      action: 'change',
      changes: [{ field: 'grace_s', old: 1800, new: 900 }],
    });
    const worker = res.body.plan.find((p: any) => p.name === 'queue-worker');
    expect(worker.changes).toEqual([
      { field: 'schedule', old: { kind: 'interval', period_s: 60 }, new: { kind: 'interval', period_s: 120 } },
    ]);
    expect((await checkBySlug('nightly-backup')).grace_s).toBe(1800);
    expect((await checkBySlug('queue-worker')).schedule.period_s).toBe(60);

    const real = await apply(changed);
    expect(real.body.plan).toEqual(res.body.plan);
    expect((await checkBySlug('nightly-backup')).grace_s).toBe(900);
    await apply(FILE);
  });

  it('leaves settings the file does not mention as they are', async () => {
    await t.api('PATCH', `/api/v1/checks/${(await checkBySlug('queue-worker')).id}`, { description: 'set in the dashboard' });
    const res = await apply(FILE);
    expect(res.body.plan.find((p: any) => p.name === 'queue-worker').action).toBe('unchanged');
    expect((await checkBySlug('queue-worker')).description).toBe('set in the dashboard');
  });
});

describe('a file with problems', () => {
  it('changes nothing, and every problem is listed with its path', async () => {
    const before = await exportJson();
    const bad = `
checks:
  - slug: nightly-backup
    grace_s: 60
  - slug: brand-new
    schedule: { kind: interval, period_s: 300 }
  - slug: broken-cron
    schedule: { kind: cron, expr: "61 * * * *" }
  - slug: broken-zone
    schedule: { kind: cron, expr: "0 * * * *", tz: Mars/Olympus }
  - slug: wrong-types
    grace_s: soon
    enabled: maybe
    colour: red
    channels: [no-such-channel]
  - slug: nightly-backup
`;
    const res = await apply(bad);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_document');
    const paths = (res.body.error.problems as any[]).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'checks[2].schedule.expr',
        'checks[3].schedule.tz',
        'checks[4].grace_s',
        'checks[4].enabled',
        'checks[4].colour',
        'checks[5].slug',
      ]),
    );
    expect(res.body.error.message).toContain('checks[2].schedule.expr: ');
    expect(await exportJson()).toEqual(before);
    expect(await checkBySlug('brand-new')).toBeUndefined();
  });

  it('names unknown channels, unknown sections and a wrong version', async () => {
    const res = await apply({ version: 2, teams: [], checks: [{ slug: 'x', channels: ['nope'] }] });
    expect(res.status).toBe(400);
    expect((res.body.error.problems as any[]).map((p) => p.path).sort()).toEqual(['checks[0].channels[0]', 'teams', 'version']);
  });

  it('reports YAML that cannot be read with its line', async () => {
    const res = await apply('checks:\n  - slug: a\n   name: [unclosed\n');
    expect(res.status).toBe(400);
    expect(res.body.error.problems[0].path).toMatch(/^line \d+, column \d+$/);
  });

  it('refuses a new channel whose secrets are masked, as export writes them', async () => {
    const res = await apply({ channels: [{ name: 'copied', kind: 'slack', config: { webhook_url: 'https://hooks.example.com/…' } }] });
    expect(res.status).toBe(400);
    expect(res.body.error.problems[0]).toMatchObject({ path: 'channels[0].config.webhook_url', code: 'secret_required' });
  });

  it('a bad channel config is named by its path and changes nothing', async () => {
    const res = await apply({
      channels: [{ name: 'fresh', kind: 'webhook', config: { url: 'ftp://x' } }],
      checks: [{ slug: 'would-be-created' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.problems).toEqual([expect.objectContaining({ path: 'channels[0].config', code: 'invalid_channel' })]);
    expect(await checkBySlug('would-be-created')).toBeUndefined();
  });
});

describe('export', () => {
  it('writes the workspace as YAML, secrets masked, and applying it back changes nothing', async () => {
    const yaml = await fetch(`${t.url}/api/v1/export`, { headers: { 'x-api-key': t.key } });
    expect(yaml.headers.get('content-type')).toMatch(/^text\/yaml/);
    const text = await yaml.text();
    expect(text).toContain('slug: nightly-backup');
    expect(text).not.toContain('ops-secret-path');
    expect(text).not.toContain('a-signing-secret-of-some-length');
    const res = await apply(text);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.plan.filter((p: any) => p.action !== 'unchanged')).toEqual([]);
    // The masked secrets kept the stored ones.
    const stored = await t.server.runtime.store.db
      .selectFrom('channels')
      .select('config')
      .where('name', '=', 'ops-hook')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(stored.config)).toMatchObject({
      url: 'https://example.com/hooks/ops-secret-path',
      secret: 'a-signing-secret-of-some-length',
    });
  });

  it('a read key may export but not apply, and its export holds no ping credential (a push token)', async () => {
    const read = await t.keyWithScope('read');
    const withToken = await apply({ checks: [{ slug: 'kuma-pushed', push_token: 'kuma-token-123' }] });
    expect(withToken.status, JSON.stringify(withToken.body)).toBe(200);
    expect((await exportJson()).checks.find((c: any) => c.slug === 'kuma-pushed').push_token).toBe('kuma-token-123');
    const readExport = await exportJson(read);
    expect(JSON.stringify(readExport)).not.toContain('kuma-token-123');
    expect((await apply(readExport)).body.plan.filter((p: any) => p.action !== 'unchanged')).toEqual([]);
    expect((await checkBySlug('kuma-pushed')).push_token).toBe('kuma-token-123');
    await t.api('DELETE', `/api/v1/checks/${(await checkBySlug('kuma-pushed')).id}`);
    expect((await t.api('GET', '/api/v1/export?format=json', undefined, read)).status).toBe(200);
    expect((await apply(FILE, {}, read)).status).toBe(403);
  });
});

describe('channel secrets in the plan', () => {
  it('a changed secret shows as its mask, never in the clear', async () => {
    const slack = (url: string) => ({ channels: [{ name: 'chat', kind: 'slack', config: { webhook_url: url } }] });
    await apply(slack('https://hooks.example.com/services/T000/B000/first-secret-token'));
    const res = await apply(slack('https://hooks.example.com/services/T000/B000/second-secret-token'), { dry_run: true });
    const entry = res.body.plan.find((p: any) => p.name === 'chat');
    expect(entry.action).toBe('change');
    expect(JSON.stringify(res.body)).not.toMatch(/first-secret|second-secret/);
    await apply({ channels: [{ name: 'chat', kind: 'slack', config: { webhook_url: 'https://hooks.example.com/…' } }] });
    const stored = await t.server.runtime.store.db
      .selectFrom('channels')
      .select('config')
      .where('name', '=', 'chat')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(stored.config).webhook_url).toBe('https://hooks.example.com/services/T000/B000/first-secret-token');
    await t.api(
      'DELETE',
      `/api/v1/channels/${((await t.api('GET', '/api/v1/channels')).body.items as any[]).find((c) => c.name === 'chat').id}`,
    );
  });
});

describe('channel secrets when the destination changes', () => {
  it('a new URL needs the secrets anew (400 secret_required at the channel), and nothing changes', async () => {
    const hook = (url: string, extra: Record<string, unknown> = {}) => ({
      channels: [{ name: 'moving', kind: 'webhook', is_default: false, config: { url, ...extra } }],
    });
    await apply(hook('https://one.example.com/hook', { secret: 'the-first-signing-secret', body_template: '{"text": "{{summary}}"}' }));
    const moved = await apply(hook('https://two.example.com/hook'));
    expect(moved.status).toBe(400);
    expect(moved.body.error.problems).toEqual([expect.objectContaining({ path: 'channels[0].config', code: 'secret_required' })]);
    const stored = await t.server.runtime.store.db
      .selectFrom('channels')
      .select('config')
      .where('name', '=', 'moving')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(stored.config).url).toBe('https://one.example.com/hook');
    expect((await apply(hook('https://two.example.com/hook', { secret: 'a-brand-new-signing-secret' }))).status).toBe(200);
  });

  it("a read key's export masks a body template, and applying it back keeps the template", async () => {
    const read = await t.keyWithScope('read');
    const text = await fetch(`${t.url}/api/v1/export`, { headers: { 'x-api-key': read } }).then((r) => r.text());
    expect(text).not.toContain('{{summary}}');
    const res = await apply(text);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.plan.filter((p: any) => p.action !== 'unchanged')).toEqual([]);
    const stored = await t.server.runtime.store.db
      .selectFrom('channels')
      .select('config')
      .where('name', '=', 'moving')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(stored.config).body_template).toBe('{"text": "{{summary}}"}');
    await apply({ channels: [] }, { prune: true, dry_run: true });
    await t.api(
      'DELETE',
      `/api/v1/channels/${((await t.api('GET', '/api/v1/channels')).body.items as any[]).find((c) => c.name === 'moving').id}`,
    );
  });
});

describe('prune', () => {
  it('deletes what the file does not name only when asked, and only in the sections the file has', async () => {
    await t.api('POST', '/api/v1/checks', { name: 'Made by hand', slug: 'by-hand' });
    const only = 'checks:\n  - slug: queue-worker\n';
    const kept = await apply(only);
    expect(actions(kept.body.plan)).toEqual(['unchanged checks queue-worker']);
    expect(await checkBySlug('by-hand')).toBeDefined();

    const preview = await apply(only, { prune: true, dry_run: true });
    expect(actions(preview.body.plan)).toEqual(['delete checks by-hand', 'delete checks nightly-backup', 'unchanged checks queue-worker']);
    expect(await checkBySlug('by-hand')).toBeDefined();

    const pruned = await apply(only, { prune: true });
    expect(pruned.body.plan).toEqual(preview.body.plan);
    expect(await checkBySlug('by-hand')).toBeUndefined();
    expect(await checkBySlug('nightly-backup')).toBeUndefined();
    // The file has no channels section: channels are not its business.
    expect(((await t.api('GET', '/api/v1/channels')).body.items as any[]).map((c) => c.name)).toContain('ops-hook');

    const noChannels = await apply({ channels: [], checks: [{ slug: 'queue-worker' }] }, { prune: true });
    expect(actions(noChannels.body.plan)).toEqual(['delete channels ops-hook', 'unchanged checks queue-worker']);
  });
});

describe('workspaces', () => {
  it('apply with prune never touches another workspace, even with the same slugs', async () => {
    const other = await t.otherWorkspace('write');
    const mine = await checkBySlug('queue-worker');
    const res = await apply(
      { checks: [{ slug: 'queue-worker', schedule: { kind: 'interval', period_s: 600 } }], channels: [] },
      { prune: true },
      other.key,
    );
    expect(res.status).toBe(200);
    expect(actions(res.body.plan)).toEqual(['create checks queue-worker']);
    const theirs = await checkBySlug('queue-worker', other.key);
    expect(theirs.id).not.toBe(mine.id);
    expect(await checkBySlug('queue-worker')).toMatchObject({ id: mine.id, schedule: { period_s: mine.schedule.period_s } });
    // Pruning everything there leaves this workspace whole.
    await apply({ checks: [], channels: [] }, { prune: true }, other.key);
    expect(await checkBySlug('queue-worker')).toBeDefined();
    expect((await exportJson(other.key)).checks).toEqual([]);
  });
});

describe('a channel pointed at this machine or a private network', () => {
  const file = (url: string) =>
    `version: 1\nchannels:\n  - name: lan-hook\n    kind: webhook\n    config:\n      url: ${url}\n      secret: a-signing-secret-of-some-length\n`;

  it('is saved with a warning in its plan line, as the channels API warns, and a public destination has none', async () => {
    const created = await apply(file('http://10.1.2.3/hook'));
    expect(created.status).toBe(200);
    const line = created.body.plan.find((p: any) => p.name === 'lan-hook');
    expect(line).toMatchObject({
      action: 'create',
      warnings: [expect.stringMatching(/config\.url: 10\.1\.2\.3 is a loopback or private address.*OVERDUE_ALLOW_PRIVATE_TARGETS=true/)],
    });

    const moved = await apply(file('https://example.com/hook'));
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.plan.find((p: any) => p.name === 'lan-hook')).toMatchObject({ action: 'change' });
    expect(moved.body.plan.find((p: any) => p.name === 'lan-hook').warnings).toBeUndefined();

    const back = await apply(file('http://127.0.0.1:9000/hook'), { dry_run: true });
    expect(back.body.plan.find((p: any) => p.name === 'lan-hook').warnings).toEqual([expect.stringContaining('127.0.0.1')]);
  });
});

describe('settings that take null', () => {
  it('are cleared by null through PATCH too, not coerced to 0 or refused (severity, cooldown_s, realert_s)', async () => {
    const check = (await t.api('POST', '/api/v1/checks', { name: 'Nullable', severity: 'major', cooldown_s: 600, realert_s: 3600 })).body;
    const res = await t.api('PATCH', `/api/v1/checks/${check.id}`, { severity: null, cooldown_s: null, realert_s: null });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ severity: null, cooldown_s: null, realert_s: null });
  });
});

describe('the OpenAPI document', () => {
  it('lists apply with its body, plan and problems, and export with both formats', async () => {
    const doc = (await t.api('GET', '/api/v1/openapi.json', undefined, null)).body;
    const applyOp = doc.paths['/api/v1/apply'].post;
    expect(Object.keys(applyOp.requestBody.content['application/json'].schema.properties).sort()).toEqual(['document', 'dry_run', 'prune']);
    expect(applyOp.responses['200'].content['application/json'].schema.properties.plan).toBeDefined();
    expect(applyOp.responses['400'].content['application/json'].schema.properties.error.properties.problems).toBeDefined();
    expect(Object.keys(doc.paths['/api/v1/export'].get.responses['200'].content).sort()).toEqual(['application/json', 'text/yaml']);
  });
});
