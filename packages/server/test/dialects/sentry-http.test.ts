// Sentry's HTTP check-in API (/api/{project}/cron/{slug}/{key}/): the curl examples of docs/migrating/sentry.md
// replayed verbatim, the query and body forms, 202 answers, refusals, and rate limiting the way the SDKs read it.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { history, MINUTE, pingKeyOf, readCheck, SECOND, T0 } from '../support/checks.js';
import { rawRequest } from '../support/http.js';
import { curl, shellWords, type Replayed } from './support/replay.js';

const GUIDE = fs.readFileSync(new URL('../../../../docs/migrating/sentry.md', import.meta.url), 'utf8');

/** The guide's ```sh blocks, each as its commands (continuations joined, comments and blank lines dropped). */
function shellBlocks(markdown: string): string[][] {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
    m[1]
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#')),
  );
}

/** Runs a block as a shell would run these lines: VAR="…" assigns (expanded), curl lines are sent. */
async function runBlock(base: string, lines: string[], env: Record<string, string>): Promise<Replayed[]> {
  const answers: Replayed[] = [];
  for (const line of lines) {
    const assignment = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (assignment) env[assignment[1]] = shellWords(assignment[2], env)[0];
    else answers.push(await curl(base, line, env));
  }
  return answers;
}

describe('Sentry HTTP check-ins', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  let pingKey: string;
  const bySlug = async (slug: string) => (await t.api('GET', '/api/v1/checks?limit=200')).body.items.find((c: any) => c.slug === slug);
  beforeAll(async () => {
    t = await startTestServer({ clock });
    pingKey = await pingKeyOf(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it("the guide's curl examples, verbatim: a run, a success, a failure, an upsert and an overlapping run with its own id", async () => {
    const blocks = shellBlocks(GUIDE);
    expect(blocks).toHaveLength(3);
    const env: Record<string, string> = { OVERDUE_PING_KEY: pingKey, CHECK_IN_ID: '5ad9b6a6-53e4-4c8e-9d5a-3e1f2a7b9c01' };

    // The first block: SENTRY_CRONS=…, then in_progress, ok and error, with time passing between them.
    const [started] = await runBlock(t.url, blocks[0].slice(0, 2), env);
    clock.advance(2 * MINUTE);
    const [ok] = await runBlock(t.url, blocks[0].slice(2, 3), env);
    clock.advance(MINUTE);
    const [failed] = await runBlock(t.url, blocks[0].slice(3), env);
    for (const res of [started, ok, failed]) expect(res).toMatchObject({ status: 202, body: '' });
    expect(started.sent).toMatchObject({ method: 'GET', url: `${t.url}/api/1/cron/nightly-backup/${pingKey}/?status=in_progress` });
    const check = await bySlug('nightly-backup');
    expect(check).toMatchObject({ status: 'down', signal_count: 3, run_count: 1 });
    expect((await history(t, check.id, 'runs'))[0]).toMatchObject({ result: 'success', duration_ms: 2 * MINUTE });

    const [upsert] = await runBlock(t.url, blocks[1], env);
    expect(upsert).toMatchObject({ status: 202, sent: { method: 'POST' } });
    expect(await readCheck(t, check.id)).toMatchObject({
      status: 'up',
      schedule: { kind: 'cron', expr: '0 2 * * *', tz: 'Europe/Berlin' },
      grace_s: 300,
      max_runtime_s: 1800,
    });

    const [begin] = await runBlock(t.url, blocks[2].slice(0, 1), env);
    clock.advance(42 * SECOND);
    const [end] = await runBlock(t.url, blocks[2].slice(1), env);
    expect([begin.status, end.status]).toEqual([202, 202]);
    const [run] = await history(t, check.id, 'runs');
    expect(run).toMatchObject({ rid: '5ad9b6a653e44c8e9d5a3e1f2a7b9c01', result: 'success', duration_ms: 42_000 });
    expect((await history(t, check.id, 'signals'))[0].metadata).toMatchObject({
      duration_s: 42,
      check_in_id: '5ad9b6a653e44c8e9d5a3e1f2a7b9c01',
    });
  });

  it("the guide's DSN has the ping key as its public key and any project id", () => {
    expect(GUIDE).toContain('SENTRY_DSN=https://<ping key>@overdue.example.com/1');
  });

  it('a form body, a body without a Content-Type, and the key in X-Sentry-Auth on the path without one', async () => {
    const base = `${t.url}/api/7/cron/form-job`;
    const form = await rawRequest(`${base}/${pingKey}/`, {
      method: 'POST',
      body: 'status=in_progress&environment=staging',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form).toMatchObject({ status: 202, body: '' });
    const bare = await rawRequest(`${base}/${pingKey}`, { method: 'POST', body: '{"status":"ok","duration":"3.5"}' });
    expect(bare.status).toBe(202);
    const headerKey = await rawRequest(`${base}/?status=ok`, {
      headers: { 'x-sentry-auth': `Sentry sentry_key=${pingKey}, sentry_version=7` },
    });
    expect(headerKey.status).toBe(202);
    const check = await bySlug('form-job');
    expect(check).toMatchObject({ signal_count: 3, run_count: 1 });
    const signals = await history(t, check.id, 'signals');
    expect(signals.map((s) => s.metadata)).toEqual([
      { sentry_project: '7' },
      { sentry_project: '7', duration_s: 3.5 },
      { sentry_project: '7', environment: 'staging' },
    ]);
  });

  it("an interval upsert in the body; a sub-hour unit and a string value as Sentry's docs write them", async () => {
    const res = await rawRequest(`${t.url}/api/1/cron/every-two-hours/${pingKey}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        status: 'ok',
        monitor_config: {
          schedule: { type: 'interval', value: '2', unit: 'hour' },
          checkin_margin: 0.5,
          max_runtime: 90,
          failure_issue_threshold: 3,
        },
      }),
    });
    expect(res.status).toBe(202);
    expect(await bySlug('every-two-hours')).toMatchObject({
      schedule: { kind: 'interval', period_s: 7200 },
      grace_s: 30,
      max_runtime_s: 5400,
      failure_threshold: 3,
    });
  });

  it('refusals: JSON errors with a code, nothing stored', async () => {
    const before = (await t.api('GET', '/api/v1/checks?limit=200')).body.items.length;
    const ask = (path: string, init: { method?: string; body?: string } = {}) =>
      rawRequest(`${t.url}${path}`, init).then((r) => ({ status: r.status, json: JSON.parse(r.body) }));
    expect(await ask(`/api/1/cron/refused/${pingKey}/`)).toMatchObject({ status: 400, json: { error: { code: 'invalid_check_in' } } });
    expect(await ask(`/api/1/cron/refused/${pingKey}/?status=done`)).toMatchObject({
      status: 400,
      json: { error: { code: 'invalid_check_in' } },
    });
    expect(await ask(`/api/1/cron/refused/${pingKey}/?status=ok&duration=soon`)).toMatchObject({
      status: 400,
      json: { error: { code: 'invalid_check_in' } },
    });
    expect(
      await ask(`/api/1/cron/refused/${pingKey}/`, { method: 'POST', body: '{"status": "ok", "monitor_config": {"schedule": "daily"}}' }),
    ).toMatchObject({ status: 400, json: { error: { code: 'invalid_monitor_config' } } });
    expect(await ask(`/api/1/cron/refused/${pingKey}/`, { method: 'POST', body: '{"status": "ok"' })).toMatchObject({
      status: 400,
      json: { error: { code: 'invalid_json' } },
    });
    expect(await ask('/api/1/cron/refused/?status=ok')).toMatchObject({ status: 401, json: { error: { code: 'missing_dsn_key' } } });
    expect(await ask('/api/1/cron/refused/examplePublicKey/?status=ok')).toMatchObject({
      status: 401,
      json: { error: { code: 'invalid_dsn_key' } },
    });
    expect((await t.api('GET', '/api/v1/checks?limit=200')).body.items.length).toBe(before);
  });
});

describe("Sentry check-ins beyond a check's ping rate limit", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: new ManualClock(T0), env: { OVERDUE_PING_RATE_LIMIT: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('are all stored and answered 202: the SDK would drop a check-in it got a 429 for', async () => {
    const url = `${t.url}/api/1/cron/busy/${await pingKeyOf(t)}/?status=ok`;
    const statuses: number[] = [];
    // A bucket of 10 (1/s with bursts of 10×) and a clock that does not move: a plain ping would be refused at 11.
    for (let i = 0; i < 15; i += 1) statuses.push((await rawRequest(url)).status);
    expect(statuses).toEqual(Array(15).fill(202));
    const check = (await t.api('GET', '/api/v1/checks')).body.items[0];
    expect((await history(t, check.id, 'signals')).length).toBe(15);
    // The same check's native ping URL keeps its limit.
    const pings: number[] = [];
    for (let i = 0; i < 11; i += 1) pings.push((await rawRequest(`${t.url}/ping/${check.id}`)).status);
    expect(pings).toEqual([...Array(10).fill(200), 429]);
  });
});
