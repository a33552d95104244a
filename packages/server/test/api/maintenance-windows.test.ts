// The maintenance windows API: create, list, read, change, delete; actionable 4xx errors; scopes; workspaces apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, HOUR, iso, readCheck, T0 } from '../support/checks.js';

describe('maintenance windows API', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a recurring window for a check by slug, shows when it opens next, and changes and deletes it', async () => {
    const check = await createCheck(t, { slug: 'backup-job', tags: ['db'] });
    const created = await t.api('POST', '/api/v1/maintenance-windows', {
      name: 'nightly',
      check: 'backup-job',
      cron: '0 2 * * *',
      duration_s: 3600,
      tz: 'Europe/Berlin',
      reason: 'db vacuum',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      name: 'nightly',
      scope: 'check',
      check: { id: check.id, slug: 'backup-job' },
      tag: null,
      cron: '0 2 * * *',
      tz: 'Europe/Berlin',
      duration_s: 3600,
      starts_at: null,
      ends_at: null,
      reason: 'db vacuum',
      open_until: null,
      next_start: '2026-03-03T01:00:00.000Z',
    });
    const id = created.body.id;
    expect((await t.api('GET', `/api/v1/maintenance-windows/${id}`)).body).toEqual(created.body);

    const changed = await t.api('PATCH', `/api/v1/maintenance-windows/${id}`, { check: null, tag: 'db', reason: null });
    expect(changed.body).toMatchObject({ scope: 'tag', check: null, tag: 'db', reason: null, cron: '0 2 * * *' });
    // Switching to a one-off window: the recurring pair is cleared in the same change.
    const once = await t.api('PATCH', `/api/v1/maintenance-windows/${id}`, {
      cron: null,
      duration_s: null,
      starts_at: iso(T0 - HOUR),
      ends_at: iso(T0 + HOUR),
    });
    expect(once.body).toMatchObject({
      cron: null,
      tz: null,
      starts_at: iso(T0 - HOUR),
      ends_at: iso(T0 + HOUR),
      open_until: iso(T0 + HOUR),
    });
    expect((await readCheck(t, check.id)).maintenance_until).toBe(iso(T0 + HOUR));
    const list = (await t.api('GET', '/api/v1/checks?tag=db')).body.items;
    expect(list[0].maintenance_until).toBe(iso(T0 + HOUR));

    expect((await t.api('DELETE', `/api/v1/maintenance-windows/${id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/maintenance-windows/${id}`)).status).toBe(404);
    expect((await readCheck(t, check.id)).maintenance_until).toBeNull();
  });

  it('refuses what cannot work with a 4xx saying what to change', async () => {
    const check = await createCheck(t);
    const cases: Array<[Record<string, unknown>, number, string, RegExp]> = [
      [{ name: 'both', check: check.id, tag: 'x', cron: '0 2 * * *', duration_s: 3600 }, 400, 'invalid_window', /check or tag, not both/],
      [{ name: 'no time' }, 400, 'invalid_window', /cron and duration_s/],
      [{ name: 'no duration', cron: '0 2 * * *' }, 400, 'invalid_window', /needs both cron .* and duration_s/],
      [{ name: 'mixed', cron: '0 2 * * *', duration_s: 600, starts_at: iso(T0) }, 400, 'invalid_window', /either recurring .* or one-off/],
      [{ name: 'bad cron', cron: '0 25 * * *', duration_s: 600 }, 400, 'invalid_window', /cron/],
      [{ name: 'bad zone', cron: '0 2 * * *', duration_s: 600, tz: 'Mars/Olympus' }, 400, 'invalid_window', /IANA/],
      [{ name: 'backwards', starts_at: iso(T0), ends_at: iso(T0 - HOUR) }, 400, 'invalid_window', /ends_at must be after starts_at/],
      [{ name: 'too long', cron: '0 2 * * *', duration_s: 8 * 86400 }, 400, 'invalid_request', /duration_s/],
      [{ name: 'ghost', check: 'no-such-check', cron: '0 2 * * *', duration_s: 600 }, 400, 'unknown_check', /No check "no-such-check"/],
      [{ cron: '0 2 * * *', duration_s: 600 }, 400, 'invalid_request', /name/],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await t.api('POST', '/api/v1/maintenance-windows', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code, JSON.stringify(res.body)).toBe(code);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await t.api('POST', '/api/v1/maintenance-windows', { name: 'twice', cron: '0 3 * * *', duration_s: 600 })).status).toBe(201);
    const again = await t.api('POST', '/api/v1/maintenance-windows', { name: 'twice', cron: '0 4 * * *', duration_s: 600 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('window_name_taken');
  });

  it('the read scope lists windows, naming their check by read id, but cannot change them', async () => {
    const check = await createCheck(t);
    await t.api('POST', '/api/v1/maintenance-windows', { name: 'seen by readers', check: check.id, cron: '0 2 * * *', duration_s: 600 });
    const read = await t.keyWithScope('read');
    const list = await t.api('GET', '/api/v1/maintenance-windows', undefined, read);
    expect(list.status).toBe(200);
    const seen = list.body.items.find((w: any) => w.name === 'seen by readers');
    expect(seen.check.id).not.toBe(check.id);
    expect(seen.check.id).toBe((await t.api('GET', `/api/v1/checks/${check.key}`, undefined, read)).body.id);
    expect(JSON.stringify(list.body)).not.toContain(check.id);
    expect((await t.api('POST', '/api/v1/maintenance-windows', { name: 'nope', cron: '0 2 * * *', duration_s: 600 }, read)).status).toBe(
      403,
    );
  });

  it("another workspace can neither see nor touch a window, nor scope one to this workspace's check", async () => {
    const check = await createCheck(t);
    const mine = (
      await t.api('POST', '/api/v1/maintenance-windows', { name: 'private', check: check.id, cron: '0 2 * * *', duration_s: 600 })
    ).body;
    const other = await t.otherWorkspace('write');
    const theirs = await t.api('GET', '/api/v1/maintenance-windows', undefined, other.key);
    expect(theirs.body.items).toEqual([]);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'taken over' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await t.api(method, `/api/v1/maintenance-windows/${mine.id}`, body, other.key);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('window_not_found');
    }
    const scoped = await t.api(
      'POST',
      '/api/v1/maintenance-windows',
      { name: 'sneaky', check: check.id, cron: '0 2 * * *', duration_s: 600 },
      other.key,
    );
    expect(scoped.status).toBe(400);
    expect(scoped.body.error.code).toBe('unknown_check');
    // Their workspace-wide window does not cover this workspace's checks.
    await t.api(
      'POST',
      '/api/v1/maintenance-windows',
      { name: 'all of theirs', starts_at: iso(T0 - HOUR), ends_at: iso(T0 + HOUR) },
      other.key,
    );
    clock.set(T0);
    expect((await readCheck(t, check.id)).maintenance_until).toBeNull();
    expect((await t.api('GET', `/api/v1/maintenance-windows/${mine.id}`)).body.name).toBe('private');
  });

  it('deleting a check deletes the windows scoped to it', async () => {
    const check = await createCheck(t);
    const w = (
      await t.api('POST', '/api/v1/maintenance-windows', {
        name: 'goes with its check',
        check: check.id,
        cron: '0 2 * * *',
        duration_s: 600,
      })
    ).body;
    await t.api('DELETE', `/api/v1/checks/${check.id}`);
    expect((await t.api('GET', `/api/v1/maintenance-windows/${w.id}`)).status).toBe(404);
  });
});
