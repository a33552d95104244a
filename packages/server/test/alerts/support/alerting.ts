// A test server on a manual clock with private targets allowed, a receiver, and the steps alert tests repeat.
import { expect } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../../support/server.js';
import { startReceiver, type Receiver } from '../../support/http.js';

export const T0 = Date.parse('2025-03-03T10:00:00Z');

export interface Alerting {
  t: TestServer;
  clock: ManualClock;
  receiver: Receiver;
  /** Creates a channel and returns its API answer (201 required). */
  channel(kind: string, config: Record<string, unknown>, extra?: Record<string, unknown>): Promise<any>;
  /** Creates an interval check (60 s, no grace) subscribed to `channels` (default: the workspace's defaults). */
  check(options?: Record<string, unknown>): Promise<any>;
  /** Sends a signal through the ping URL: '' success, 'fail', 'start', … */
  ping(check: any, suffix?: string): Promise<void>;
  /** Moves the clock and runs the scheduler, then the delivery worker. */
  advance(ms: number): Promise<void>;
  deliver(): Promise<number>;
  tick(): Promise<number>;
  close(): Promise<void>;
}

export async function startAlerting(env: Record<string, string> = {}): Promise<Alerting> {
  const clock = new ManualClock(T0);
  const t = await startTestServer({ clock, env: { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true', OVERDUE_DELIVERY_TIMEOUT_MS: '2000', ...env } });
  const receiver = await startReceiver();
  let n = 0;
  const a: Alerting = {
    t,
    clock,
    receiver,
    async channel(kind, config, extra = {}) {
      const res = await t.api('POST', '/api/v1/channels', { kind, name: `${kind} channel`, config, ...extra });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    },
    async check(options = {}) {
      n += 1;
      const res = await t.api('POST', '/api/v1/checks', {
        name: `job ${n}`,
        schedule: { kind: 'interval', period_s: 60 },
        grace_s: 0,
        ...options,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    },
    async ping(check, suffix = '') {
      const res = await t.ping(`/ping/${check.key}${suffix ? `/${suffix}` : ''}`, { method: 'POST' });
      expect(res.status).toBe(200);
    },
    async advance(ms) {
      clock.advance(ms);
      await t.server.runtime.scheduler.tick();
      await t.server.runtime.delivery.runOnce();
    },
    deliver: () => t.server.runtime.delivery.runOnce(),
    tick: () => t.server.runtime.scheduler.tick(),
    async close() {
      await receiver.close();
      await t.close();
    },
  };
  return a;
}
