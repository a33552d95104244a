// The healthchecks.io Management API v3: the shapes its tools read, its upsert, its read-only keys, its refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { history, MINUTE, readCheck, SECOND, T0 } from '../support/checks.js';
import { rawRequest } from '../support/http.js';
import { healthchecksClient } from './support/healthchecks-client.js';

const CHECK_FIELDS = [
  'name',
  'slug',
  'tags',
  'desc',
  'grace',
  'n_pings',
  'status',
  'started',
  'last_ping',
  'next_ping',
  'manual_resume',
  'methods',
  'subject',
  'subject_fail',
  'start_kw',
  'success_kw',
  'failure_kw',
  'req_start_kw',
  'req_success_kw',
  'req_failure_kw',
  'filter_subject',
  'filter_body',
];

describe('healthchecks.io Management API v3', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  const { hc, make } = healthchecksClient(() => t);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('checks', () => {
    it('a created check has every field healthchecks.io shows, and its ping_url pings it', async () => {
      const check = await make({
        name: 'shape',
        slug: 'shape',
        tags: 'a b',
        desc: 'd',
        timeout: 300,
        grace: 120,
        manual_resume: true,
        methods: 'POST',
        success_kw: 'OK',
        filter_body: true,
      });
      for (const field of [...CHECK_FIELDS, 'uuid', 'ping_url', 'update_url', 'pause_url', 'resume_url', 'channels', 'timeout'])
        expect(check, field).toHaveProperty(field);
      expect(check).toMatchObject({
        slug: 'shape',
        tags: 'a b',
        desc: 'd',
        timeout: 300,
        grace: 120,
        manual_resume: true,
        methods: 'POST',
        success_kw: 'OK',
        filter_body: true,
        failure_kw: '',
        filter_subject: false,
      });
      expect(check.update_url).toBe(`${t.url}/api/v3/checks/${check.uuid}`);
      expect(check.pause_url).toBe(`${check.update_url}/pause`);
      clock.set(T0);
      expect((await rawRequest(check.ping_url, { method: 'POST' })).status).toBe(200);
      const after = (await hc('GET', `/checks/${check.uuid}`)).json;
      expect(after).toMatchObject({
        status: 'up',
        n_pings: 1,
        last_ping: '2026-03-02T10:00:00+00:00',
        next_ping: '2026-03-02T10:05:00+00:00',
      });
      // The native view shows the same check: healthchecks.io settings map onto Overdue's.
      expect(await readCheck(t, check.uuid)).toMatchObject({
        schedule: { kind: 'interval', period_s: 300 },
        grace_s: 120,
        manual_resume: true,
        methods: ['POST'],
      });
    });

    it('defaults as healthchecks.io has them: a day, an hour of grace, no channels; a cron schedule with its tz', async () => {
      await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'ops hook', config: { url: 'https://hooks.example.com/x' } });
      const plain = await make({});
      expect(plain).toMatchObject({ timeout: 86400, grace: 3600, channels: '' });
      const cron = await make({ name: 'nightly', schedule: '15 5 * * *', tz: 'Europe/Riga' });
      expect(cron).toMatchObject({ schedule: '15 5 * * *', tz: 'Europe/Riga' });
      expect(cron).not.toHaveProperty('timeout');
    });

    it('unique turns create into an upsert: 200 and the same check, updated', async () => {
      const first = await hc('POST', '/checks/', { name: 'upsert me', tags: 'x', unique: ['name'] });
      expect(first.status).toBe(201);
      const second = await hc('POST', '/checks/', { name: 'upsert me', tags: 'y', timeout: 600, unique: ['name'] });
      expect(second.status).toBe(200);
      expect(second.json).toMatchObject({ uuid: first.json.uuid, tags: 'y', timeout: 600 });
      const byTimeout = await hc('POST', '/checks/', { name: 'upsert me', timeout: 900, unique: ['name', 'timeout'] });
      expect(byTimeout.status).toBe(201);
    });

    it('lists filtered by every tag given and by slug', async () => {
      await make({ name: 't1', slug: 'tagged-1', tags: 'prod db' });
      await make({ name: 't2', slug: 'tagged-2', tags: 'prod' });
      expect((await hc('GET', '/checks/?tag=prod&tag=db')).json.checks.map((c: any) => c.name)).toEqual(['t1']);
      expect((await hc('GET', '/checks/?slug=tagged-2')).json.checks.map((c: any) => c.name)).toEqual(['t2']);
      expect((await hc('GET', '/checks?slug=tagged-2')).json.checks).toHaveLength(1);
    });

    it('updates only what it is given: a cron schedule, then a timeout, channels by name, "*" and ""', async () => {
      const hook = await t.api('POST', '/api/v1/channels', {
        kind: 'webhook',
        name: 'pager',
        config: { url: 'https://hooks.example.com/p' },
      });
      const check = await make({ name: 'changing', timeout: 3600, desc: 'keep me' });
      const cron = await hc('POST', `/checks/${check.uuid}`, { schedule: '0 3 * * *', tz: 'UTC', channels: 'pager' });
      expect(cron.json).toMatchObject({ schedule: '0 3 * * *', tz: 'UTC', desc: 'keep me', channels: hook.body.id });
      const tz = await hc('POST', `/checks/${check.uuid}`, { tz: 'Asia/Tokyo' });
      expect(tz.json).toMatchObject({ schedule: '0 3 * * *', tz: 'Asia/Tokyo' });
      const simple = await hc('POST', `/checks/${check.uuid}`, { timeout: 120, channels: '' });
      expect(simple.json).toMatchObject({ timeout: 120, channels: '' });
      const all = await hc('POST', `/checks/${check.uuid}`, { channels: '*' });
      expect(all.json.channels.split(',')).toContain(hook.body.id);
    });

    it('resume of a check that is not paused is a 409', async () => {
      const check = await make({ name: 'running' });
      const res = await hc('POST', `/checks/${check.uuid}/resume`, '');
      expect(res.status).toBe(409);
    });

    it('read-only keys see unique_key instead of uuid and urls, and can read by it', async () => {
      const check = await make({ name: 'secretive' });
      const ro = await t.keyWithScope('read');
      const listed = (await hc('GET', '/checks/', undefined, ro)).json.checks.find((c: any) => c.name === 'secretive');
      expect(listed).toHaveProperty('unique_key');
      for (const hidden of ['uuid', 'ping_url', 'update_url', 'pause_url', 'resume_url', 'channels'])
        expect(listed, hidden).not.toHaveProperty(hidden);
      const byKey = await hc('GET', `/checks/${listed.unique_key}`, undefined, ro);
      expect(byKey.json).toMatchObject({ name: 'secretive', unique_key: listed.unique_key });
      expect((await hc('GET', `/checks/${listed.unique_key}/flips/`, undefined, ro)).status).toBe(200);
      expect((await hc('GET', `/checks/${check.uuid}`, undefined, ro)).json).not.toHaveProperty('uuid');
    });
  });

  describe('pings, bodies and flips', () => {
    it('pings newest first with type, n, rid, duration and a body_url that returns the body as text', async () => {
      clock.set(T0);
      const check = await make({ name: 'pinged', timeout: 3600 });
      const rid = '123e4567-e89b-12d3-a456-426614174000';
      await rawRequest(`${t.url}/ping/${check.uuid}/start?rid=${rid}`, { headers: { 'user-agent': 'curl/7.68.0' } });
      clock.advance(3 * SECOND);
      await rawRequest(`${t.url}/ping/${check.uuid}?rid=${rid}`, {
        method: 'POST',
        body: 'all 42 files copied',
        headers: { 'user-agent': 'curl/7.68.0' },
      });
      const { pings } = (await hc('GET', `/checks/${check.uuid}/pings/`)).json;
      expect(pings.map((p: any) => p.type)).toEqual(['success', 'start']);
      expect(pings[0]).toMatchObject({
        date: '2026-03-02T10:00:03.000000+00:00',
        method: 'POST',
        ua: 'curl/7.68.0',
        rid,
        duration: 3,
        scheme: 'http',
      });
      expect(pings[0].n).toBeGreaterThan(pings[1].n);
      expect(pings[1]).toMatchObject({ rid, body_url: null });
      expect(pings[1]).not.toHaveProperty('duration');
      const body = await rawRequest(pings[0].body_url, { headers: { 'x-api-key': t.key } });
      expect(body).toMatchObject({ status: 200, body: 'all 42 files copied' });
      expect(body.headers['content-type']).toMatch(/^text\/plain/);
      expect((await hc('GET', `/checks/${check.uuid}/pings/${pings[1].n}/body`)).status).toBe(404);
      expect((await hc('GET', `/checks/${check.uuid}/pings/999999/body`)).status).toBe(404);
    });

    it('flips are changes between up and down; late counts as up; seconds, start and end filter them', async () => {
      clock.set(T0);
      const check = await make({ name: 'flippy', timeout: 60, grace: 60 });
      await rawRequest(`${t.url}/ping/${check.uuid}`);
      clock.set(T0 + 90 * SECOND);
      await t.server.runtime.scheduler.tick();
      clock.set(T0 + 2 * MINUTE);
      await t.server.runtime.scheduler.tick();
      clock.set(T0 + 3 * MINUTE);
      await rawRequest(`${t.url}/ping/${check.uuid}`);
      expect((await history(t, check.uuid, 'flips')).map((f) => f.to)).toEqual(['up', 'down', 'up']);
      // Late is not a flip (in Overdue or healthchecks.io): its status stays up through the grace period.
      const { flips } = (await hc('GET', `/checks/${check.uuid}/flips/`)).json;
      expect(flips).toEqual([
        { timestamp: '2026-03-02T10:03:00+00:00', up: 1 },
        { timestamp: '2026-03-02T10:02:00+00:00', up: 0 },
        { timestamp: '2026-03-02T10:00:00+00:00', up: 1 },
      ]);
      const start = T0 / 1000 + 60;
      expect((await hc('GET', `/checks/${check.uuid}/flips/?start=${start}`)).json.flips).toHaveLength(2);
      expect((await hc('GET', `/checks/${check.uuid}/flips/?end=${start}`)).json.flips).toHaveLength(1);
      expect((await hc('GET', `/checks/${check.uuid}/flips/?seconds=90`)).json.flips).toHaveLength(2);
      expect((await hc('GET', `/checks/${check.uuid}/flips/?seconds=soon`)).status).toBe(400);
    });
  });

  it('badges: six URLs for every tag and for "*", unguessable, stable, the same ones GET /api/v1/badges lists', async () => {
    await make({ name: 'badged', tags: 'backup db' });
    const { badges } = (await hc('GET', '/badges/')).json;
    expect(Object.keys(badges)).toEqual(expect.arrayContaining(['*', 'backup', 'db']));
    expect(Object.keys(badges.backup).sort()).toEqual(['json', 'json3', 'shields', 'shields3', 'svg', 'svg3']);
    const native = (await t.api('GET', '/api/v1/badges')).body;
    const base = `${t.url}/badge/${native.token}`;
    expect(badges.backup).toEqual({
      svg: `${base}/tag/backup.svg?states=2`,
      svg3: `${base}/tag/backup.svg`,
      json: `${base}/tag/backup.json?states=2`,
      json3: `${base}/tag/backup.json`,
      shields: `${base}/tag/backup.shields?states=2`,
      shields3: `${base}/tag/backup.shields`,
    });
    expect(badges['*'].svg3).toBe(native.workspace.svg);
    const ws = await t.api('GET', '/api/v1/workspace');
    expect(JSON.stringify(badges)).not.toContain(ws.body.ping_key);
    expect((await hc('GET', '/badges/')).json.badges.backup).toEqual(badges.backup);
  });

  it('every listed badge URL answers without a key: SVG, the JSON summary, the shields.io document', async () => {
    const check = await make({ name: 'badge target', tags: 'badgetag', timeout: 60, grace: 60 });
    expect((await rawRequest(check.ping_url, { method: 'POST' })).status).toBe(200);
    const { badges } = (await hc('GET', '/badges/')).json;
    for (const tag of ['*', 'badgetag']) {
      for (const [format, url] of Object.entries(badges[tag] as Record<string, string>)) {
        const res = await fetch(url);
        expect(res.status, `${tag} ${format} ${url}`).toBe(200);
        const text = await res.text();
        if (format.startsWith('svg')) {
          expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
          expect(text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        } else if (format.startsWith('json')) {
          expect(JSON.parse(text)).toMatchObject({
            status: expect.any(String),
            total: expect.any(Number),
            grace: expect.any(Number),
            down: expect.any(Number),
          });
        } else {
          expect(JSON.parse(text)).toMatchObject({
            schemaVersion: 1,
            label: expect.any(String),
            message: expect.any(String),
            color: expect.any(String),
          });
        }
      }
    }
    expect(JSON.parse(await (await fetch(badges.badgetag.json)).text())).toEqual({ status: 'up', total: 1, grace: 0, down: 0 });
    // Late: the 3-state badge says so, the 2-state one (healthchecks.io's default) still says up.
    clock.set(clock.now() + 90 * SECOND);
    await t.server.runtime.scheduler.tick();
    expect(JSON.parse(await (await fetch(badges.badgetag.json3)).text())).toEqual({ status: 'late', total: 1, grace: 1, down: 0 });
    expect(JSON.parse(await (await fetch(badges.badgetag.json)).text())).toEqual({ status: 'up', total: 1, grace: 1, down: 0 });
    expect(JSON.parse(await (await fetch(badges.badgetag.shields)).text())).toMatchObject({ message: 'up', color: 'brightgreen' });
  });

  it('a deletion is announced to other instances as the native API announces it', async () => {
    const check = await make({ name: 'announced' });
    const announced: string[] = [];
    const listen = (row: { id: string }) => announced.push(row.id);
    t.server.runtime.feed.on('local:deleted', listen);
    try {
      expect((await hc('DELETE', `/checks/${check.uuid}`)).status).toBe(200);
    } finally {
      t.server.runtime.feed.off('local:deleted', listen);
    }
    expect(announced).toEqual([check.uuid]);
  });

  it('status answers OK without a key', async () => {
    expect(await hc('GET', '/status/', undefined, null)).toMatchObject({ status: 200, body: 'OK' });
  });
});
