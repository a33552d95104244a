// Hostile input, generated: random methods, paths, headers, query strings and bodies (binary, huge, deeply
// nested JSON, invalid UTF-8) against every route the app registered. No 5xx, no crash, no hang, and a request
// that is refused writes nothing.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { routesOf, type Route } from '../support/routes.js';
import { sendRaw, type RawRequest } from '../support/raw-http.js';
import { report } from '../support/report.js';
import { fingerprintOf } from '../support/store-snapshot.js';

/** Cases per `npm test`; set OVERDUE_FUZZ_CASES higher to hunt longer (15,000 ran clean when this was written). */
const CASES = Number(process.env.OVERDUE_FUZZ_CASES ?? 1500);
const HANG_MS = 10_000;

const text = (max: number) => fc.string({ unit: 'binary', maxLength: max });
const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
/** Invalid UTF-8 sequences: lone continuation bytes, overlongs, surrogates, truncated sequences. */
const badUtf8 = fc.constantFrom(...['ff', 'c0af', 'eda080', 'f4908080', 'e282', '80', 'fe', 'c3'].map((h) => Buffer.from(h, 'hex')));

function deepJson(depth: number, kind: 'array' | 'object'): Buffer {
  return Buffer.from(kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}

describe('fuzzing every route with hostile requests', () => {
  let t: TestServer;
  let port: number;
  let check: { id: string; key: string };
  let pingKey: string;
  beforeAll(async () => {
    t = await startTestServer();
    port = Number(new URL(t.url).port);
    const created = await t.api('POST', '/api/v1/checks', { name: 'fuzz target', schedule: { kind: 'interval', period_s: 3600 } });
    check = { id: created.body.id, key: created.body.key };
    pingKey = (await t.api('GET', '/api/v1/workspace')).body.ping_key;
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses numbers that overflow to Infinity (found by this fuzz test: ?limit=1e309 was a 500)', async () => {
    for (const route of ['/api/v1/checks?limit=1e309', '/api/v1/incidents?limit=-1e309', `/api/v1/checks/${check.id}/runs?limit=1e999`]) {
      const res = await t.api('GET', route);
      expect(res.status, route).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    const before = await fingerprintOf(t.server.runtime.store.db);
    const patched = await fetch(`${t.url}/api/v1/checks/${check.id}`, {
      method: 'PATCH',
      headers: { 'x-api-key': t.key, 'content-type': 'application/json' },
      body: '{"grace_s": "1e309"}',
    });
    expect(patched.status).toBe(400);
    expect(await fingerprintOf(t.server.runtime.store.db)).toBe(before);
  });

  it(`answers ${CASES} hostile requests below 500, in time, writing nothing when it refuses`, async () => {
    const routes = routesOf(t);
    expect(routes.length).toBeGreaterThan(10);
    const validParam = fc.constantFrom(check.id, check.key, check.id.toUpperCase(), `${pingKey}/fuzz-target`, 'fuzz-target');
    const hostileParam = fc.oneof(
      text(40).map((s) => encodeURIComponent(s)),
      text(20),
      fc.constantFrom(
        '..',
        '../../etc/passwd',
        '%2e%2e%2f',
        '%00',
        '%zz',
        '%',
        '%c0%af',
        'a'.repeat(600),
        '1e999',
        '-1',
        'null',
        '__proto__',
        '*',
      ),
      badUtf8.map((b) => b.toString('latin1')),
    );
    const param = fc.oneof({ weight: 2, arbitrary: validParam }, { weight: 3, arbitrary: hostileParam });
    const pathOf = (route: Route) =>
      fc.tuple(fc.array(param, { minLength: 3, maxLength: 3 }), fc.array(hostileParam, { maxLength: 3 })).map(([params, extra]) => {
        let i = 0;
        let p = route.url.replace(/:[a-z_]+/gi, () => params[i++ % 3]);
        if (p.endsWith('*')) p = p.slice(0, -1) + [params[0], ...extra].join('/');
        return p;
      });
    const query = fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom(
              'limit',
              'cursor',
              'status',
              'q',
              'from',
              'to',
              'bucket',
              'rid',
              'msg',
              'create',
              'full',
              'open',
              'check',
              'tag',
              'run',
              '__proto__',
              'limit[]',
            ),
            text(8),
          ),
          fc.oneof(
            text(30),
            fc.constantFrom(
              '-1',
              '0',
              '1',
              '1e309',
              'NaN',
              'true',
              '9'.repeat(40),
              '%zz',
              '2026-13-45T99:99:99Z',
              '1h',
              '0s',
              '99999d',
              'a'.repeat(3000),
            ),
          ),
        ),
        { maxLength: 4 },
      )
      .map((pairs) =>
        pairs.length
          ? '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${Math.random() < 0.8 ? encodeURIComponent(v) : v}`).join('&')
          : '',
      );
    const body = fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
      {
        weight: 3,
        arbitrary: fc
          .record(
            {
              name: fc.oneof(text(30), fc.constant('x'.repeat(300)), fc.integer()),
              schedule: fc.oneof(
                fc.constant({ kind: 'interval', period_s: 60 }),
                fc.constant({ kind: 'cron', expr: '61 * * * *', tz: 'Mars/Base' }),
                fc.jsonValue(),
              ),
              grace_s: fc.oneof(fc.integer(), fc.constant(null), fc.double()),
              kind: fc.constantFrom('webhook', 'nope', ''),
              config: fc.oneof(fc.constant({ url: 'http://127.0.0.1:1/x' }), fc.jsonValue()),
              scope: fc.constantFrom('read', 'write', 'ping', 'root'),
              tags: fc.array(text(70), { maxLength: 60 }),
              __proto__: fc.constant({ polluted: true }),
            },
            { requiredKeys: [] },
          )
          .map((v) => Buffer.from(JSON.stringify(v))),
      },
      { weight: 2, arbitrary: bytes(4096) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.integer({ min: 100, max: 200_000 }), fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>)
          .map(([d, k]) => deepJson(d, k)),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(text(20), badUtf8, text(20))
          .map(([a, b, c]) =>
            Buffer.concat([
              Buffer.from(`{"name":"${a.replace(/["\\]/g, '')}`),
              b,
              Buffer.from(`${c.replace(/["\\]/g, '')}","message":"x"}`),
            ]),
          ),
      },
      { weight: 1, arbitrary: fc.constantFrom(900 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024).map((n) => Buffer.alloc(n, 0x7b)) },
    );
    const contentType = fc.option(
      fc.constantFrom(
        'application/json',
        'application/json; charset=latin1',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'a/b/c',
        '',
        'application/json, text/plain',
        'application/octet-stream',
        'application/vnd.api+json',
        ';;;',
      ),
      { nil: undefined },
    );
    const headerValue = fc.oneof(
      text(40).map((s) => s.replace(/[\r\n\0]/g, '')),
      fc.constantFrom(t.key, `Bearer ${t.key}`, 'Bearer ', 'Basic Og==', 'x'.repeat(8000)),
    );
    const headers = fc
      .tuple(
        contentType,
        // Mostly the admin key, so most requests get past authentication into the code behind it.
        fc.oneof(
          { weight: 6, arbitrary: fc.constant(t.key) },
          { weight: 2, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constantFrom('od_wrong', '', 'k'.repeat(9000)) },
        ),
        fc.array(
          fc.tuple(
            fc.constantFrom(
              'authorization',
              'accept',
              'content-encoding',
              'user-agent',
              'x-forwarded-for',
              'cookie',
              'origin',
              'accept-encoding',
              'x-api-key',
            ),
            headerValue,
          ),
          { maxLength: 3 },
        ),
      )
      .map(([type, key, extra]) => {
        const list: Array<[string, string]> = [];
        if (type !== undefined) list.push(['Content-Type', type]);
        if (key !== undefined) list.push(['X-Api-Key', key]);
        return [...list, ...extra];
      });
    const method = (route: Route) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(route.method) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'CONNECT', 'FOO'),
        },
      );
    const request = fc.constantFrom(...routes).chain((route) =>
      fc.record({
        route: fc.constant(route),
        method: method(route),
        path: pathOf(route),
        query,
        headers,
        body,
      }),
    );

    let cases = 0;
    let refused = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const raw: RawRequest = { method: r.method, path: Buffer.from(r.path + r.query, 'latin1'), headers: r.headers, body: r.body };
        const before = await fingerprintOf(t.server.runtime.store.db);
        const answer = await sendRaw(port, raw, HANG_MS);
        cases += 1;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const label = `${r.method} ${r.path.slice(0, 200)}${r.query.slice(0, 100)} (route ${r.route.method} ${r.route.url}, body ${r.body?.length ?? 0} bytes)`;
        // Node closes a CONNECT (a tunnel request) without a word when nothing handles tunnels: a refusal, not a crash.
        if (answer.status === 0 && r.method === 'CONNECT') return;
        expect(answer.status, `${label}: ${answer.head}`).toBeGreaterThanOrEqual(100);
        expect(answer.status, `${label}: ${answer.head}`).toBeLessThan(500);
        if (answer.status >= 400) {
          refused += 1;
          // Give any stray write (there must be none) the chance to land before looking.
          await new Promise((resolve) => setImmediate(resolve));
          expect(await fingerprintOf(t.server.runtime.store.db), `${label} was refused with ${answer.status} but changed the store`).toBe(
            before,
          );
        }
      }),
      { numRuns: CASES, endOnFailure: true },
    );

    // Still alive and answering after all of it.
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    report('fuzz', {
      cases,
      refused,
      routes: routes.length,
      statuses: [...statuses]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}x${n}`)
        .join(','),
    });
  }, 170_000);
});
