// `overdue ping` and where the CLI takes its settings from: flags, then environment, then config files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.js';
import { createCheck, history } from '../../server/test/support/checks.js';
import { cleanEnv, closedPort, runCli } from './support/cli.js';
import { resolveSettings } from '../src/cli/settings.js';

describe('overdue ping', () => {
  let t: TestServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer();
    env = cleanEnv({ OVERDUE_URL: t.url });
  });
  afterAll(async () => {
    await t.close();
  });

  const signals = async (key: string) => (await history(t, key, 'signals', '?full=true')).reverse();

  it('sends each kind of signal, with -m as the message and --rid tying a run together', async () => {
    const { key } = await createCheck(t, { name: 'by hand' });
    for (const args of [
      ['start', '--rid', 'r1'],
      ['log', '-m', 'copied 3 files', '--rid', 'r1'],
      ['progress', '60', '-m', 'three of five', '--rid', 'r1'],
      ['success', '--rid', 'r1', '-m', 'all done'],
    ]) {
      const result = await runCli(['ping', key, ...args], { env });
      expect(result, result.stderr).toMatchObject({ code: 0, stdout: '', stderr: '' });
    }
    expect(
      (await signals(key)).map((s: { kind: string; message: string | null; progress: number | null }) => [s.kind, s.message, s.progress]),
    ).toEqual([
      ['start', null, null],
      ['log', 'copied 3 files', null],
      ['progress', 'three of five', 60],
      ['success', 'all done', null],
    ]);
    const [run] = await history(t, key, 'runs');
    expect(run).toMatchObject({ rid: 'r1', result: 'success' });
  });

  it('a bare ping is a success; fail and an exit status are failures', async () => {
    const { key } = await createCheck(t, { name: 'outcomes' });
    expect((await runCli(['ping', key], { env })).code).toBe(0);
    expect((await runCli(['ping', key, 'fail', '-m', 'quota exceeded'], { env })).code).toBe(0);
    expect((await runCli(['ping', key, '2'], { env })).code).toBe(0);
    const kinds = (await signals(key)).map((s: { kind: string; exit_code: number | null; message: string | null }) => [
      s.kind,
      s.exit_code,
      s.message,
    ]);
    expect(kinds).toEqual([
      ['success', null, null],
      ['fail', null, 'quota exceeded'],
      ['fail', 2, null],
    ]);
  });

  it("exits 1 with the server's reason when the check is unknown, and 1 when the server is down", async () => {
    const unknown = await runCli(['ping', 'zzzzzzzz'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/refused the success signal for "zzzzzzzz" \(404\)/);
    const down = await runCli(['ping', 'zzzzzzzz', '--url', `http://127.0.0.1:${await closedPort()}`, '--retries', '0'], { env });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('ECONNREFUSED');
    const quiet = await runCli(['ping', 'zzzzzzzz', '-q'], { env });
    expect(quiet).toMatchObject({ code: 1, stderr: '' });
  });

  it('rejects a malformed action with usage help and exit status 2', async () => {
    for (const args of [['progress', '101'], ['restart'], ['start', 'now']]) {
      const result = await runCli(['ping', 'abcdefgh', ...args], { env });
      expect(result.code, args.join(' ')).toBe(2);
    }
    expect((await runCli(['ping', 'abcdefgh', '--frobnicate'], { env })).stderr).toContain('unknown option --frobnicate');
  });

  it('finds the server through ./.overdue.json in the working directory', async () => {
    const { key } = await createCheck(t, { name: 'config file' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-project-'));
    fs.writeFileSync(path.join(dir, '.overdue.json'), JSON.stringify({ url: t.url }));
    const result = await runCli(['ping', key], { env: cleanEnv(), cwd: dir });
    expect(result, result.stderr).toMatchObject({ code: 0 });
  });
});

describe('settings precedence', () => {
  function layout(project?: object, user?: object) {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-cwd-'));
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-home-'));
    if (project) fs.writeFileSync(path.join(cwd, '.overdue.json'), JSON.stringify(project));
    if (user) {
      fs.mkdirSync(path.join(home, '.config', 'overdue'), { recursive: true });
      fs.writeFileSync(path.join(home, '.config', 'overdue', 'config.json'), JSON.stringify(user));
    }
    return { cwd, home };
  }

  it('flags beat environment, environment beats ./.overdue.json, which beats the user config, which beats defaults', () => {
    const { cwd, home } = layout(
      { url: 'http://project:1', timeout: 3 },
      { url: 'http://user:1', apiKey: 'user-key', timeout: 9, retries: 4 },
    );
    const env = { OVERDUE_URL: 'http://env:1' };
    expect(resolveSettings({ flags: { url: 'http://flag:1' }, env, cwd, home })).toMatchObject({
      url: 'http://flag:1',
      sources: { url: 'flag' },
    });
    expect(resolveSettings({ flags: {}, env, cwd, home })).toMatchObject({ url: 'http://env:1', sources: { url: 'OVERDUE_URL' } });
    const files = resolveSettings({ flags: {}, env: {}, cwd, home });
    expect(files).toMatchObject({ url: 'http://project:1', timeoutS: 3, apiKey: 'user-key', retries: 4 });
    expect(resolveSettings({ flags: {}, env: {}, cwd: layout().cwd, home: layout().home })).toMatchObject({
      url: 'http://127.0.0.1:8000',
      timeoutS: 5,
      retries: 2,
      apiKey: undefined,
    });
  });

  it('XDG_CONFIG_HOME moves the user config; --config / OVERDUE_CONFIG name one file instead of both', () => {
    const { cwd, home } = layout({ url: 'http://project:1' });
    const xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-xdg-'));
    fs.mkdirSync(path.join(xdg, 'overdue'));
    fs.writeFileSync(path.join(xdg, 'overdue', 'config.json'), JSON.stringify({ apiKey: 'xdg-key' }));
    expect(resolveSettings({ flags: {}, env: { XDG_CONFIG_HOME: xdg }, cwd, home }).apiKey).toBe('xdg-key');
    const explicit = path.join(xdg, 'ci.json');
    fs.writeFileSync(explicit, JSON.stringify({ url: 'http://ci:1' }));
    expect(resolveSettings({ flags: { config: explicit }, env: {}, cwd, home }).url).toBe('http://ci:1');
    expect(resolveSettings({ flags: {}, env: { OVERDUE_CONFIG: explicit }, cwd, home }).url).toBe('http://ci:1');
  });

  it('explains a broken config file instead of ignoring it', () => {
    const { cwd, home } = layout();
    fs.writeFileSync(path.join(cwd, '.overdue.json'), '{"url": ');
    expect(() => resolveSettings({ flags: {}, env: {}, cwd, home })).toThrow(/\.overdue\.json is not valid JSON/);
    fs.writeFileSync(path.join(cwd, '.overdue.json'), '{"endpoint": "http://x"}');
    expect(() => resolveSettings({ flags: {}, env: {}, cwd, home })).toThrow(/unknown setting endpoint; use url, apiKey, timeout, retries/);
    expect(() => resolveSettings({ flags: { config: '/nonexistent/overdue.json' }, env: {}, cwd, home })).toThrow(
      /cannot read config file/,
    );
    expect(() => resolveSettings({ flags: { timeout: 'soon' }, env: {}, cwd: layout().cwd, home })).toThrow(
      /timeout \(from flag\) must be a number/,
    );
  });
});
