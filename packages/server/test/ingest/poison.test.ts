// Poison signals: a sender whose signals cannot be stored (metadata nested 20,000 deep) is answered 400 alone and
// costs the other clients' group commits nothing. Before the fix every such signal rolled its whole batch back and
// the batch was replayed one transaction per signal: good clients lost 85–94 % of their throughput (audit #2).
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { runLoops, type LoopResult } from '../support/load.js';
import { report } from '../support/report.js';

const GOOD_LOOPS = 8;
const CHECKS = 50;
const ROUND_MS = 1500;
/** Rounds alternate (quiet, poisoned, quiet, …), so a machine that gets busier or quieter affects both alike. */
const ROUNDS = 8;
const POISON_PER_SECOND = 40;

describe('a sender of poison signals beside good clients', () => {
  let t: TestServer;
  let pingKey: string;
  let checkKeys: string[];
  beforeAll(async () => {
    // Neither rate limit may refuse the good clients: the figures compare commits, not limits. PostgreSQL gets its
    // default pool (the test support's smaller one leaves the poison's key lookups queueing behind ingest).
    t = await startTestServer({ env: { OVERDUE_CLIENT_RATE_LIMIT: '0', OVERDUE_PING_RATE_LIMIT: '1000000', OVERDUE_PG_POOL_SIZE: '10' } });
    pingKey = await t.keyWithScope('ping');
    checkKeys = [];
    for (let i = 0; i < CHECKS; i += 1) checkKeys.push((await t.api('POST', '/api/v1/checks', { name: `good ${i}` })).body.key);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Good clients' acknowledged pings per second over `ms`. */
  async function round(ms: number): Promise<number> {
    const end = performance.now() + ms;
    const result: LoopResult = await runLoops(
      t.url,
      GOOD_LOOPS,
      (loop, seq) => ({ path: `/ping/${checkKeys[(loop * 7 + seq) % CHECKS]}` }),
      () => performance.now() >= end,
    );
    return result.acknowledged.length / (ms / 1000);
  }

  it(`${POISON_PER_SECOND} poison requests/s are refused alone, and no good client's batch is rolled back for them`, async () => {
    const deep = `{"name":"poison","x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const poisonStatuses = new Map<number, number>();
    let poisoning = false;
    const sendPoison = () => {
      const req = http.request(
        `${t.url}/api/v1/heartbeat/ping`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'x-api-key': pingKey, 'content-length': Buffer.byteLength(deep) },
        },
        (res) => {
          res.resume();
          res.on('end', () => poisonStatuses.set(res.statusCode ?? 0, (poisonStatuses.get(res.statusCode ?? 0) ?? 0) + 1));
        },
      );
      req.on('error', () => poisonStatuses.set(0, (poisonStatuses.get(0) ?? 0) + 1));
      req.end(deep);
    };
    const timer = setInterval(() => {
      if (poisoning) sendPoison();
    }, 1000 / POISON_PER_SECOND);
    const quiet: number[] = [];
    const poisoned: number[] = [];
    try {
      await round(500); // warm-up: connections, prepared statements, JIT
      for (let i = 0; i < ROUNDS; i += 1) {
        poisoning = i % 2 === 1;
        (poisoning ? poisoned : quiet).push(await round(ROUND_MS));
      }
    } finally {
      clearInterval(timer);
      agent.destroy();
    }
    await t.server.runtime.ingest.drain();

    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const alone = mean(quiet);
    const withPoison = mean(poisoned);
    const poisonSent = [...poisonStatuses.values()].reduce((a, b) => a + b, 0);
    report('poison', {
      engine: t.engine,
      good_alone_per_s: Math.round(alone),
      good_with_poison_per_s: Math.round(withPoison),
      loss_pct: ((1 - withPoison / alone) * 100).toFixed(1),
      poison_sent: poisonSent,
      poison_statuses: JSON.stringify(Object.fromEntries(poisonStatuses)),
      failed_batches: t.server.runtime.ingest.stats.failedBatches,
    });
    expect(poisonSent).toBeGreaterThan(POISON_PER_SECOND * (ROUND_MS / 1000) * (ROUNDS / 2) * 0.5);
    // Each poison signal was refused alone, and no batch of the good clients' signals was rolled back and replayed:
    // what cost them their throughput before. The throughput itself is reported above, not asserted (this machine
    // is noisy; before the fix it fell by 85–94 %).
    expect([...poisonStatuses.keys()]).toEqual([400]);
    expect(t.server.runtime.ingest.stats.failedBatches).toBe(0);
  });
});
