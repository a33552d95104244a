// Graceful shutdown of a real `overdue serve` process: SIGTERM while pings pour in and a notification is being
// sent to a receiver that never answers. Every acknowledged ping must be stored, the stuck send's claim handed
// back, and the process must exit 0 within its grace period.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/server.js';
import { cleanEnv, MAIN, requireBuiltCli } from './support/cli.js';
import { INTERRUPTED } from '../src/store/outbox.js';

const KEY = 'shutdown-admin-key-0123456789';

function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (condition()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 10);
    };
    poll();
  });
}

describe('SIGTERM under load', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-shutdown-'));
  let child: ChildProcess | undefined;
  const held: http.ServerResponse[] = [];
  // A webhook receiver that accepts the request and never answers.
  const blackHole = http.createServer((_req, res) => {
    held.push(res);
  });
  afterAll(async () => {
    if (child && child.exitCode == null && child.signalCode == null) child.kill('SIGKILL');
    blackHole.closeAllConnections();
    blackHole.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every acknowledged ping, releases the claim of a send in flight, and exits 0', async () => {
    requireBuiltCli();
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const hole = `http://127.0.0.1:${(blackHole.address() as { port: number }).port}`;
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [MAIN, 'serve'], {
      env: cleanEnv({
        OVERDUE_PORT: String(port),
        OVERDUE_DATA_DIR: dataDir,
        OVERDUE_BOOTSTRAP_KEY: KEY,
        OVERDUE_LOG_LEVEL: 'warn',
        OVERDUE_ALLOW_PRIVATE_TARGETS: 'true',
        OVERDUE_SHUTDOWN_GRACE_S: '2',
        OVERDUE_PING_RATE_LIMIT: '100000',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      output += c;
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      output += c;
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      child!.once('exit', (code, signal) => resolve({ code, signal }));
    });
    await waitFor(() => output.includes('Overdue listening'), 'the server to start');

    const api = async (route: string, body: unknown) => {
      const res = await fetch(base + route, {
        method: 'POST',
        headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      return res.json() as Promise<any>;
    };
    await api('/api/v1/channels', { kind: 'webhook', name: 'black hole', config: { url: `${hole}/hook` } });
    const failing = await api('/api/v1/checks', { name: 'failing', schedule: { kind: 'interval', period_s: 3600 } });
    expect((await fetch(`${base}/ping/${failing.id}/fail`)).status).toBe(200);
    await waitFor(() => held.length === 1, 'the notification to reach the receiver');

    const checks = await Promise.all(
      [1, 2, 3, 4].map((i) => api('/api/v1/checks', { name: `busy ${i}`, schedule: { kind: 'interval', period_s: 60 } })),
    );
    const acked: Array<{ check: string; msg: string }> = [];
    let refused = 0;
    let running = true;
    const pinger = async (worker: number) => {
      for (let i = 0; running; i += 1) {
        const check = checks[(worker + i) % checks.length];
        const msg = `w${worker}-${i}`;
        try {
          const res = await fetch(`${base}/ping/${check.id}?msg=${msg}`);
          await res.text();
          if (res.status === 200) acked.push({ check: check.id, msg });
          else refused += 1;
        } catch {
          refused += 1; // connection refused or closed: not acknowledged, so not promised
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    };
    const load = Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(pinger));
    await waitFor(() => acked.length >= 300, '300 acknowledged pings');

    child.kill('SIGTERM');
    const exit = await exited;
    running = false;
    await load;

    // It exits at all: without the grace period's cut, the send to the silent receiver would hold it until the
    // test's own timeout.
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(output).toContain('SIGTERM: finishing in-flight signals and stopping');
    expect(output).not.toMatch(/error/i);
    expect(refused).toBeGreaterThan(0); // the load really was still running when it stopped

    const db = new SqliteDatabase(path.join(dataDir, 'overdue.db'), { readonly: true });
    try {
      const stored = new Set(
        (db.prepare('select check_id, message from signals').all() as Array<{ check_id: string; message: string }>).map(
          (r) => `${r.check_id}/${r.message}`,
        ),
      );
      const lost = acked.filter((a) => !stored.has(`${a.check}/${a.msg}`));
      expect(lost).toEqual([]);
      const outbox = db.prepare('select status, attempts, claimed_until from outbox').all();
      expect(outbox).toEqual([{ status: 'pending', attempts: 0, claimed_until: null }]);
      // The attempt was recorded when it started; handing the claim back closes it as interrupted (no answer came).
      const attempts = db.prepare('select ok, status_code, error, finished_at from delivery_attempts').all() as Array<
        Record<string, unknown>
      >;
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ ok: 0, status_code: null, error: INTERRUPTED, finished_at: expect.any(Number) });
    } finally {
      db.close();
    }
  });
});
