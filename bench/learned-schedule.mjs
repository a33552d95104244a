// Learned schedules and dependencies: what they add to reading checks (they add nothing to ingest). 100 checks a
// ping created, each pinged hourly 6 times (manual clock), read as one list page while their proposals are pending
// (a proposal is computed per pending check at presentation), then after dismissing them all: the same-run
// baseline, the same checks with nothing pending. Prints both and the ratio, and the first read, which computes
// every proposal (later reads find them cached until the check's next signal). Run after `node scripts/build.mjs`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'packages/server/dist');
const CHECKS = Number(process.env.BENCH_LEARNED_CHECKS ?? 100);
const READS = Number(process.env.BENCH_LEARNED_READS ?? 40);
const KEY = 'bench-admin-key-0123456789';
const HOUR = 3_600_000;

const { loadConfig } = await import(path.join(dist, 'config.js'));
const { ManualClock } = await import(path.join(dist, 'clock.js'));
const { startServer } = await import(path.join(dist, 'server.js'));

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-learned-'));
const clock = new ManualClock(Math.floor(Date.now() / HOUR) * HOUR);
const server = await startServer(
  loadConfig({
    OVERDUE_PORT: '0',
    OVERDUE_DATA_DIR: dataDir,
    OVERDUE_BOOTSTRAP_KEY: KEY,
    OVERDUE_LOG_LEVEL: 'silent',
    OVERDUE_AUTO_CREATE_PER_MINUTE: '100000',
  }),
  { clock, background: false, logLevel: 'silent' },
);
const base = server.url;
const api = async (method, route) => {
  const res = await fetch(`${base}${route}`, { method, headers: { 'x-api-key': KEY } });
  return res.json();
};
try {
  const pingKey = (await api('GET', '/api/v1/workspace')).ping_key;
  const start = clock.now();
  for (let beat = 0; beat < 6; beat += 1) {
    clock.set(start + beat * HOUR + 10_000);
    await Promise.all(Array.from({ length: CHECKS }, (_, i) => fetch(`${base}/ping/${pingKey}/auto-${i}?create=1`).then((r) => r.text())));
  }
  const listMs = async () => {
    const times = [];
    for (let i = 0; i < READS; i += 1) {
      const t0 = performance.now();
      const page = await api('GET', `/api/v1/checks?limit=${CHECKS}`);
      times.push(performance.now() - t0);
      if (page.items.length !== CHECKS) throw new Error(`expected ${CHECKS} checks, got ${page.items.length}`);
    }
    return times.sort((a, b) => a - b)[times.length >> 1];
  };
  const t0 = performance.now();
  const first = await api('GET', `/api/v1/checks?limit=${CHECKS}`);
  const firstMs = performance.now() - t0;
  const proposing = first.items.filter((c) => c.proposed_schedule?.sentence === 'every hour at :00').length;
  const pending = await listMs();
  for (const c of first.items) await api('POST', `/api/v1/checks/${c.id}/proposed-schedule/dismiss`);
  const baseline = await listMs();
  console.log(`${CHECKS} checks created by pings, ${proposing} proposing "every hour at :00"`);
  console.log(`first list of ${CHECKS} after their latest pings (every proposal computed): ${firstMs.toFixed(1)} ms`);
  console.log(`list of ${CHECKS}, proposals pending: median ${pending.toFixed(1)} ms`);
  console.log(`list of ${CHECKS}, none pending (baseline, same run): median ${baseline.toFixed(1)} ms`);
  console.log(`ratio ${(pending / baseline).toFixed(2)}× — ${(((pending - baseline) / CHECKS) * 1000).toFixed(0)} µs per pending check`);
} finally {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
