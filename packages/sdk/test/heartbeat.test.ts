// Heartbeats for long-running processes: one beat with metadata, or a loop that can be stopped.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.js';
import { createCheck, history, readCheck } from '../../server/test/support/checks.js';
import { createClient, type SignalResult } from '../src/index.js';

describe('sendHeartbeat against a running server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is a success whose body carries the metadata as JSON', async () => {
    const { key } = await createCheck(t, { name: 'worker', schedule: { kind: 'interval', period_s: 60 } });
    const client = createClient({ baseUrl: t.url });
    const result = await client.sendHeartbeat({ check: key, metadata: { hostname: 'worker-01', queue: 3 } });
    expect(result).toMatchObject({ ok: true });
    const [beat] = await history(t, key, 'signals', '?full=true');
    expect(beat.kind).toBe('success');
    expect(JSON.parse(beat.body)).toEqual({ metadata: { hostname: 'worker-01', queue: 3 } });
    // Stored as the signal's metadata, as Exemplar's heartbeats are.
    expect(beat.metadata).toEqual({ hostname: 'worker-01', queue: 3 });
    expect(await readCheck(t, key)).toMatchObject({ status: 'up' });
  });

  it('startHeartbeatCron beats at once against the real server, and stop() waits for the beat in flight', async () => {
    const { key } = await createCheck(t, { name: 'loop', schedule: { kind: 'interval', period_s: 60 } });
    const client = createClient({ baseUrl: t.url });
    const first = new Promise<SignalResult>((resolve) => {
      const cron = client.startHeartbeatCron({
        check: key,
        everyMs: 60_000,
        metadata: () => ({ pid: 123 }),
        onBeat: (r) => {
          void cron.stop();
          resolve(r);
        },
      });
    });
    expect(await first).toMatchObject({ ok: true });
    expect(await readCheck(t, key)).toMatchObject({ signal_count: 1, status: 'up' });
  });
});

describe('startHeartbeatCron timing (fake timers, recorded requests)', () => {
  function recordingFetch() {
    const bodies: unknown[] = [];
    const fetch = (async (_url: string, init: RequestInit) => {
      bodies.push(init.body ? JSON.parse(init.body as string) : null);
      return new Response('OK', { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    return { fetch, bodies };
  }

  it('beats once per everyMs, with fresh metadata each time, and never after stop()', async () => {
    vi.useFakeTimers();
    try {
      const { fetch, bodies } = recordingFetch();
      let depth = 0;
      const client = createClient({ baseUrl: 'http://overdue.test', fetch });
      const cron = client.startHeartbeatCron({ check: 'abcdefgh', everyMs: 30_000, metadata: () => ({ depth: depth++ }) });
      await vi.advanceTimersByTimeAsync(0);
      expect(bodies).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(90_000);
      expect(cron.beats).toBe(4);
      expect(bodies).toEqual([0, 1, 2, 3].map((d) => ({ metadata: { depth: d } })));
      await cron.stop();
      expect(cron.running).toBe(false);
      await vi.advanceTimersByTimeAsync(300_000);
      expect(bodies).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('with immediate: false the first beat waits one period', async () => {
    vi.useFakeTimers();
    try {
      const { fetch, bodies } = recordingFetch();
      const cron = createClient({ baseUrl: 'http://overdue.test', fetch }).startHeartbeatCron({
        check: 'abcdefgh',
        everyMs: 10_000,
        immediate: false,
      });
      await vi.advanceTimersByTimeAsync(9_999);
      expect(bodies).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(bodies).toEqual([null]);
      await cron.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
