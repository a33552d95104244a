// Helpers for tests that work with checks: create through the API, read history, insert many rows fast.
import { expect } from 'vitest';
import type { TestServer } from './server.js';
import type { CheckRow } from '../../src/store/schema.js';
import { newCheckKey, newId, readIdOf } from '../../src/store/ids.js';

/** A fixed starting time for manual clocks, so expected timestamps can be written out literally. */
export const T0 = Date.parse('2026-03-02T10:00:00.000Z');
export const SECOND = 1000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export const iso = (ms: number) => new Date(ms).toISOString();

/** Creates a check through the API (an hourly interval unless `fields` say otherwise) and returns its JSON. */
export async function createCheck(t: TestServer, fields: Record<string, unknown> = {}): Promise<any> {
  const res = await t.api('POST', '/api/v1/checks', {
    name: `check ${Math.random().toString(36).slice(2, 8)}`,
    schedule: { kind: 'interval', period_s: 3600 },
    ...fields,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function readCheck(t: TestServer, ref: string): Promise<any> {
  const res = await t.api('GET', `/api/v1/checks/${ref}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** GET a list route of a check (runs, signals, flips) and return its items. */
export async function history(t: TestServer, ref: string, what: 'runs' | 'signals' | 'flips', query = ''): Promise<any[]> {
  const res = await t.api('GET', `/api/v1/checks/${ref}/${what}${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

/** The workspace's 22-character ping key, for /ping/{ping_key}/{slug}. */
export async function pingKeyOf(t: TestServer, key?: string): Promise<string> {
  const res = await t.api('GET', '/api/v1/workspace', undefined, key);
  expect(res.status).toBe(200);
  return res.body.ping_key;
}

/**
 * Inserts `count` copies of `template` (fresh id, key, slug, name) straight into the store, in chunks:
 * thousands of checks in a second, for tests about cost at scale.
 */
export async function insertClones(
  t: TestServer,
  template: CheckRow,
  count: number,
  change: (i: number) => Partial<CheckRow> = () => ({}),
): Promise<void> {
  const db = t.server.runtime.store.db;
  const rows: CheckRow[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = newId();
    rows.push({
      ...template,
      id,
      read_id: readIdOf(id),
      key: newCheckKey(),
      slug: `bulk-${i}`,
      name: `bulk ${String(i).padStart(6, '0')}`,
      ...change(i),
    });
  }
  // SQLite binds at most 32,766 variables per statement; 40-odd columns × 200 rows stays well below.
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto('checks')
        .values(rows.slice(i, i + 200))
        .execute();
  });
}

export async function checkRow(t: TestServer, id: string): Promise<CheckRow> {
  return t.server.runtime.store.db.selectFrom('checks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
