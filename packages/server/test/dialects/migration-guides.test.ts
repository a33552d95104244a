// The Cronitor and Uptime Kuma migration guides, run verbatim: every curl command of their ```sh blocks is read
// from the Markdown and sent as curl sends it (host swapped for the test server's), and the Node SDK setting the
// Cronitor guide gives is evaluated and used the way the SDK uses it (requests as captured from cronitor@2.6.1).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { history, pingKeyOf, readCheck, SECOND, T0 } from '../support/checks.js';
import { rawRequest } from '../support/http.js';
import { curl, onServer } from './support/replay.js';

const guide = (name: string) => fs.readFileSync(new URL(`../../../../docs/migrating/${name}`, import.meta.url), 'utf8');

/** The curl commands of a guide's ```sh blocks, continuation lines joined, in order. */
function curlCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('curl ')),
  );
}

/** The fenced block of a language, verbatim. */
function codeBlock(markdown: string, language: string): string {
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(markdown);
  if (!match) throw new Error(`no ${language} block`);
  return match[1];
}

describe('docs/migrating/cronitor.md', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  let env: Record<string, string>;
  const checkBySlug = async (slug: string) => (await t.api('GET', `/api/v1/checks?q=${slug}`)).body.items.find((c: any) => c.slug === slug);
  beforeAll(async () => {
    t = await startTestServer({ clock });
    env = { OVERDUE_PING_KEY: await pingKeyOf(t), RUN_ID: '4f1c2a9e' };
  });
  afterAll(async () => {
    await t.close();
  });

  it('the curl examples: a run, its completion with metrics, a failure with its exit status, a heartbeat', async () => {
    const [run, complete, fail, heartbeat, ...rest] = curlCommands(guide('cronitor.md'));
    expect(rest).toEqual([]);
    expect((await curl(t.url, run, env)).status).toBe(200);
    const check = await checkBySlug('nightly-job');
    expect(check).toMatchObject({ name: 'nightly-job', running: true });
    clock.advance(30 * SECOND);
    expect((await curl(t.url, complete, env)).status).toBe(200);
    const [done] = await history(t, check.id, 'runs');
    expect(done).toMatchObject({ rid: '4f1c2a9e', result: 'success', duration_ms: 30_000, host: 'db-1' });
    expect((await history(t, check.id, 'signals'))[0].metadata).toMatchObject({ metrics: { count: 42, duration: 12.5 } });
    expect((await curl(t.url, fail, env)).status).toBe(200);
    expect(await readCheck(t, check.id)).toMatchObject({ status: 'down', last_message: 'exit status 3' });
    expect((await history(t, check.id, 'signals'))[0]).toMatchObject({ kind: 'fail', exit_code: 3 });
    expect((await curl(t.url, heartbeat, env)).status).toBe(200);
    expect(await checkBySlug('queue-heartbeat')).toMatchObject({ status: 'up' });
  });

  it('the Node SDK setting: wrap() sends run and complete to the URL it builds, and they make one timed run', async () => {
    const js = codeBlock(guide('cronitor.md'), 'js');
    const line = js.split('\n').find((l) => l.startsWith('cronitor._api.pingUrl = '))!;
    const pingUrl = new Function('process', `return ${line.slice('cronitor._api.pingUrl = '.length).replace(/;$/, '')}`)({ env }) as (
      key: string,
    ) => string;
    const base = onServer(pingUrl('sdk-wrapped-job'), t.url);
    expect(base).toBe(`${t.url}/ping/${env.OVERDUE_PING_KEY}/sdk-wrapped-job`);
    // What cronitor@2.6.1's wrap() sends (captured in the clients report): GET, Basic auth with the key, axios headers.
    const headers = {
      accept: 'application/json, text/plain, */*',
      'user-agent': 'cronitor-js',
      authorization: `Basic ${Buffer.from(`${env.OVERDUE_PING_KEY}:`).toString('base64')}`,
    };
    expect((await rawRequest(`${base}?state=run&series=6359043d&host=worker-01&stamp=1796391961.49`, { headers })).status).toBe(200);
    clock.advance(2 * SECOND);
    expect(
      (
        await rawRequest(`${base}?state=complete&message=processed%2042%20rows&series=6359043d&host=worker-01&stamp=1796391961.506`, {
          headers,
        })
      ).status,
    ).toBe(200);
    const check = await checkBySlug('sdk-wrapped-job');
    expect(check).toMatchObject({ status: 'up', run_count: 1, last_duration_ms: 2000, last_message: 'processed 42 rows' });
  });
});

describe('docs/migrating/uptime-kuma.md', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('creating the check with the kept token, then the push URLs: up, down with a message, up with a response time', async () => {
    const [create, up, down, withPing, ...rest] = curlCommands(guide('uptime-kuma.md'));
    expect(rest).toEqual([]);
    const env = { OVERDUE_KEY: t.key };
    const created = await curl(t.url, create, env);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'backup',
      push_token: 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6',
      schedule: { kind: 'interval', period_s: 60 },
      grace_s: 60,
    });
    const first = await curl(t.url, up, env);
    expect([first.status, first.json]).toEqual([200, { ok: true }]);
    expect((await readCheck(t, created.json.id)).status).toBe('up');
    expect((await curl(t.url, down, env)).json).toEqual({ ok: true });
    expect(await readCheck(t, created.json.id)).toMatchObject({ status: 'down', last_message: 'disk full' });
    await curl(t.url, withPing, env);
    expect((await readCheck(t, created.json.id)).status).toBe('up');
    expect((await history(t, created.json.id, 'signals'))[0]).toMatchObject({
      kind: 'success',
      dialect: 'uptime-kuma',
      metadata: { ping_ms: 123.4 },
    });
  });
});
