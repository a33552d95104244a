// A monitor must never break the job: an unreachable, hanging or failing Overdue costs bounded time, no throw.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type OverdueRequestError, type SignalContext } from '../src/index.js';
import { startReceiver, type Receiver } from '../../server/test/support/http.js';
import { closedPort } from './support/cli.js';

/** What a scripted server was asked, as 'METHOD /path?query'. */
const asked = (server: Receiver) => server.requests.map((r) => `${r.method} ${r.path}`);

describe('when Overdue cannot help', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('a closed port (server down): every signal resolves not-ok after the bounded retries, onError told once each', async () => {
    const seen: Array<[OverdueRequestError, SignalContext]> = [];
    const client = createClient({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      retries: 2,
      backoffMs: 10,
      onError: (e, c) => seen.push([e, c]),
    });
    const start = await client.start('abcdefgh');
    const end = await client.fail('abcdefgh', new Error('job failed on its own'));
    expect(start).toMatchObject({ ok: false, error: { kind: 'network', attempts: 3 } });
    expect(start.error!.message).toContain('ECONNREFUSED');
    expect(end).toMatchObject({ ok: false, rid: start.rid });
    expect(seen.map(([e, c]) => [e.kind, c.action, c.rid])).toEqual([
      ['network', 'start', start.rid],
      ['network', 'fail', start.rid],
    ]);
  });

  it("monitor() still returns the job's value, or rethrows the job's own error, with the server down", async () => {
    const client = createClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, backoffMs: 10, onError: () => {} });
    expect(await client.monitor('abcdefgh', async () => 41 + 1)).toBe(42);
    const own = new Error("the job's own failure");
    await expect(
      client.monitor('abcdefgh', async () => {
        throw own;
      }),
    ).rejects.toBe(own);
  });

  it('a server that never answers: each attempt is cut at timeoutMs and the signal gives up within deadlineMs', async () => {
    const silent = await startReceiver('hold');
    cleanups.push(silent.close);
    const errors: OverdueRequestError[] = [];
    const client = createClient({
      baseUrl: silent.url,
      timeoutMs: 150,
      retries: 5,
      backoffMs: 10,
      deadlineMs: 600,
      onError: (e) => errors.push(e),
    });
    // It gives up at all (else the test's own timeout fails it), and by the deadline, not the retry count: fewer
    // than the 6 attempts allowed. How long it took is not asserted: timing bounds do not belong in tests.
    const result = await client.ping('abcdefgh');
    expect(result).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    expect(result.error!.attempts).toBeGreaterThanOrEqual(2);
    expect(result.error!.attempts).toBeLessThan(6);
    // (An attempt cut very short by the deadline may not even reach the server.)
    expect(silent.requests.length).toBeGreaterThanOrEqual(result.error!.attempts - 1);
    expect(errors).toHaveLength(1);
  });

  it('503s are retried with backoff until the server recovers', async () => {
    const flaky = await startReceiver(200);
    flaky.answers.push(503, 503);
    cleanups.push(flaky.close);
    const client = createClient({
      baseUrl: flaky.url,
      backoffMs: 10,
      retries: 2,
      onError: () => {
        throw new Error('not expected');
      },
    });
    expect(await client.ping('abcdefgh', 'hello')).toMatchObject({ ok: true, status: 200 });
    expect(asked(flaky)).toEqual(Array(3).fill('POST /ping/abcdefgh?msg=hello'));
  });

  it('retries stop at the bound: retries: 1 means two attempts in all', async () => {
    const down = await startReceiver(500);
    cleanups.push(down.close);
    const client = createClient({ baseUrl: down.url, backoffMs: 10, retries: 1, onError: () => {} });
    expect(await client.ping('abcdefgh')).toMatchObject({ ok: false, status: 500, error: { kind: 'http', attempts: 2 } });
    expect(asked(down)).toHaveLength(2);
  });

  it('429 waits for Retry-After (capped by the deadline) before retrying', async () => {
    const limited = await startReceiver(200);
    limited.answers.push({ status: 429, headers: { 'retry-after': '0' } });
    cleanups.push(limited.close);
    const client = createClient({ baseUrl: limited.url, backoffMs: 10, onError: () => {} });
    expect(await client.ping('abcdefgh')).toMatchObject({ ok: true });
    expect(asked(limited)).toHaveLength(2);
  });

  it('a 4xx refusal is not retried: asking again would get the same answer', async () => {
    const refusing = await startReceiver(404);
    cleanups.push(refusing.close);
    const client = createClient({ baseUrl: refusing.url, backoffMs: 10, onError: () => {} });
    const result = await client.ping('abcdefgh');
    expect(result).toMatchObject({ ok: false, status: 404, error: { code: 'scripted' } });
    expect(result.error!.message).toContain('scripted 404');
    expect(asked(refusing)).toHaveLength(1);
  });

  it('an onError hook that throws does not reach the job', async () => {
    const client = createClient({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      retries: 0,
      onError: () => {
        throw new Error('bad hook');
      },
    });
    await expect(client.success('abcdefgh')).resolves.toMatchObject({ ok: false });
  });

  it('bad configuration is a programming error and throws at once', () => {
    expect(() => createClient({ baseUrl: 'overdue.example.com' })).toThrow(/baseUrl must be an http\(s\) URL/);
    const client = createClient({ baseUrl: 'http://127.0.0.1:9' });
    expect(() => client.startHeartbeatCron({ check: 'abcdefgh', everyMs: 0 })).toThrow(/everyMs must be a positive number/);
  });
});
