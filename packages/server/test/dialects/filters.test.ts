// healthchecks.io's HTTP body keyword filter: with filter_http_body on, a ping's body decides what it means —
// failure keywords first, then success, then start; no match fails (filter_default_fail) or is ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history, pingKeyOf, readCheck, T0 } from '../support/checks.js';

describe('HTTP body keyword filters', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  const post = (route: string, body: string) => t.ping(route, { method: 'POST', body });
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the report\'s case: "Backup FAILED: disk full" with only success_kw and default-fail is a failure', async () => {
    const created = await t.api('POST', '/api/v3/checks/', {
      name: 'backup',
      filter_http_body: true,
      filter_default_fail: true,
      success_kw: 'Backup successful',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ filter_http_body: true, filter_default_fail: true, success_kw: 'Backup successful' });
    expect((await post(`/ping/${created.body.uuid}`, 'Backup FAILED: disk full')).status).toBe(200);
    expect((await readCheck(t, created.body.uuid)).status).toBe('down');
    await post(`/ping/${created.body.uuid}`, 'Backup successful, 3 GB');
    expect((await readCheck(t, created.body.uuid)).status).toBe('up');
  });

  it('failure keywords win over success and start; keywords are a comma-separated, case-sensitive list', async () => {
    const check = await createCheck(t, { filter_http_body: true, start_kw: 'Starting', success_kw: 'done, ok', failure_kw: 'ERROR,FATAL' });
    expect(check).toMatchObject({
      filter_http_body: true,
      filter_default_fail: false,
      start_kw: 'Starting',
      success_kw: 'done, ok',
      failure_kw: 'ERROR,FATAL',
    });
    await post(`/ping/${check.id}`, 'Starting backup');
    expect((await readCheck(t, check.id)).running).toBe(true);
    await post(`/ping/${check.id}`, 'done with 1 FATAL');
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'down', running: false });
    await post(`/ping/${check.id}`, 'all ok');
    expect((await readCheck(t, check.id)).status).toBe('up');
    await post(`/ping/${check.id}`, 'error (lower case)');
    expect((await history(t, check.id, 'signals')).map((s) => s.kind)).toEqual(['ignored', 'success', 'fail', 'start']);
    expect((await readCheck(t, check.id)).status).toBe('up');
  });

  it('the body decides whatever the URL says: /fail with a success keyword is a success, /start with none is ignored', async () => {
    const check = await createCheck(t, { filter_http_body: true, success_kw: 'OK' });
    await post(`/ping/${check.key}/fail`, 'finished OK');
    expect((await readCheck(t, check.id)).status).toBe('up');
    const res = await t.ping(`/ping/${check.key}/start`);
    expect(JSON.parse(res.text)).toMatchObject({ ok: true, action: 'ignored' });
    expect((await readCheck(t, check.id)).running).toBe(false);
  });

  it('without filter_http_body the keywords are kept but pings mean what their URL says', async () => {
    const check = await createCheck(t, { failure_kw: 'FAILED' });
    await post(`/ping/${check.id}`, 'Backup FAILED');
    expect((await readCheck(t, check.id)).status).toBe('up');
  });

  it('slug URLs are filtered too, and PATCH turns the filter on and off', async () => {
    const check = await createCheck(t, { slug: 'filtered-by-slug' });
    const pingKey = await pingKeyOf(t);
    const patched = await t.api('PATCH', `/api/v1/checks/${check.id}`, {
      filter_http_body: true,
      filter_default_fail: true,
      success_kw: 'all good',
    });
    expect(patched.status).toBe(200);
    await post(`/ping/${pingKey}/filtered-by-slug`, 'something else');
    expect((await readCheck(t, check.id)).status).toBe('down');
    await t.api('PATCH', `/api/v1/checks/${check.id}`, { filter_http_body: false });
    await post(`/ping/${pingKey}/filtered-by-slug`, 'something else');
    expect((await readCheck(t, check.id)).status).toBe('up');
    // Other settings kept in the same place survive a change of one keyword field.
    expect(await readCheck(t, check.id)).toMatchObject({ filter_default_fail: true, success_kw: 'all good' });
  });

  it('a change made by another instance (straight in the store) applies to pings within a second', async () => {
    const check = await createCheck(t);
    await post(`/ping/${check.key}`, 'nothing special');
    // Another instance turns the filter on: this one has not heard of it yet.
    await t.server.runtime.store.db
      .updateTable('checks')
      .set({ extra: JSON.stringify({ filter_http_body: true, filter_default_fail: true }) })
      .where('id', '=', check.id)
      .execute();
    await post(`/ping/${check.key}`, 'nothing special');
    expect((await readCheck(t, check.id)).status).toBe('up');
    clock.advance(1000);
    await post(`/ping/${check.key}`, 'nothing special');
    expect((await readCheck(t, check.id)).status).toBe('down');
  });

  it('progress pings (CronBeats) are never filtered', async () => {
    const check = await createCheck(t, { filter_http_body: true, filter_default_fail: true });
    await post(`/ping/${check.key}/progress/40`, '{"message":"working"}');
    expect(await readCheck(t, check.id)).toMatchObject({ running: true, status: 'new' });
  });

  it('keywords longer than 200 characters are refused with the field named', async () => {
    const res = await t.api('POST', '/api/v1/checks', { name: 'long kw', success_kw: 'x'.repeat(201) });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/success_kw/);
  });
});
