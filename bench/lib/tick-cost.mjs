// CPU cost of one scheduler catch-up in-process (no HTTP): `n` checks all due at one instant, processed by tick().
// Measures CPU time, which a shared machine distorts far less than wall time. Usage: node bench/lib/tick-cost.mjs 10000
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedChecks } from './seed-checks.mjs';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../packages/server/dist');
const n = Number(process.argv[2] ?? 10_000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-tick-'));
const now = Date.now();
await seedChecks({ dataDir, apiKey: 'bench-admin-key-0123456789', n, now, expectedOf: () => now - 1000 });
const { openStore } = await import(path.join(dist, 'store/database.js'));
const { Scheduler } = await import(path.join(dist, 'scheduler/scheduler.js'));
const store = await openStore({ dataDir, sqliteSync: 'normal' });
const scheduler = new Scheduler({ store, clock: { now: () => now }, publicUrl: 'http://localhost' });
const cpu = process.cpuUsage();
const started = performance.now();
const processed = await scheduler.tick();
const used = process.cpuUsage(cpu);
console.log(
  `${processed} checks: ${((used.user + used.system) / 1000).toFixed(0)} ms CPU, ${(performance.now() - started).toFixed(0)} ms wall, ${((used.user + used.system) / processed).toFixed(0)} µs CPU per check`,
);
await store.close();
fs.rmSync(dataDir, { recursive: true, force: true });
