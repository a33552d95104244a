// Reads beside ingest: while a steady stream of pings runs, the worst request of each read route (a stats range
// decades ahead, full signal bodies, a thousand checks, ...) is sent again and again. Every read is answered, and
// every ping is answered 200 meanwhile: a read that broke or shed ingest fails here. How much a read delays the pings
// is a figure, not an assertion (this machine is noisy): `npm run bench` (bench/read-stalls.mjs) prints it beside
// the pings-alone baseline.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { checkRow, insertClones } from '../support/checks.js';
import { expectedBeatsPerBucket } from '../../src/core/index.js';
import { worstReads } from '../../../../bench/lib/worst-reads.mjs';

const DAY = 86_400_000;
const PING_EVERY_MS = 5;
/** Each worst request is sent this many times, a pause apart: reads beside pings, not a read flood. */
const READS = 3;
const PAUSE_MS = 100;

/** GET whose answer is read and thrown away: the client must not spend the event loop parsing megabytes. */
function drain(url: string, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'x-api-key': key }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** Pings every PING_EVERY_MS while `busy` runs, and returns how each was answered (0: the connection failed). */
async function pingStatusesDuring(t: TestServer, pingPath: string, busy: () => Promise<void>): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const statuses: Promise<number>[] = [];
  const ping = () =>
    new Promise<number>((resolve) => {
      http
        .get(t.url + pingPath, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
        .on('error', () => resolve(0));
    });
  const timer = setInterval(() => statuses.push(ping()), PING_EVERY_MS);
  try {
    await busy();
  } finally {
    clearInterval(timer);
  }
  const answered = await Promise.all(statuses);
  agent.destroy();
  return answered;
}

describe('reads beside ingest', () => {
  let t: TestServer;
  let target: any;

  // The worst request of each read route (the checks are made in beforeAll; each path is built when it is sent).
  const made = {} as { minutely: { id: string }; chatty: { id: string }; flappy: { id: string } };
  const routes = worstReads(made);

  beforeAll(async () => {
    t = await startTestServer({ env: { OVERDUE_PING_RATE_LIMIT: '100000', OVERDUE_CLIENT_RATE_LIMIT: '0' } });
    const create = async (fields: Record<string, unknown>) => (await t.api('POST', '/api/v1/checks', fields)).body;
    const minutely = await create({ name: 'every minute', schedule: { kind: 'cron', expr: '* * * * *', tz: 'Europe/Berlin' } });
    const chatty = await create({ name: 'chatty' });
    const flappy = await create({ name: 'flappy', schedule: { kind: 'interval', period_s: 60 } });
    Object.assign(made, { minutely, chatty, flappy });
    target = await create({ name: 'pinged steadily' });
    // The minutely check has existed for 400 days: the longest stats range is all real work.
    await t.server.runtime.store.db
      .updateTable('checks')
      .set({ created_at: Date.now() - 400 * DAY })
      .where('id', '=', minutely.id)
      .execute();
    // 1,000 bodies of 100 KB, 600 flips (and incidents), 3,000 more checks.
    const body = 'x'.repeat(100 * 1024);
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, () => t.ping(`/ping/${chatty.id}/log`, { method: 'POST', body })));
    }
    for (let i = 0; i < 300; i += 1) {
      await t.ping(`/ping/${flappy.id}/fail`);
      await t.ping(`/ping/${flappy.id}`);
    }
    await insertClones(t, await checkRow(t, target.id), 3000);
    const some = await t.api('GET', '/api/v1/checks?limit=100');
    await t.api('PUT', '/api/v1/status-page', { slug: 'stalls', title: 'Stalls', checks: some.body.items.map((c: any) => c.id) });
  }, 180_000);
  afterAll(async () => {
    await t.close();
  });

  it('a minutely cron is counted over 90 days, across the spring-forward transition', () => {
    const from = Date.UTC(2026, 0, 10);
    const counts = expectedBeatsPerBucket({ kind: 'cron', expr: '* * * * *', tz: 'Europe/Berlin' }, from, from + 90 * DAY, 3_600_000);
    expect(counts).toHaveLength(90 * 24);
    expect(counts.every((n) => n === 60)).toBe(true);
  });

  it.each(routes)(
    '%s is answered 200, and every ping sent meanwhile is answered 200',
    async (_name, path) => {
      const reads: number[] = [];
      const pings = await pingStatusesDuring(t, `/ping/${target.id}`, async () => {
        for (let i = 0; i < READS; i += 1) {
          reads.push(await drain(t.url + path(), t.key));
          await new Promise((r) => setTimeout(r, PAUSE_MS));
        }
      });
      expect(reads).toEqual(Array(READS).fill(200));
      expect(pings.length).toBeGreaterThan(0);
      expect(pings.filter((status) => status !== 200)).toEqual([]);
    },
    60_000,
  );
});
