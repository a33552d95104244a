// Badges: SVG, a JSON summary and a shields.io endpoint document per workspace, check and tag, at URLs whose token
// is the only credential.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, MINUTE, T0 } from '../support/checks.js';

async function get(url: string) {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), text: await res.text() };
}

/** The SVG must be well-formed XML; returns its visible texts and its accessible label. */
function readSvg(svg: string): { texts: string[]; label: string; width: number } {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}\n${svg}`);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', processEntities: true, htmlEntities: true }).parse(svg);
  const root = doc.svg;
  const texts = ([] as any[]).concat(root.g.find((g: any) => g.text).text).map((t: any) => (typeof t === 'object' ? t['#text'] : t));
  return { texts: texts.map(String), label: root['aria-label'], width: Number(root.width) };
}

describe('badges', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  let badges: any;
  let api: any;
  let db: any;

  beforeAll(async () => {
    t = await startTestServer({ clock });
    api = await createCheck(t, {
      name: 'API <probe> & "health"',
      slug: 'api-probe',
      tags: ['prod', 'web frontend'],
      schedule: { kind: 'interval', period_s: 300 },
      grace_s: 60,
    });
    db = await createCheck(t, {
      name: 'DB backup',
      slug: 'db-backup',
      tags: ['prod'],
      schedule: { kind: 'interval', period_s: 300 },
      grace_s: 60,
    });
    await t.ping(`/ping/${api.id}`);
    await t.ping(`/ping/${db.id}`);
    badges = (await t.api('GET', '/api/v1/badges', undefined, await t.keyWithScope('read'))).body;
  });
  afterAll(async () => {
    await t.close();
  });

  it('a read key learns the badge URLs of the workspace, every check and every tag, under one unguessable token', () => {
    expect(badges.token).toMatch(/^[0-9A-Za-z]{22}$/);
    const base = `${t.url}/badge/${badges.token}`;
    expect(badges.workspace).toEqual({ svg: `${base}.svg`, json: `${base}.json`, shields: `${base}.shields` });
    expect(badges.checks.map((c: any) => c.svg)).toEqual([`${base}/api-probe.svg`, `${base}/db-backup.svg`]);
    expect(badges.tags).toEqual([
      { tag: 'prod', svg: `${base}/tag/prod.svg`, json: `${base}/tag/prod.json`, shields: `${base}/tag/prod.shields` },
      {
        tag: 'web frontend',
        svg: `${base}/tag/web%20frontend.svg`,
        json: `${base}/tag/web%20frontend.json`,
        shields: `${base}/tag/web%20frontend.shields`,
      },
    ]);
  });

  it("a check badge is well-formed SVG that says the check's name and status, escaped, served uncached without a key", async () => {
    const res = await get(badges.checks[0].svg);
    expect(res).toMatchObject({ status: 200, type: 'image/svg+xml; charset=utf-8', cache: 'no-cache, max-age=0' });
    const svg = readSvg(res.text);
    expect(svg.label).toBe('API <probe> & "health": up');
    expect(svg.texts).toEqual(['API <probe> & "health"', 'API <probe> & "health"', 'up', 'up']);
    expect(res.text).not.toContain('<probe>');
    expect(res.text).toContain('fill="#4c1"');
    expect(svg.width).toBeGreaterThan(100);
  });

  it('the shields form is a shields.io endpoint document; the JSON form sums up status, checks, late and down', async () => {
    const shields = await get(badges.checks[1].shields);
    expect(shields.type).toBe('application/json; charset=utf-8');
    expect(JSON.parse(shields.text)).toEqual({ schemaVersion: 1, label: 'DB backup', message: 'up', color: 'brightgreen' });
    const json = await get(badges.checks[1].json);
    expect(json.type).toBe('application/json; charset=utf-8');
    expect(JSON.parse(json.text)).toEqual({ status: 'up', total: 1, grace: 0, down: 0 });
    expect(JSON.parse((await get(badges.workspace.json)).text)).toEqual({ status: 'up', total: 2, grace: 0, down: 0 });
    expect(readSvg((await get(badges.workspace.svg)).text).label).toBe('Default: up');
  });

  it('badges follow the status, and a tag badge shows the worst status of its checks', async () => {
    clock.set(T0 + 5 * MINUTE + 30_000);
    await t.server.runtime.scheduler.tick(); // both late
    await t.ping(`/ping/${api.id}`);
    expect(JSON.parse((await get(badges.tags[0].shields)).text)).toMatchObject({ label: 'prod', message: 'late', color: 'orange' });
    expect(JSON.parse((await get(badges.tags[0].json)).text)).toEqual({ status: 'late', total: 2, grace: 1, down: 0 });
    // 2-state badges show late as up: only down is news.
    expect(JSON.parse((await get(`${badges.tags[0].shields}?states=2`)).text)).toMatchObject({ message: 'up', color: 'brightgreen' });
    expect(JSON.parse((await get(`${badges.tags[0].json}?states=2`)).text)).toEqual({ status: 'up', total: 2, grace: 1, down: 0 });
    clock.set(T0 + 7 * MINUTE);
    await t.server.runtime.scheduler.tick(); // db down, api still up
    expect(readSvg((await get(badges.checks[1].svg)).text).label).toBe('DB backup: down');
    expect(readSvg((await get(badges.tags[0].svg)).text).label).toBe('prod: down');
    expect(readSvg((await get(badges.tags[1].svg)).text).label).toBe('web frontend: up');
    expect(JSON.parse((await get(badges.checks[1].shields)).text)).toMatchObject({ message: 'down', color: 'red' });
    expect(JSON.parse((await get(`${badges.workspace.json}?states=2`)).text)).toEqual({ status: 'down', total: 2, grace: 0, down: 1 });
  });

  it('unknown tokens, slugs, tags and formats are 404s with a JSON error', async () => {
    for (const url of [
      `${t.url}/badge/AAAAAAAAAAAAAAAAAAAAAA/api-probe.svg`,
      `${t.url}/badge/${badges.token}/nope.svg`,
      `${t.url}/badge/${badges.token}/tag/nope.json`,
      `${t.url}/badge/${badges.token}/api-probe.png`,
      `${t.url}/badge/short/api-probe.svg`,
      `${t.url}/badge/AAAAAAAAAAAAAAAAAAAAAA.svg`,
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(JSON.parse(res.text).error.code).toBe('badge_not_found');
    }
    const states = await get(`${badges.checks[0].svg}?states=4`);
    expect(states.status).toBe(400);
    expect(JSON.parse(states.text).error.code).toBe('invalid_field');
  });

  it("a token shows only its own workspace's checks", async () => {
    const other = await t.otherWorkspace('write');
    await t.api(
      'POST',
      '/api/v1/checks',
      { name: 'secret job', slug: 'secret-job', schedule: { kind: 'interval', period_s: 60 } },
      other.key,
    );
    expect((await get(`${t.url}/badge/${badges.token}/secret-job.svg`)).status).toBe(404);
    const theirs = (await t.api('GET', '/api/v1/badges', undefined, other.key)).body;
    expect(theirs.token).not.toBe(badges.token);
    expect(theirs.checks.map((c: any) => c.slug)).toEqual(['secret-job']);
    expect((await get(`${t.url}/badge/${theirs.token}/api-probe.svg`)).status).toBe(404);
  });

  it('rotating the token (write key) retires every URL handed out before', async () => {
    expect((await t.api('POST', '/api/v1/badges/rotate', undefined, await t.keyWithScope('read'))).status).toBe(403);
    const rotated = (await t.api('POST', '/api/v1/badges/rotate')).body;
    expect(rotated.token).not.toBe(badges.token);
    expect((await get(badges.checks[0].svg)).status).toBe(404);
    expect((await get(rotated.checks[0].svg)).status).toBe(200);
    expect((await t.api('GET', '/api/v1/badges')).body.token).toBe(rotated.token);
  });
});
