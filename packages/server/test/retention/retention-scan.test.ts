// The retention pass looks for checks over their signal limit page by page, in short statements (on SQLite, windows of
// the table's own order): paging from the start to the end finds every such check once, and no other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, T0 } from '../support/checks.js';
import { checksOverSignalLimit, type OverLimitCursor } from '../../src/store/retention.js';

describe('finding the checks over their signal limit', () => {
  let t: TestServer;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('paging with small windows and pages visits every check over 3 signals exactly once, across empty windows', async () => {
    const checks: any[] = [];
    for (let i = 0; i < 9; i += 1) checks.push(await createCheck(t, { name: `scan ${i}` }));
    // Over the threshold: the first, two in the middle and the last; the others got 3 signals or none.
    const busy = [0, 4, 5, 8].map((i) => checks[i].id);
    for (const [i, check] of checks.entries()) {
      const pings = busy.includes(check.id) ? 5 : i % 2 === 0 ? 3 : 0;
      for (let n = 0; n < pings; n += 1) expect((await t.ping(`/ping/${check.id}`)).status).toBe(200);
    }
    const db = t.server.runtime.store.db;
    const found: string[] = [];
    let cursor: OverLimitCursor | null = null;
    let pages = 0;
    do {
      const page = await checksOverSignalLimit(db, 3, cursor, 1, 2);
      found.push(...page.checks.map((c) => c.id));
      cursor = page.next;
      pages += 1;
      expect(pages).toBeLessThan(50);
    } while (cursor);
    expect(found.sort()).toEqual([...busy].sort());
  });
});
