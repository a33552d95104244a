// Whatever a file holds, POST /api/v1/apply answers 200 or a 400 that lists problems, never a 5xx, and a refused
// file writes nothing.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const field = fc.constantFrom(
  'slug',
  'name',
  'schedule',
  'grace_s',
  'grace_multiplier',
  'tags',
  'channels',
  'methods',
  'severity',
  'kind',
  'config',
  'is_default',
  '__proto__',
  'constructor',
);
const entry = fc.dictionary(field, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
const document = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record(
    {
      version: fc.oneof(fc.constant(1), fc.jsonValue({ maxDepth: 1 })),
      checks: fc.array(entry, { maxLength: 4 }),
      channels: fc.array(entry, { maxLength: 3 }),
    },
    { requiredKeys: [] },
  ),
  fc.string({ maxLength: 300 }),
  fc.constantFrom('a: &x [*x]', 'checks: [', '- - -', 'checks:\n  - slug: a\n    slug: b\n', '!!binary AAAA', 'a: b: c'),
);

describe('hostile monitors-as-code files', () => {
  it('are answered 200 or 400 with problems, never 5xx, and a 400 writes nothing', async () => {
    const snapshot = async () => JSON.stringify((await t.api('GET', '/api/v1/export?format=json')).body);
    await fc.assert(
      fc.asyncProperty(document, fc.boolean(), async (doc, prune) => {
        const before = await snapshot();
        const res = await t.api('POST', '/api/v1/apply', { document: doc, prune, dry_run: false });
        expect([200, 400], JSON.stringify(res.body)).toContain(res.status);
        if (res.status === 400) {
          expect(res.body.error.code).toMatch(/^[a-z_]+$/);
          expect(await snapshot()).toBe(before);
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
