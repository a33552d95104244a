// protocol.md §5: bad input gets a 400 with {error: {code, message}}, never a 500, and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCheck } from '../support/checks.js';
import { rawRequest } from '../support/http.js';

function expectError(res: { status: number; body: any }, status: number, code?: string | RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(typeof res.body.error.code).toBe('string');
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(10);
  if (code instanceof RegExp) expect(res.body.error.code).toMatch(code);
  else if (code) expect(res.body.error.code).toBe(code);
}

describe('management API validation', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  async function checkCount(): Promise<number> {
    const row = await t.server.runtime.store.db
      .selectFrom('checks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  const invalidCreates: Array<[string, unknown, string | RegExp, RegExp?]> = [
    [
      'a cron expression with 4 fields',
      { name: 'x', schedule: { kind: 'cron', expr: '0 2 * *', tz: 'UTC' } },
      'invalid_schedule',
      /5 fields/,
    ],
    [
      'a cron expression with a bad field',
      { name: 'x', schedule: { kind: 'cron', expr: '0 25 * * *', tz: 'UTC' } },
      'invalid_schedule',
      /cron/,
    ],
    ['a cron expression of words', { name: 'x', schedule: { kind: 'cron', expr: 'every day at noon', tz: 'UTC' } }, 'invalid_schedule'],
    [
      'an unknown time zone',
      { name: 'x', schedule: { kind: 'cron', expr: '0 2 * * *', tz: 'Mars/Olympus_Mons' } },
      'invalid_schedule',
      /time zone/,
    ],
    ['both grace_s and grace_multiplier', { name: 'x', grace_s: 60, grace_multiplier: 2 }, 'invalid_field', /not both/],
    ['an unknown field', { name: 'x', colour: 'red' }, 'invalid_request', /colour|additional/],
    ['an unknown field in the schedule', { name: 'x', schedule: { kind: 'interval', period_s: 60, every: 2 } }, 'invalid_request'],
    ['an unknown schedule kind', { name: 'x', schedule: { kind: 'weekly' } }, 'invalid_request'],
    ['a schedule that is a string', { name: 'x', schedule: 'hourly' }, 'invalid_request'],
    ['a period that is not a number', { name: 'x', schedule: { kind: 'interval', period_s: 'soon' } }, 'invalid_request'],
    ['a period of zero', { name: 'x', schedule: { kind: 'interval', period_s: 0 } }, 'invalid_request'],
    ['a period over a year', { name: 'x', schedule: { kind: 'interval', period_s: 400 * 86400 } }, 'invalid_schedule'],
    ['a fractional threshold', { name: 'x', failure_threshold: 1.5 }, 'invalid_request'],
    ['a zero threshold', { name: 'x', recovery_threshold: 0 }, 'invalid_request'],
    ['a negative grace', { name: 'x', grace_s: -5 }, 'invalid_request'],
    ['a multiplier below 1', { name: 'x', grace_multiplier: 0.5 }, 'invalid_request'],
    ['a boolean that is not one', { name: 'x', manual_resume: 'maybe' }, 'invalid_request'],
    ['tags that are an object', { name: 'x', tags: { a: 1 } }, 'invalid_request'],
    ['an unknown ping method', { name: 'x', methods: ['PUT'] }, 'invalid_field', /methods/],
    ['an empty method list', { name: 'x', methods: [] }, 'invalid_field'],
    ['no name', { schedule: { kind: 'interval', period_s: 60 } }, 'invalid_request', /name/],
    ['an empty name', { name: '' }, 'invalid_request'],
    ['a blank name', { name: '   ' }, 'invalid_field'],
    ['a slug with spaces', { name: 'x', slug: 'has spaces' }, 'invalid_field', /slug/],
    ['a name that is an object', { name: { first: 'x' } }, 'invalid_request'],
    ['an unknown channel', { name: 'x', channels: ['00000000-0000-4000-8000-000000000000'] }, 'unknown_channel'],
    ['a body that is an array', [{ name: 'x' }], 'invalid_request'],
    ['a body that is null', null, 'invalid_request'],
    ['a body that is a number', 42, 'invalid_request'],
  ];

  for (const [what, body, code, message] of invalidCreates) {
    it(`create with ${what} is a 400 (${code}) and creates nothing`, async () => {
      const before = await checkCount();
      const res = await t.api('POST', '/api/v1/checks', body);
      expectError(res, 400, code);
      if (message) expect(res.body.error.message).toMatch(message);
      expect(await checkCount()).toBe(before);
    });
  }

  it('a schema failure is one sentence naming the field and what it must be, not every branch of a union', async () => {
    const messageFor = async (body: unknown) => (await t.api('POST', '/api/v1/checks', body)).body.error.message;
    expect(await messageFor({ name: 'p', schedule: { kind: 'interval', period_s: 0 }, grace_s: 1 })).toBe(
      'Invalid body: schedule.period_s must be at least 1.',
    );
    expect(await messageFor({ name: 'x', schedule: { kind: 'interval', period_s: 'soon' } })).toBe(
      'Invalid body: schedule.period_s must be an integer.',
    );
    expect(await messageFor({ name: 'x', schedule: { kind: 'interval', period_s: 60, every: 2 } })).toBe(
      'Invalid body: schedule has no field "every".',
    );
    expect(await messageFor({ name: 'x', colour: 'red' })).toBe('Invalid body: there is no field "colour".');
    expect(await messageFor({ name: 'x', schedule: { kind: 'weekly' } })).toBe(
      'Invalid body: schedule.period_s is missing, or schedule.expr is missing.',
    );
    expect(await messageFor({ schedule: { kind: 'interval', period_s: 60 } })).toBe('Invalid body: name is missing.');
  });

  it('a body that is not JSON is a 400 invalid_json', async () => {
    const res = await rawRequest(`${t.url}/api/v1/checks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': t.key },
      body: '{"name": "x",',
    });
    expectError({ status: res.status, body: JSON.parse(res.body) }, 400, 'invalid_json');
  });

  it('an empty JSON body is a 400 with a sentence that says what to do', async () => {
    const res = await rawRequest(`${t.url}/api/v1/checks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': t.key },
      body: '',
    });
    expectError({ status: res.status, body: JSON.parse(res.body) }, 400);
  });

  it('a body of another content type is a 4xx JSON error', async () => {
    const res = await rawRequest(`${t.url}/api/v1/checks`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-api-key': t.key },
      body: 'name=x',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(JSON.parse(res.body).error.code).toBeTypeOf('string');
  });

  it('a body over 1 MB is a 413 JSON error', async () => {
    const res = await rawRequest(`${t.url}/api/v1/checks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': t.key },
      body: JSON.stringify({ name: 'x', description: 'd'.repeat(1024 * 1024) }),
    });
    expectError({ status: res.status, body: JSON.parse(res.body) }, 413, 'body_too_large');
  });

  describe('changes', () => {
    it('PATCH with bad values is a 400 and leaves the check as it was', async () => {
      const check = await createCheck(t, { grace_s: 60 });
      const attempts: Array<[unknown, string]> = [
        [{ grace_multiplier: 2, grace_s: 30 }, 'invalid_field'],
        [{ schedule: { kind: 'cron', expr: '61 * * * *', tz: 'UTC' } }, 'invalid_schedule'],
        [{ schedule: { kind: 'cron', expr: '0 * * * *', tz: 'Nowhere/Land' } }, 'invalid_schedule'],
        [{ id: 'mine' }, 'invalid_request'],
        [{ status: 'up' }, 'invalid_request'],
        [{ failure_threshold: 'three' }, 'invalid_request'],
        [{ name: '' }, 'invalid_request'],
      ];
      for (const [body, code] of attempts) expectError(await t.api('PATCH', `/api/v1/checks/${check.id}`, body), 400, code);
      const after = (await t.api('GET', `/api/v1/checks/${check.id}`)).body;
      expect(after).toEqual(check);
    });

    it('a PATCH body that is not an object is a 400', async () => {
      const check = await createCheck(t);
      expectError(await t.api('PATCH', `/api/v1/checks/${check.id}`, ['x']), 400);
      expectError(await t.api('PATCH', `/api/v1/checks/${check.id}`, 'x'), 400);
    });
  });

  describe('list and history queries', () => {
    it('an unknown status filter, a bad limit or a forged cursor is a 400', async () => {
      expectError(await t.api('GET', '/api/v1/checks?status=sleepy'), 400, 'invalid_request');
      expectError(await t.api('GET', '/api/v1/checks?limit=0'), 400, 'invalid_request');
      expectError(await t.api('GET', '/api/v1/checks?limit=abc'), 400, 'invalid_request');
      expectError(await t.api('GET', '/api/v1/checks?cursor=not-a-cursor'), 400, 'invalid_cursor');
      expectError(await t.api('GET', `/api/v1/checks?cursor=${Buffer.from('[1,2]').toString('base64url')}`), 400, 'invalid_cursor');
    });

    it('a range with from after to, a bad time or too many buckets is a 400', async () => {
      const check = await createCheck(t);
      expectError(
        await t.api('GET', `/api/v1/checks/${check.id}/stats?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`),
        400,
        'invalid_range',
      );
      expectError(await t.api('GET', `/api/v1/checks/${check.id}/stats?from=yesterday`), 400);
      expectError(
        await t.api('GET', `/api/v1/checks/${check.id}/stats?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=1m`),
        400,
        'invalid_range',
      );
      expectError(await t.api('GET', `/api/v1/checks/${check.id}/stats?bucket=0h`), 400, 'invalid_range');
      expectError(await t.api('GET', `/api/v1/checks/${check.id}/stats?bucket=1w`), 400);
      expectError(
        await t.api('GET', `/api/v1/checks/${check.id}/timeline?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`),
        400,
        'invalid_range',
      );
      expectError(await t.api('GET', `/api/v1/checks/${check.id}/runs?cursor=abc`), 400);
      expectError(await t.api('GET', `/api/v1/checks/${check.id}/signals?cursor=1e400`), 400);
    });

    it('a check reference that is neither a UUID nor a key is a 404 JSON error', async () => {
      expectError(await t.api('GET', '/api/v1/checks/not-a-reference'), 404, 'check_not_found');
      expectError(await t.api('GET', `/api/v1/checks/${'x'.repeat(65)}`), 400);
    });

    it('an unknown route is a JSON 404 that points at the API', async () => {
      const res = await t.api('GET', '/api/v1/nothing-here');
      expectError(res, 404, 'not_found');
      expect(res.body.error.message).toMatch(/openapi\.json/);
    });
  });

  describe('channels', () => {
    it('an unknown kind or a webhook without a usable URL is a 400', async () => {
      expectError(await t.api('POST', '/api/v1/channels', { kind: 'pigeon', name: 'x', config: {} }), 400, 'unknown_channel_kind');
      expectError(await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'x', config: {} }), 400, 'invalid_channel');
      expectError(
        await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'x', config: { url: 'not a url' } }),
        400,
        'invalid_channel',
      );
      expectError(
        await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'x', config: { url: 'ftp://example.com/x' } }),
        400,
        'invalid_channel',
      );
      expectError(await t.api('POST', '/api/v1/channels', { kind: 'webhook', name: 'x', config: 'https://example.com' }), 400);
    });
  });

  it('a pile of odd bodies never produces a 500', async () => {
    const check = await createCheck(t);
    const odd: unknown[] = [
      {},
      { name: null },
      { name: 'x'.repeat(201) },
      { name: 'x', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
      { name: 'x', schedule: { kind: 'cron' } },
      { name: 'x', schedule: { kind: 'cron', expr: '' } },
      { name: 'x', schedule: null },
      { name: 'x', schedule: { kind: 'cron', expr: '0 0 31 2 *', tz: 'UTC' } },
      { name: 'x', grace_s: 1e300 },
      { name: 'x', max_runtime_s: 0 },
      { name: 'x', methods: ['GET', 'GET', 'GET', 'GET'] },
      { name: 'x', service: '' },
      { name: 'x', project: 7 },
      { name: 'x', channels: [null] },
      { name: '\u0000', slug: '-leading' },
      { name: 'x', description: null },
      { name: 'x', schedule: { kind: 'interval', period_s: 1.5 } },
      { name: 'x', __proto__: { polluted: true } },
      { name: 'x', constructor: { prototype: {} } },
    ];
    const statuses: number[] = [];
    for (const body of odd) {
      for (const [method, route] of [
        ['POST', '/api/v1/checks'],
        ['PATCH', `/api/v1/checks/${check.id}`],
      ] as const) {
        const res = await t.api(method, route, body);
        statuses.push(res.status);
        expect(res.status, `${method} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.body.error.code).toBeTypeOf('string');
      }
    }
    expect(statuses.some((s) => s === 400)).toBe(true);
  });
});
