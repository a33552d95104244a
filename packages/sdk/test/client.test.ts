// The SDK against a real Overdue: runs, failures, progress, logs and monitor().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.js';
import { createCheck, history, readCheck } from '../../server/test/support/checks.js';
import { createClient, type OverdueClient, type OverdueRequestError } from '../src/index.js';

describe('the SDK client against a running server', () => {
  let t: TestServer;
  let client: OverdueClient;
  const errors: OverdueRequestError[] = [];
  beforeAll(async () => {
    t = await startTestServer();
    client = createClient({ baseUrl: t.url, apiKey: t.key, onError: (error) => errors.push(error) });
  });
  afterAll(async () => {
    await t.close();
  });

  const signals = (key: string) => history(t, key, 'signals', '?full=true');

  it('start then success closes one run, matched by the run id the client generated', async () => {
    const { key } = await createCheck(t, { name: 'start success' });
    const started = await client.start(key, 'nightly export');
    expect(started).toMatchObject({ ok: true, status: 200 });
    expect(started.rid).toMatch(/^[0-9a-f]{24}$/);
    const ended = await client.success(key, 'exported 12 rows');
    expect(ended).toMatchObject({ ok: true, rid: started.rid });

    const [run] = await history(t, key, 'runs');
    expect(run).toMatchObject({ rid: started.rid, result: 'success', running: false, last_message: 'exported 12 rows' });
    expect(await readCheck(t, key)).toMatchObject({ status: 'up', running: false });
  });

  it('progress and log lines belong to the open run and change no status', async () => {
    const { key } = await createCheck(t, { name: 'progress' });
    const { rid } = await client.start(key);
    expect(await client.progress(key, 42.4, 'halfway-ish')).toMatchObject({ ok: true, rid });
    expect(await client.log(key, 'copied a.csv\ncopied b.csv')).toMatchObject({ ok: true, rid });
    expect(await readCheck(t, key)).toMatchObject({ running: true });
    const [log, progress] = await signals(key);
    expect(progress).toMatchObject({ kind: 'progress', progress: 42, message: 'halfway-ish' });
    expect(log).toMatchObject({ kind: 'log', body: 'copied a.csv\ncopied b.csv', message: 'copied a.csv' });
    expect((await history(t, key, 'runs'))[0]).toMatchObject({ rid, progress: 42, running: true });
    await client.success(key);
  });

  it('fail(error) sends the error message and its stack, and the check goes down', async () => {
    const { key } = await createCheck(t, { name: 'fails' });
    await client.start(key);
    const result = await client.fail(key, new Error('disk full on /var'));
    expect(result.ok).toBe(true);
    const [failure] = await signals(key);
    expect(failure).toMatchObject({ kind: 'fail', message: 'disk full on /var' });
    expect(failure.body).toContain('Error: disk full on /var');
    expect(failure.body).toContain('client.test.ts');
    expect(await readCheck(t, key)).toMatchObject({ status: 'down' });
  });

  it('exitCode(n) reports the exit status: 0 is a success, anything else a failure', async () => {
    const { key } = await createCheck(t, { name: 'exit codes' });
    await client.start(key);
    await client.exitCode(key, 0);
    await client.start(key);
    await client.exitCode(key, 4, 'rsync partial transfer');
    const [failed, ok] = await history(t, key, 'runs');
    expect(ok).toMatchObject({ result: 'success', exit_code: 0 });
    expect(failed).toMatchObject({ result: 'fail', exit_code: 4, last_message: 'rsync partial transfer' });
  });

  it('a plain ping is a success outside any run', async () => {
    const { key } = await createCheck(t, { name: 'plain' });
    expect(await client.ping(key)).toMatchObject({ ok: true, status: 200 });
    expect(await readCheck(t, key)).toMatchObject({ status: 'up', signal_count: 1, run_count: 0 });
  });

  it("monitor() returns the function's value and records a success with the duration", async () => {
    const { key } = await createCheck(t, { name: 'monitored ok' });
    const value = await client.monitor(key, async (run) => {
      await run.progress(50);
      return 'rows: 7';
    });
    expect(value).toBe('rows: 7');
    const [run] = await history(t, key, 'runs');
    expect(run).toMatchObject({ result: 'success', running: false });
    expect(run.last_message).toMatch(/^succeeded in \d+\.\d\d s$/);
    const [success, progress, start] = await signals(key);
    expect(start.kind).toBe('start');
    expect(progress).toMatchObject({ kind: 'progress', progress: 50 });
    expect(JSON.parse(success.body)).toMatchObject({ duration_ms: expect.any(Number) });
  });

  it("monitor() records a failure with the error's message and rethrows the same error", async () => {
    const { key } = await createCheck(t, { name: 'monitored fail' });
    const boom = new TypeError('cannot read the manifest');
    await expect(
      client.monitor(key, async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    const [run] = await history(t, key, 'runs');
    expect(run).toMatchObject({ result: 'fail', last_message: 'cannot read the manifest' });
    expect(await readCheck(t, key)).toMatchObject({ status: 'down' });
  });

  it('overlapping monitor() runs of one check keep their own run ids', async () => {
    const { key } = await createCheck(t, { name: 'overlap' });
    let releaseFirst!: () => void;
    const first = client.monitor(
      key,
      () =>
        new Promise<void>((resolve) => {
          releaseFirst = resolve;
        }),
    );
    await client
      .monitor(key, async () => {
        throw new Error('second run failed');
      })
      .catch(() => {});
    releaseFirst();
    await first;
    const items = await history(t, key, 'runs');
    expect(items).toHaveLength(2);
    expect(new Set(items.map((r: { rid: string }) => r.rid)).size).toBe(2);
    expect(items.map((r: { result: string }) => r.result).sort()).toEqual(['fail', 'success']);
  });

  it('an unknown check is refused with 404: reported to onError, never thrown', async () => {
    errors.length = 0;
    const result = await client.ping('zzzzzzzz');
    expect(result).toMatchObject({ ok: false, status: 404 });
    expect(result.error).toMatchObject({ kind: 'http', status: 404, attempts: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('zzzzzzzz');
  });

  it('client.api() calls the management API with the key and throws its errors', async () => {
    const { key } = await createCheck(t, { name: 'via api' });
    expect(await client.api('GET', `/checks/${key}`)).toMatchObject({ key, name: 'via api' });
    await expect(createClient({ baseUrl: t.url }).api('GET', '/checks')).rejects.toMatchObject({ status: 401 });
  });

  it('a {ping_key}/{slug} reference and a full ping URL reach the same check', async () => {
    const { key } = await createCheck(t, { name: 'Slug Form' });
    const ws = (await t.api('GET', '/api/v1/workspace')).body;
    expect(await client.ping(`${ws.ping_key}/slug-form`)).toMatchObject({ ok: true });
    expect(await client.ping(`${t.url}/ping/${key}`)).toMatchObject({ ok: true });
    expect(await readCheck(t, key)).toMatchObject({ signal_count: 2 });
  });
});
