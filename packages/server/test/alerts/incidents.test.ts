// Incidents: severity, start/end/duration, flips and notifications, acknowledgement, cooldown, re-alerts.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlerting, type Alerting } from './support/alerting.js';
import { setupAdmin } from '../support/session.js';
import { timeOrderedIdPrefix, UUID_PATTERN } from '../../src/store/ids.js';
import { sqliteFile } from '../../src/store/database.js';
import { TEST_ENGINE } from '../support/postgres.js';

let a: Alerting;
beforeAll(async () => {
  a = await startAlerting();
});
afterAll(async () => {
  await a.close();
});

const MIN = 60_000;

async function subscribedCheck(path: string, options: Record<string, unknown> = {}) {
  const channel = await a.channel('webhook', { url: `${a.receiver.url}${path}` }, { is_default: false });
  const check = await a.check({ channels: [channel.id], ...options });
  await a.ping(check);
  return { channel, check };
}

const incidentsOf = async (checkId: string) => (await a.t.api('GET', `/api/v1/incidents?check=${checkId}`)).body.items;
const events = (path: string) => a.receiver.at(path).map((r) => r.json.event);

describe('an incident', () => {
  it('opens when the check goes down and resolves when it recovers, with duration, flips and notifications', async () => {
    const { check } = await subscribedCheck('/inc/life');
    await a.advance(61_000);
    const [open] = await incidentsOf(check.id);
    expect(open).toMatchObject({ open: true, severity: 'minor', resolved_at: null, duration_ms: null, acknowledged: false, draft: false });
    expect(open.reason).toContain('no heartbeat received within expected interval + grace period');
    a.clock.advance(5 * MIN);
    await a.ping(check);
    await a.deliver();
    const detail = (await a.t.api('GET', `/api/v1/incidents/${open.id}`)).body;
    expect(detail).toMatchObject({ open: false, duration_ms: 5 * MIN, resolve_reason: 'heartbeat received; check recovered' });
    expect(detail.flips.map((f: any) => `${f.from}→${f.to}`)).toEqual(['up→down', 'down→up']);
    expect(detail.notifications.map((n: any) => [n.event, n.status])).toEqual([
      ['down', 'sent'],
      ['up', 'sent'],
    ]);
    expect(detail.notifications[0].attempt_log).toHaveLength(1);
    expect(events('/inc/life')).toEqual(['check.down', 'check.up']);
  });

  it('gets an id that starts with the time it opened, so later incidents sort after earlier ones', async () => {
    const { check } = await subscribedCheck('/inc/ids');
    await a.advance(61_000);
    a.clock.advance(5 * MIN);
    await a.ping(check);
    await a.advance(61_000);
    const incidents = (await incidentsOf(check.id)).sort((x: any, y: any) => Date.parse(x.opened_at) - Date.parse(y.opened_at));
    expect(incidents).toHaveLength(2);
    for (const incident of incidents) {
      expect(incident.id).toMatch(UUID_PATTERN);
      expect(incident.id.startsWith(timeOrderedIdPrefix(Date.parse(incident.opened_at)))).toBe(true);
    }
    expect(incidents[0].id < incidents[1].id).toBe(true);
  });

  // SQLite has no statistics to go by: without migration 0021 it walks the check's whole incident history instead.
  it.runIf(TEST_ENGINE === 'sqlite')('is looked up among open incidents only, not through the check history (SQLite)', () => {
    const db = new Database(sqliteFile(a.t.dataDir), { readonly: true });
    try {
      const plan = (query: string, ...values: string[]) =>
        (db.prepare(`explain query plan ${query}`).all(...values) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      expect(plan('select * from incidents where check_id = ? and resolved_at is null limit 1', 'c')).toContain('incidents_open');
      expect(plan('select id from incidents where check_id in (?, ?) and resolved_at is null', 'c', 'd')).toContain('incidents_open');
      // The history of a check still walks the index made for it.
      expect(plan('select * from incidents where check_id = ? order by opened_at desc limit 5', 'c')).toContain('incidents_check_opened');
    } finally {
      db.close();
    }
  });

  it('has the severity the check sets, minor otherwise', async () => {
    const { check } = await subscribedCheck('/inc/sev', { severity: 'major' });
    await a.ping(check, 'fail');
    await a.deliver();
    expect((await incidentsOf(check.id))[0].severity).toBe('major');
    expect(a.receiver.at('/inc/sev')[0].json.incident.severity).toBe('major');
    const bad = await a.t.api('PATCH', `/api/v1/checks/${check.id}`, { severity: 'apocalyptic' });
    expect(bad.status).toBe(400);
  });

  it('says what is wrong and what to do: name, where, expectation, last seen, reason, link', async () => {
    const { check } = await subscribedCheck('/inc/msg', { name: 'nightly export', project: 'data', service: 'warehouse' });
    await a.t.ping(`/ping/${check.key}/start`, { method: 'POST' });
    await a.advance(61_000);
    const n = a.receiver.at('/inc/msg')[0].json;
    expect(n.summary).toMatch(/^nightly export \(data \/ warehouse\) is DOWN: /);
    expect(n.check).toMatchObject({
      name: 'nightly export',
      project: 'data',
      service: 'warehouse',
      expected: 'a heartbeat every 1m, with 0ms of grace',
      url: `${a.t.url}/checks/${check.id}`,
    });
    expect(n.check.last_signal_at).toBe(new Date(a.clock.now() - 61_000).toISOString());
    expect(n.flip.reason).toBeTruthy();
    expect(n.action).toContain('acknowledge');
  });
});

describe('acknowledging', () => {
  it('records who acknowledged and stops the reminders', async () => {
    const { check } = await subscribedCheck('/ack', { realert_s: 600 });
    await a.ping(check, 'fail');
    await a.deliver();
    const [incident] = await incidentsOf(check.id);
    const acked = await a.t.api('POST', `/api/v1/incidents/${incident.id}/acknowledge`, { by: 'dana' });
    expect(acked.body).toMatchObject({ acknowledged: true, acknowledged_by: 'dana', next_alert_at: null });
    await a.advance(30 * MIN);
    expect(events('/ack')).toEqual(['check.down']);
    const other = await a.t.otherWorkspace();
    expect((await a.t.api('POST', `/api/v1/incidents/${incident.id}/acknowledge`, {}, other.key)).status).toBe(404);
  });

  it('names the signed-in person when someone acknowledges from the dashboard without saying who', async () => {
    const { check } = await subscribedCheck('/ack-session');
    await a.ping(check, 'fail');
    const [incident] = await incidentsOf(check.id);
    const admin = await setupAdmin(a.t, 'oncall@example.com');
    const acked = await admin.request('POST', `/api/v1/incidents/${incident.id}/acknowledge`);
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    expect(acked.body.acknowledged_by).toBe('Admin');
  });

  it('names the API key when nobody is given, and refuses a resolved incident', async () => {
    const { check } = await subscribedCheck('/ack2');
    await a.ping(check, 'fail');
    const [incident] = await incidentsOf(check.id);
    const acked = await a.t.api('POST', `/api/v1/incidents/${incident.id}/acknowledge`);
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    expect(acked.body.acknowledged_by).toBe('API key "bootstrap admin"');
    await a.ping(check);
    const [other] = await incidentsOf(check.id);
    expect(other.open).toBe(false);
    const { check: second } = await subscribedCheck('/ack3');
    await a.ping(second, 'fail');
    await a.ping(second);
    const [resolved] = await incidentsOf(second.id);
    expect((await a.t.api('POST', `/api/v1/incidents/${resolved.id}/acknowledge`)).status).toBe(409);
  });
});

describe('re-alerts', () => {
  it('remind every N while the check stays down, and stop when it recovers', async () => {
    const { check } = await subscribedCheck('/realert', { realert_s: 600 });
    await a.ping(check, 'fail');
    await a.deliver();
    await a.advance(10 * MIN - 1);
    expect(events('/realert')).toEqual(['check.down']);
    await a.advance(1);
    await a.advance(10 * MIN);
    expect(events('/realert')).toEqual(['check.down', 'check.still_down', 'check.still_down']);
    const reminders = a.receiver
      .at('/realert')
      .slice(1)
      .map((r) => r.json);
    expect(reminders.map((r) => r.incident.realert)).toEqual([1, 2]);
    expect(reminders[0].summary).toContain('is still DOWN (for 10m, reminder 1)');
    expect(new Set(a.receiver.at('/realert').map((r) => r.headers['idempotency-key'])).size).toBe(3);
    await a.ping(check);
    await a.deliver();
    expect(events('/realert')).toEqual(['check.down', 'check.still_down', 'check.still_down', 'check.up']);
    expect((await incidentsOf(check.id))[0]).toMatchObject({ open: false, next_alert_at: null, realerts: 2 });
  });

  it('after a long stop, sends one reminder, not a burst of catch-ups', async () => {
    const { check } = await subscribedCheck('/realert-gap', { realert_s: 600 });
    await a.ping(check, 'fail');
    await a.deliver();
    await a.advance(5 * 60 * MIN);
    expect(events('/realert-gap')).toEqual(['check.down', 'check.still_down']);
    const [incident] = await incidentsOf(check.id);
    expect(Date.parse(incident.next_alert_at)).toBe(a.clock.now() + 10 * MIN);
  });
});

describe('cooldown', () => {
  it('holds back a new incident within N of the last one, and opens it when the check is still down after', async () => {
    const { check } = await subscribedCheck('/cool', { cooldown_s: 600 });
    await a.ping(check, 'fail');
    a.clock.advance(MIN);
    await a.ping(check);
    await a.deliver();
    expect(events('/cool')).toEqual(['check.down', 'check.up']);
    const resolvedAt = a.clock.now();

    // A flap inside the cooldown: no incident, nothing sent, and recovering ends the hold quietly.
    a.clock.advance(MIN);
    await a.ping(check, 'fail');
    a.clock.advance(MIN);
    await a.ping(check);
    await a.advance(0);
    expect(await incidentsOf(check.id)).toHaveLength(1);

    // Down again inside the cooldown and still down when it ends: the incident opens at the end of the cooldown.
    a.clock.advance(MIN);
    await a.ping(check, 'fail');
    await a.deliver();
    expect(await incidentsOf(check.id)).toHaveLength(1);
    expect((await a.t.api('GET', `/api/v1/checks/${check.id}`)).body.status).toBe('down');
    a.clock.set(resolvedAt + 10 * MIN - 1);
    await a.advance(0);
    expect(events('/cool')).toEqual(['check.down', 'check.up']);
    await a.advance(1);
    const incidents = await incidentsOf(check.id);
    expect(incidents).toHaveLength(2);
    expect(Date.parse(incidents[0].opened_at)).toBe(resolvedAt + 10 * MIN);
    expect(incidents[0].reason).toContain('still down after the 10m cooldown');
    expect(events('/cool')).toEqual(['check.down', 'check.up', 'check.down']);
  });

  it('does not hold back an incident once the cooldown has passed', async () => {
    const { check } = await subscribedCheck('/cool-after', { cooldown_s: 300 });
    await a.ping(check, 'fail');
    await a.ping(check);
    a.clock.advance(5 * MIN);
    await a.ping(check, 'fail');
    await a.deliver();
    expect(await incidentsOf(check.id)).toHaveLength(2);
    expect(events('/cool-after')).toEqual(['check.down', 'check.up', 'check.down']);
  });
});

describe('failure threshold', () => {
  it('gates the incident: two failures needed, one is not enough', async () => {
    const { check } = await subscribedCheck('/threshold', { failure_threshold: 2 });
    await a.ping(check, 'fail');
    await a.deliver();
    expect(await incidentsOf(check.id)).toHaveLength(0);
    await a.ping(check, 'fail');
    await a.deliver();
    expect(await incidentsOf(check.id)).toHaveLength(1);
    expect(events('/threshold')).toEqual(['check.down']);
  });
});
