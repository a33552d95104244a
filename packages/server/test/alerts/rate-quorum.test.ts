// Failure rate over a window and quorum of hosts through the real server: settings through the API (validated),
// signals through /ping with ?host=, the scheduler on a manual clock, the reason on the check's flips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { Migrator } from 'kysely';
import { createCheck, history, HOUR, MINUTE, readCheck, T0 } from '../support/checks.js';
import { migrations } from '../../src/store/migrations/index.js';

describe('failure rate and quorum through the API', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  const tick = () => t.server.runtime.scheduler.tick();

  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a check with failure_rate 3 of 10 goes down on the third failure among ten runs with successes in between', async () => {
    clock.set(T0);
    const check = await createCheck(t, { failure_threshold: 5, failure_rate_count: 3, failure_rate_window: 10 });
    expect(check).toMatchObject({ failure_rate_count: 3, failure_rate_window: 10, recent_failures: { failed: 0, of: 0 } });
    for (const [i, outcome] of [...'sssssfsfs'].entries()) {
      clock.set(T0 + (i + 1) * MINUTE);
      expect((await t.ping(`/ping/${check.id}${outcome === 'f' ? '/fail' : ''}`)).status).toBe(200);
    }
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'up', recent_failures: { failed: 2, of: 9 } });
    clock.set(T0 + 10 * MINUTE);
    await t.ping(`/ping/${check.id}/fail`);
    const down = await readCheck(t, check.id);
    expect(down).toMatchObject({ status: 'down', recent_failures: { failed: 3, of: 10 } });
    const [flip] = (await history(t, check.id, 'flips')).filter((f) => f.to === 'down');
    expect(flip.reason).toMatch(/^3 of the last 10 runs failed \(threshold 3 of 10\)/);
    const [incident] = (await t.api('GET', `/api/v1/incidents?check=${check.id}`)).body.items;
    expect(incident.reason).toBe(flip.reason);
    // A list carries the same fields as a single read.
    const listed = (await t.api('GET', '/api/v1/checks?limit=1000')).body.items.find((c: any) => c.id === check.id);
    expect(listed).toMatchObject({ failure_rate_count: 3, failure_rate_window: 10, recent_failures: { failed: 3, of: 10 } });
  });

  it('a quorum-3 check where only web1 and web2 report goes down at the end of the period naming web3', async () => {
    clock.set(T0);
    const check = await createCheck(t, { schedule: { kind: 'cron', expr: '0 2 * * *', tz: 'UTC' }, grace_s: 3600, quorum_hosts: 3 });
    const night1 = Date.parse('2026-03-03T02:00:00Z');
    for (const [i, host] of ['web1', 'web2', 'web3'].entries()) {
      clock.set(night1 + (i + 1) * 5000);
      await t.ping(`/ping/${check.id}?host=${host}`);
    }
    expect(await readCheck(t, check.id)).toMatchObject({
      status: 'up',
      quorum_hosts: 3,
      next_expected: '2026-03-04T02:00:00.000Z',
      quorum_period: { expected_at: '2026-03-03T02:00:00.000Z', hosts: ['web1', 'web2', 'web3'] },
    });
    const night2 = Date.parse('2026-03-04T02:00:00Z');
    clock.set(night2 + 5000);
    await t.ping(`/ping/${check.id}?host=web1`);
    await t.ping(`/ping/${check.id}?host=web2`);
    clock.set(night2 + HOUR - 1);
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('late');
    clock.set(night2 + HOUR);
    await tick();
    expect((await readCheck(t, check.id)).status).toBe('down');
    const flips = await history(t, check.id, 'flips');
    expect(flips.find((f) => f.to === 'down').reason).toBe('2 of 3 hosts reported in the 02:00 run: web1, web2; web3 did not');
  });

  it('refuses settings that do not make sense, saying what to give', async () => {
    const alone = await t.api('POST', '/api/v1/checks', { name: 'x', failure_rate_count: 3 });
    expect(alone.status).toBe(400);
    expect(alone.body.error).toMatchObject({
      code: 'invalid_field',
      message: expect.stringMatching(/failure_rate_count and failure_rate_window go together/),
    });
    const over = await t.api('POST', '/api/v1/checks', { name: 'x', failure_rate_count: 11, failure_rate_window: 10 });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toMatch(/cannot exceed failure_rate_window/);
    expect((await t.api('POST', '/api/v1/checks', { name: 'x', quorum_hosts: 0 })).status).toBe(400);
    const check = await createCheck(t, { failure_rate_count: 2, failure_rate_window: 5, quorum_hosts: 2 });
    // One field of the pair alone is fine when the other is stored; clearing both turns the rule off.
    expect((await t.api('PATCH', `/api/v1/checks/${check.id}`, { failure_rate_count: 4 })).body.failure_rate_count).toBe(4);
    expect((await t.api('PATCH', `/api/v1/checks/${check.id}`, { failure_rate_count: 6 })).status).toBe(400);
    const off = await t.api('PATCH', `/api/v1/checks/${check.id}`, {
      failure_rate_count: null,
      failure_rate_window: null,
      quorum_hosts: null,
    });
    expect(off.body).toMatchObject({
      failure_rate_count: null,
      failure_rate_window: null,
      recent_failures: null,
      quorum_hosts: null,
      quorum_period: null,
    });
  });

  it('the settings are in the OpenAPI document and in monitors as code, both ways', async () => {
    const spec = (await t.api('GET', '/api/v1/openapi.json')).body;
    const text = JSON.stringify(spec);
    for (const field of ['failure_rate_count', 'failure_rate_window', 'quorum_hosts', 'notify_late']) expect(text).toContain(field);
    const check = await createCheck(t, { slug: 'rated-job', failure_rate_count: 2, failure_rate_window: 6, quorum_hosts: 2 });
    const exported = (await t.api('GET', '/api/v1/export?format=json')).body;
    const entry = exported.checks.find((c: any) => c.slug === 'rated-job');
    expect(entry).toMatchObject({ failure_rate_count: 2, failure_rate_window: 6, quorum_hosts: 2 });
    expect(entry.recent_failures).toBeUndefined();
    // A file changes them like any setting; a channel entry takes notify_late.
    const document = {
      version: 1,
      checks: [{ slug: 'rated-job', quorum_hosts: 4, failure_rate_count: null, failure_rate_window: null }],
      channels: [{ name: 'hook from a file', kind: 'webhook', config: { url: 'https://example.com/hook' }, notify_late: true }],
    };
    const applied = await t.api('POST', '/api/v1/apply', { document });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(await readCheck(t, check.id)).toMatchObject({ quorum_hosts: 4, failure_rate_count: null, failure_rate_window: null });
    const channels = (await t.api('GET', '/api/v1/channels')).body.items;
    expect(channels.find((c: any) => c.name === 'hook from a file')).toMatchObject({ notify_late: true });
    const again = (await t.api('GET', '/api/v1/export?format=json')).body;
    expect(again.channels.find((c: any) => c.name === 'hook from a file')).toMatchObject({ notify_late: true });
  });

  it('migration 0020 undoes and redoes cleanly on a store with checks and channels in it', async () => {
    const db = t.server.runtime.store.db;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const names = Object.keys(migrations).sort();
    const down = await migrator.migrateTo(names[names.indexOf('0020_rate_quorum_late') - 1]);
    expect(down.error).toBeUndefined();
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    // Back up, every check has the rules off and every channel its late warnings off.
    const check = await createCheck(t, { failure_rate_count: 1, failure_rate_window: 2 });
    expect(check.failure_rate_window).toBe(2);
    const channels = (await t.api('GET', '/api/v1/channels')).body.items;
    expect(channels.every((c: any) => c.notify_late === false)).toBe(true);
  });
});
