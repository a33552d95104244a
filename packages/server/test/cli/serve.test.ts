// End to end: the built `overdue serve` as a real process — first-start admin key, checks and pings over HTTP,
// `overdue key create`, and a clean stop on SIGTERM.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/server.js';
import { cleanEnv, MAIN, requireBuiltCli } from '../support/cli.js';

const run = promisify(execFile);

/** Resolves with everything printed so far once `pattern` appears on stdout; rejects if the process exits first. */
function waitForOutput(child: ChildProcess, output: { text: string }, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern}; output so far:\n${output.text}`)), timeoutMs);
    const check = () => {
      const match = output.text.match(pattern);
      if (match) finish(null, match);
    };
    const exited = (code: number | null) => finish(new Error(`server exited (${code}) before printing ${pattern}:\n${output.text}`));
    function finish(error: Error | null, match?: RegExpMatchArray) {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.off('exit', exited);
      if (error) reject(error);
      else resolve(match!);
    }
    child.stdout!.on('data', check);
    child.on('exit', exited);
    check();
  });
}

describe('overdue serve (the built CLI as a real process)', () => {
  let dataDir: string;
  let port: number;
  let child: ChildProcess;
  let base: string;
  let adminKey: string;
  const output = { text: '' };
  const errors = { text: '' };

  beforeAll(async () => {
    requireBuiltCli();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-cli-'));
    port = await freePort();
    child = spawn(process.execPath, [MAIN, 'serve'], {
      env: cleanEnv({ OVERDUE_PORT: String(port), OVERDUE_DATA_DIR: dataDir, OVERDUE_LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output.text += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      errors.text += chunk;
    });
    await waitForOutput(child, output, /Overdue listening on (http:\/\/\S+)/);
    base = `http://127.0.0.1:${port}`;
    adminKey = (await waitForOutput(child, output, /^ {4}(od_[0-9A-Za-z]+)$/m))[1];
  });

  afterAll(async () => {
    if (child && child.exitCode == null && child.signalCode == null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async (method: string, route: string, key: string, body?: unknown) => {
    const res = await fetch(`${base}${route}`, {
      method,
      headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('prints where it listens and, on first start, the admin key once', () => {
    expect(output.text).toContain(`Overdue listening on http://127.0.0.1:${port}`);
    expect(output.text).toContain(path.join(dataDir, 'overdue.db'));
    expect(output.text).toMatch(/First start: created workspace "Default" with this admin API key/);
    expect(adminKey).toMatch(/^od_[0-9A-Za-z]{40}$/);
    expect(fs.existsSync(path.join(dataDir, 'overdue.db'))).toBe(true);
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, store: 'sqlite' });
  });

  it('creates a check with the printed key and takes pings for it over real HTTP', async () => {
    const created = await api('POST', '/api/v1/checks', adminKey, {
      name: 'e2e job',
      schedule: { kind: 'interval', period_s: 60 },
      grace_s: 30,
    });
    expect(created.status).toBe(201);
    expect(created.body.ping_url).toBe(`${base}/ping/${created.body.key}`);
    expect((await fetch(`${base}/ping/${created.body.id}/start`)).status).toBe(200);
    const ping = await fetch(created.body.ping_url, { method: 'POST', body: 'all good' });
    expect(ping.status).toBe(200);
    expect(await ping.json()).toMatchObject({ ok: true, action: 'success', job_key: created.body.key });
    const read = await api('GET', `/api/v1/checks/${created.body.key}`, adminKey);
    expect(read.body).toMatchObject({ status: 'up', signal_count: 2, run_count: 1 });
  });

  it('`overdue key create --scope read` prints a key that reads but cannot write', async () => {
    const { stdout, stderr } = await run(process.execPath, [MAIN, 'key', 'create', '--scope', 'read', '--name', 'dashboards'], {
      env: cleanEnv({ OVERDUE_DATA_DIR: dataDir }),
      timeout: 20_000,
    });
    const readKey = stdout.trim();
    expect(readKey).toMatch(/^od_[0-9A-Za-z]{40}$/);
    expect(stderr).toMatch(/created read key "dashboards"/);
    const list = await api('GET', '/api/v1/checks', readKey);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: any) => c.name)).toEqual(['e2e job']);
    expect((await api('POST', '/api/v1/checks', readKey, { name: 'nope' })).status).toBe(403);
  });

  it('`overdue key create --scope admin` says admin is another name for write', async () => {
    const { stdout, stderr } = await run(process.execPath, [MAIN, 'key', 'create', '--scope', 'admin', '--name', 'ops'], {
      env: cleanEnv({ OVERDUE_DATA_DIR: dataDir }),
      timeout: 20_000,
    });
    expect(stdout.trim()).toMatch(/^od_[0-9A-Za-z]{40}$/);
    expect(stderr).toMatch(
      /^created write key "ops" \(id [^)]+\) in workspace Default \("admin" is another name for the write scope, which can do everything an admin can\); it is shown only now\.$/m,
    );
  });

  it('`overdue key create` refuses an unknown scope with a sentence and exit code 1', async () => {
    const failed = await run(process.execPath, [MAIN, 'key', 'create', '--scope', 'root'], {
      env: cleanEnv({ OVERDUE_DATA_DIR: dataDir }),
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/Unknown scope "root"/);
  });

  it('stops cleanly on SIGTERM with exit code 0, and a restart keeps the data without printing a new key', async () => {
    const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once('exit', (code, signal) => resolve([code, signal])),
    );
    child.kill('SIGTERM');
    expect(await exit).toEqual([0, null]);
    expect(output.text).toContain('SIGTERM: finishing in-flight signals and stopping');
    expect(errors.text).not.toMatch(/Error|error/);

    const again = spawn(process.execPath, [MAIN, 'serve'], {
      env: cleanEnv({ OVERDUE_PORT: String(port), OVERDUE_DATA_DIR: dataDir, OVERDUE_LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = again;
    const againOutput = { text: '' };
    again.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      againOutput.text += chunk;
    });
    await waitForOutput(again, againOutput, /Overdue listening on/);
    expect(againOutput.text).not.toMatch(/First start/);
    const read = await api('GET', '/api/v1/checks', adminKey);
    expect(read.body.items).toMatchObject([{ name: 'e2e job', signal_count: 2 }]);
    const stopped = new Promise<number | null>((resolve) => again.once('exit', (code) => resolve(code)));
    again.kill('SIGTERM');
    expect(await stopped).toBe(0);
  });
});
