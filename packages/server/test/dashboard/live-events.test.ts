// GET /api/v1/events: a workspace's check changes as Server-Sent Events, and nothing of other workspaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, MINUTE } from '../support/checks.js';
import { setupAdmin } from '../support/session.js';

interface Stream {
  events: Array<{ event: string; data: any }>;
  /** Waits for an event matching `test` (events already received count). */
  next(test: (e: { event: string; data: any }) => boolean, timeoutMs?: number): Promise<{ event: string; data: any }>;
  close(): void;
}

async function openEvents(url: string, headers: Record<string, string>): Promise<Stream & { status: number; type: string | null }> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/v1/events`, { headers, signal: controller.signal });
  const events: Array<{ event: string; data: any }> = [];
  const waiters = new Set<() => void>();
  if (response.ok && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
            waiters.forEach((w) => w());
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    events,
    next(test, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(test);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}

describe('live events', () => {
  let t: TestServer;
  const clock = new ManualClock(Date.parse('2026-03-02T10:00:00Z'));
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('needs credentials', async () => {
    const stream = await openEvents(t.url, {});
    expect(stream.status).toBe(401);
  });

  it("streams a ping, a run's progress and a missed beat of the caller's workspace as they happen", async () => {
    const check = await createCheck(t, { name: 'streamed', schedule: { kind: 'interval', period_s: 300 }, grace_s: 60 });
    const stream = await openEvents(t.url, { 'x-api-key': t.key });
    try {
      expect(stream.type).toContain('text/event-stream');
      const hello = await stream.next((e) => e.event === 'hello');
      expect(hello.data.now).toBe('2026-03-02T10:00:00.000Z');

      expect((await t.ping(`/ping/${check.key}`)).status).toBe(200);
      const up = await stream.next((e) => e.event === 'checks' && e.data.items.some((c: any) => c.id === check.id && c.status === 'up'));
      expect(up.data.items[0]).toMatchObject({ name: 'streamed', status: 'up', running: false, current_run: null, signal_count: 1 });

      await t.ping(`/ping/${check.key}/start`);
      await t.ping(`/ping/${check.key}/progress/40`, {
        method: 'POST',
        body: JSON.stringify({ message: 'copying' }),
        headers: { 'content-type': 'application/json' },
      });
      const progress = await stream.next((e) => e.event === 'checks' && e.data.items.some((c: any) => c.current_run?.progress === 40));
      expect(progress.data.items.find((c: any) => c.id === check.id)).toMatchObject({
        running: true,
        current_run: { progress: 40, last_message: 'copying' },
      });
      await t.ping(`/ping/${check.key}/0`);

      clock.advance(6 * MINUTE + 1000);
      await t.server.runtime.scheduler.tick();
      const down = await stream.next(
        (e) => e.event === 'checks' && e.data.items.some((c: any) => c.id === check.id && c.status === 'down'),
      );
      expect(down.data.now).toBe(new Date(clock.now()).toISOString());
    } finally {
      stream.close();
    }
  });

  it("never carries another workspace's checks", async () => {
    const other = await t.otherWorkspace();
    const theirs = await t.api('POST', '/api/v1/checks', { name: 'theirs' }, other.key);
    const mine = await createCheck(t, { name: 'mine' });
    const stream = await openEvents(t.url, { 'x-api-key': t.key });
    try {
      await stream.next((e) => e.event === 'hello');
      await t.ping(`/ping/${theirs.body.key}`);
      await t.ping(`/ping/${mine.key}`);
      await stream.next((e) => e.event === 'checks' && e.data.items.some((c: any) => c.id === mine.id));
      await t.api('DELETE', `/api/v1/checks/${theirs.body.id}`, undefined, other.key);
      await t.api('DELETE', `/api/v1/checks/${mine.id}`);
      await stream.next((e) => e.event === 'deleted' && e.data.ids.includes(mine.id));
      const seen = JSON.stringify(stream.events);
      expect(seen).not.toContain(theirs.body.id);
      expect(seen).not.toContain('theirs');
    } finally {
      stream.close();
    }
  });

  it('sends a change to every stream open on the workspace, and keeps sending after one of them closes', async () => {
    const check = await createCheck(t, { name: 'watched twice' });
    const first = await openEvents(t.url, { 'x-api-key': t.key });
    const second = await openEvents(t.url, { 'x-api-key': t.key });
    try {
      await Promise.all([first.next((e) => e.event === 'hello'), second.next((e) => e.event === 'hello')]);
      await t.ping(`/ping/${check.key}`);
      const upIn = (stream: Stream) =>
        stream.next((e) => e.event === 'checks' && e.data.items.some((c: any) => c.id === check.id && c.signal_count === 1));
      await Promise.all([upIn(first), upIn(second)]);
      first.close();
      await t.ping(`/ping/${check.key}/fail`);
      await second.next((e) => e.event === 'checks' && e.data.items.some((c: any) => c.id === check.id && c.signal_count === 2));
    } finally {
      first.close();
      second.close();
    }
  });

  it('works with a dashboard session cookie', async () => {
    const admin = await setupAdmin(t);
    const stream = await openEvents(t.url, { cookie: admin.cookie });
    try {
      expect(stream.status).toBe(200);
      await stream.next((e) => e.event === 'hello');
      const check = await createCheck(t, { name: 'seen by the browser' });
      await t.ping(`/ping/${check.key}`);
      await stream.next((e) => e.event === 'checks' && e.data.items.some((c: any) => c.id === check.id && c.status === 'up'));
    } finally {
      stream.close();
    }
  });
});
