// Dependencies: while a parent is down, a child that goes down is folded into the parent's incident (recorded, no
// page); when the parent recovers and the child is still down, the child pages then, once. Edges stay in a workspace
// and never form a cycle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlerting, type Alerting } from './support/alerting.js';

let a: Alerting;
beforeAll(async () => {
  a = await startAlerting();
});
afterAll(async () => {
  await a.close();
});

const MIN = 60_000;
const incidentsOf = async (checkId: string) => (await a.t.api('GET', `/api/v1/incidents?check=${checkId}`)).body.items;
const events = (path: string) => a.receiver.at(path).map((r) => `${r.json.event} ${r.json.check.name}`);

/** "db1 alive" every minute and "backup on db1" every 5 minutes depending on it, both paging one webhook. */
async function hostAndJob(path: string) {
  const channel = await a.channel('webhook', { url: `${a.receiver.url}${path}` }, { is_default: false });
  const db1 = await a.check({ name: `db1 alive ${path}`, slug: `db1-alive${path.replace(/\//g, '-')}`, channels: [channel.id] });
  const backup = await a.check({
    name: `backup on db1 ${path}`,
    schedule: { kind: 'interval', period_s: 300 },
    channels: [channel.id],
    depends_on: [db1.slug],
  });
  await a.ping(db1);
  await a.ping(backup);
  return { db1, backup };
}

describe('a child going down while its parent is down', () => {
  it('pages once (the parent), folds the child into the parent incident, and pages the child when the parent recovers first', async () => {
    const { db1, backup } = await hostAndJob('/deps/story');
    expect(backup.depends_on).toEqual([{ id: db1.id, slug: db1.slug, name: db1.name }]);

    // db1 misses its beat at +1 min and goes down; keeping it down, backup misses its 5-minute beat.
    await a.advance(61_000);
    for (let i = 0; i < 5; i += 1) await a.advance(MIN);
    expect(events('/deps/story')).toEqual([`check.down ${db1.name}`]);

    const [parentIncident] = await incidentsOf(db1.id);
    const [childIncident] = await incidentsOf(backup.id);
    expect(childIncident).toMatchObject({ open: true, folded_into: parentIncident.id, unfolded_at: null, published_at: null });
    expect(childIncident.reason).toContain(`folded into the incident of "${db1.name}"`);
    const child = (await a.t.api('GET', `/api/v1/checks/${backup.id}`)).body;
    expect(child).toMatchObject({
      status: 'down',
      folded_into: { incident_id: parentIncident.id, check: { id: db1.id, slug: db1.slug, name: db1.name } },
    });
    const parentDetail = (await a.t.api('GET', `/api/v1/incidents/${parentIncident.id}`)).body;
    expect(parentDetail.folded_children).toEqual([
      expect.objectContaining({
        incident_id: childIncident.id,
        check_id: backup.id,
        check_name: backup.name,
        still_down: true,
        paging_since: null,
      }),
    ]);
    expect((await a.t.api('GET', `/api/v1/incidents/${childIncident.id}`)).body.notifications).toEqual([]);

    // db1 comes back; backup is still down: its incident pages now, and db1's recovery says so.
    await a.ping(db1);
    await a.deliver();
    expect(events('/deps/story')).toEqual([`check.down ${db1.name}`, `check.down ${backup.name}`, `check.up ${db1.name}`]);
    const up = a.receiver.at('/deps/story').find((r) => r.json.event === 'check.up')!.json;
    expect(up.flip.reason).toContain(`Still down: "${backup.name}", which was folded into this incident and now alerts on its own.`);
    const childPage = a.receiver.at('/deps/story').find((r) => r.json.check.name === backup.name)!.json;
    expect(childPage.flip.reason).toContain(`"${db1.name}" has recovered but this check is still down`);
    const [unfolded] = await incidentsOf(backup.id);
    expect(unfolded).toMatchObject({ id: childIncident.id, open: true, folded_into: parentIncident.id });
    expect(unfolded.unfolded_at).toBe(new Date(a.clock.now()).toISOString());
    expect((await a.t.api('GET', `/api/v1/checks/${backup.id}`)).body.folded_into).toBeNull();

    // The child pages once: ticking on does not page it again, and its recovery is announced as for any incident.
    await a.advance(MIN);
    await a.ping(backup);
    await a.deliver();
    expect(events('/deps/story').filter((e) => e.endsWith(backup.name))).toEqual([`check.down ${backup.name}`, `check.up ${backup.name}`]);
  });

  it('recovering while folded is recorded but not announced, and the parent resolves with nothing still down', async () => {
    const { db1, backup } = await hostAndJob('/deps/quiet');
    await a.advance(61_000);
    await a.ping(backup, 'fail');
    await a.ping(backup);
    await a.ping(db1);
    await a.deliver();
    expect(events('/deps/quiet')).toEqual([`check.down ${db1.name}`, `check.up ${db1.name}`]);
    const [childIncident] = await incidentsOf(backup.id);
    expect(childIncident).toMatchObject({ open: false, unfolded_at: null });
    const up = a.receiver.at('/deps/quiet').find((r) => r.json.event === 'check.up')!.json;
    expect(up.flip.reason).not.toContain('Still down');
  });

  it('pages on its own when the parent is up', async () => {
    const { db1, backup } = await hostAndJob('/deps/alone');
    await a.ping(backup, 'fail');
    await a.deliver();
    expect(events('/deps/alone')).toEqual([`check.down ${backup.name}`]);
    expect((await incidentsOf(backup.id))[0].folded_into).toBeNull();
    await a.ping(db1);
  });
});

describe('dependency edges', () => {
  it('are refused when they would close a cycle, with the cycle named', async () => {
    const x = await a.check({ name: 'cycle x', slug: 'cycle-x' });
    const y = await a.check({ name: 'cycle y', slug: 'cycle-y', depends_on: ['cycle-x'] });
    const z = await a.check({ name: 'cycle z', slug: 'cycle-z', depends_on: [y.id] });
    const res = await a.t.api('PATCH', `/api/v1/checks/${x.id}`, { depends_on: ['cycle-z'] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('dependency_cycle');
    expect(res.body.error.message).toBe(
      'depends_on would close a cycle: "cycle x" → "cycle z" → "cycle y" → "cycle x"; a check cannot (even indirectly) depend on itself. Remove one of these dependencies.',
    );
    const self = await a.t.api('PATCH', `/api/v1/checks/${z.id}`, { depends_on: ['cycle-z'] });
    expect(self.status).toBe(400);
    expect(self.body.error.message).toContain('cannot depend on itself');
  });

  it("name checks of the same workspace only: another workspace's check is unknown here", async () => {
    const other = await a.t.otherWorkspace('write');
    const theirs = await a.t.api(
      'POST',
      '/api/v1/checks',
      { name: 'their db', slug: 'their-db', schedule: { kind: 'interval', period_s: 60 } },
      other.key,
    );
    expect(theirs.status).toBe(201);
    for (const ref of [theirs.body.id, 'their-db']) {
      const res = await a.t.api('POST', '/api/v1/checks', { name: 'mine', depends_on: [ref] });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({
        code: 'unknown_dependency',
        message: `depends_on: no check "${ref}" in this workspace; name a check of this workspace by its id or slug.`,
      });
    }
  });

  it('go when the parent is deleted, and a child folded into its open incident pages then', async () => {
    const { db1, backup } = await hostAndJob('/deps/delete');
    await a.advance(61_000);
    await a.ping(backup, 'fail');
    expect((await incidentsOf(backup.id))[0].folded_into).toBeTruthy();
    expect((await a.t.api('DELETE', `/api/v1/checks/${db1.id}`)).status).toBe(200);
    await a.deliver();
    expect(events('/deps/delete')).toEqual([`check.down ${db1.name}`, `check.down ${backup.name}`]);
    expect((await a.t.api('GET', `/api/v1/checks/${backup.id}`)).body.depends_on).toEqual([]);
    const count = await a.t.server.runtime.store.db.selectFrom('check_dependencies').selectAll().where('parent_id', '=', db1.id).execute();
    expect(count).toEqual([]);
  });
});
