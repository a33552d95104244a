// The server hands out its own clients: the packed SDK (npm i / npx from its URL, in a directory that is not the
// checkout) and the curl-only shell script, run under dash against a real server.
import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, freePort, type TestServer } from '../support/server.js';
import { cleanEnv } from '../support/cli.js';
import { clientRoutes, DEFAULT_SDK_TARBALL } from '../../src/install/client-routes.js';

const execFileAsync = promisify(execFile);
const CHECKOUT = path.resolve(new URL('../../../../', import.meta.url).pathname);
const DASH = ['/usr/bin/dash', '/bin/dash'].find((p) => fs.existsSync(p));

/** Runs a program to completion; never throws for a non-zero exit. */
async function run(
  file: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; input?: string; timeoutMs?: number },
) {
  const child = spawn(file, args, { cwd: options.cwd, env: cleanEnv(options.env ?? {}), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  // A program that exits without reading its input closes the pipe: that is no error of the test's.
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  return { code, signal, stdout, stderr };
}

let server: TestServer;
let scratch: string;
let downUrl: string;

beforeAll(async () => {
  if (!fs.existsSync(DEFAULT_SDK_TARBALL))
    throw new Error(`${DEFAULT_SDK_TARBALL} is missing: run \`npm run build\` first (it packs the SDK; npm test does it)`);
  server = await startTestServer();
  // Nothing listens here: "Overdue is down".
  downUrl = `http://127.0.0.1:${await freePort()}`;
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-client-'));
  expect(scratch.startsWith(CHECKOUT)).toBe(false);
});

afterAll(async () => {
  await server?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

async function newCheck(name: string) {
  const created = await server.api('POST', '/api/v1/checks', { name, schedule: { kind: 'interval', period_s: 3600 }, grace_s: 600 });
  expect(created.status).toBe(201);
  return created.body as { id: string; key: string };
}

async function signalsOf(key: string) {
  const listed = await server.api('GET', `/api/v1/checks/${key}/signals?full=true`);
  return (listed.body.items as Array<{ kind: string; message: string | null; body: string | null; exit_code: number | null }>).reverse();
}

async function runsOf(key: string) {
  return (await server.api('GET', `/api/v1/checks/${key}/runs`)).body.items as Array<{
    result: string | null;
    exit_code: number | null;
    host: string | null;
    rid: string | null;
  }>;
}

describe('GET /sdk/overdue-sdk.tgz', () => {
  it('is the SDK as an npm tarball that installs the overdue command from a directory outside the checkout', async () => {
    const project = fs.mkdtempSync(path.join(scratch, 'npm-'));
    fs.writeFileSync(path.join(project, 'package.json'), '{"name":"job-host","version":"1.0.0","private":true}\n');
    const installed = await run('npm', ['install', '--no-audit', '--no-fund', `${server.url}/sdk/overdue-sdk.tgz`], {
      cwd: project,
      env: { HOME: process.env.HOME ?? os.homedir() },
    });
    expect(installed.code, installed.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')).dependencies['@overdue/sdk']).toBe(
      `${server.url}/sdk/overdue-sdk.tgz`,
    );

    const check = await newCheck('installed from the server');
    const pinged = await run(path.join(project, 'node_modules/.bin/overdue'), ['ping', check.key, '-m', 'hello from npm i'], {
      cwd: project,
      env: { OVERDUE_URL: server.url },
    });
    expect(pinged.code, pinged.stderr).toBe(0);
    expect(await signalsOf(check.key)).toEqual([expect.objectContaining({ kind: 'success', message: 'hello from npm i' })]);
  }, 120_000);

  it('runs with npx straight from its URL', async () => {
    const check = await newCheck('npx from the server');
    const ran = await run(
      'npx',
      ['-y', `${server.url}/sdk/overdue-sdk.tgz`, 'exec', check.key, '--', 'node', '-e', 'console.log("ran"); process.exit(3)'],
      {
        cwd: scratch,
        env: { HOME: process.env.HOME ?? os.homedir(), OVERDUE_URL: server.url },
      },
    );
    expect(ran.stdout).toContain('ran');
    expect(ran.code).toBe(3);
    expect((await runsOf(check.key))[0]).toMatchObject({ result: 'fail', exit_code: 3 });
  }, 120_000);

  it('says how to build it when the server has no packed SDK', async () => {
    const app = Fastify();
    await clientRoutes(app, 'http://overdue.test', { sdkTarball: path.join(scratch, 'missing.tgz') });
    const answer = await app.inject({ method: 'GET', url: '/sdk/overdue-sdk.tgz' });
    expect(answer.statusCode).toBe(404);
    expect(answer.json().error).toMatchObject({ code: 'not_built', message: expect.stringContaining('npm run build') });
    await app.close();
  });
});

const describeWithDash = DASH || process.env.CI === 'true' ? describe : describe.skip;
if (!DASH)
  process.stderr.write(
    `NOTICE: dash is not installed: ${process.env.CI === 'true' ? 'failing' : 'skipping'} the shell client's tests (apt-get install dash)\n`,
  );

describeWithDash('GET /install/overdue.sh under dash', () => {
  let script: string;

  beforeAll(async () => {
    if (!DASH) throw new Error('dash is not installed; CI must run the shell client under dash (apt-get install dash)');
    const answer = await fetch(`${server.url}/install/overdue.sh`);
    expect(answer.status).toBe(200);
    script = path.join(scratch, 'overdue');
    fs.writeFileSync(script, await answer.text(), { mode: 0o755 });
  });

  const overdue = (args: string[], env: Record<string, string> = {}, input?: string) =>
    run(DASH!, [script, ...args], { cwd: scratch, env, input });

  it("has this server's URL baked in and passes `sh -n`", () => {
    expect(fs.readFileSync(script, 'utf8')).toContain(`OVERDUE_SERVED_URL='${server.url}'`);
    expect(spawnSync(DASH!, ['-n', script]).status).toBe(0);
  });

  it('exec reports a successful run with its output and host, and passes output and stdin through', async () => {
    const check = await newCheck('shell exec ok');
    const ran = await overdue(['exec', check.key, '--', 'sh', '-c', 'read line; echo "got $line"; echo warning >&2'], {}, 'input\n');
    expect(ran).toMatchObject({ code: 0, stdout: 'got input\n', stderr: 'warning\n' });
    const signals = await signalsOf(check.key);
    expect(signals.map((s) => s.kind)).toEqual(['start', 'success']);
    expect(signals[0].message).toBe('started sh');
    expect(signals[1]).toMatchObject({ exit_code: 0, message: expect.stringMatching(/^exit status 0 after \d+ s$/) });
    // Both streams, in whatever order the two pipes delivered them.
    expect(signals[1].body!.split('\n').sort()).toEqual(['', 'got input', 'warning']);
    const [runRow] = await runsOf(check.key);
    expect(runRow).toMatchObject({ result: 'success', host: os.hostname(), rid: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  it("exec exits with the command's failing status and reports it with the tail of the output", async () => {
    const check = await newCheck('shell exec fail');
    const ran = await overdue([
      'exec',
      check.key,
      'sh',
      '-c',
      `i=0; while [ $i -lt 3000 ]; do echo "line $i"; i=$((i+1)); done; echo 'disk full'; exit 3`,
    ]);
    expect(ran.code).toBe(3);
    const end = (await signalsOf(check.key)).at(-1)!;
    expect(end).toMatchObject({ kind: 'fail', exit_code: 3 });
    expect(end.body!.length).toBe(10240);
    // The tail, in order. (One stream: how two interleave in the tail is up to the machine's scheduler.)
    expect(end.body!.endsWith('line 2999\ndisk full\n')).toBe(true);
    expect(end.body!).not.toContain('line 0\n');
    expect((await runsOf(check.key))[0]).toMatchObject({ result: 'fail', exit_code: 3 });
  });

  it('exec still runs the job and keeps its status when Overdue is down, with a warning that says so', async () => {
    const marker = path.join(scratch, 'ran-while-down');
    const ran = await overdue(['exec', 'abc123de', '--', 'sh', '-c', `touch ${marker}; exit 4`], { OVERDUE_URL: downUrl });
    expect(fs.existsSync(marker)).toBe(true);
    expect(ran.code).toBe(4);
    expect(ran.stderr).toContain(`overdue: could not report to ${downUrl}/ping/abc123de/4`);
    expect(ran.stderr).toContain('(the command is not affected)');
  });

  it('exec reports a missing command as exit status 127', async () => {
    const check = await newCheck('shell exec missing');
    const ran = await overdue(['exec', check.key, '--', '/nonexistent/job']);
    expect(ran.code).toBe(127);
    expect((await runsOf(check.key))[0]).toMatchObject({ result: 'fail', exit_code: 127 });
  });

  it('exec passes SIGTERM on to the command and dies of it', async () => {
    const check = await newCheck('shell exec term');
    const started = path.join(scratch, 'term-started');
    const child = spawn(
      DASH!,
      [script, 'exec', check.key, '--', 'sh', '-c', `trap 'echo got TERM; exit 143' TERM; touch ${started}; while :; do sleep 0.1; done`],
      {
        cwd: scratch,
        env: cleanEnv({}),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    const ended = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    while (!fs.existsSync(started)) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');
    expect(await ended).toEqual([null, 'SIGTERM']);
    expect(stdout).toBe('got TERM\n');
    expect((await signalsOf(check.key)).at(-1)).toMatchObject({
      kind: 'fail',
      exit_code: 143,
      message: expect.stringMatching(/^killed by SIGTERM after/),
    });
  });

  it('ping sends one signal with its action and message, and exits 1 when Overdue cannot be reached', async () => {
    const check = await newCheck('shell ping');
    expect((await overdue(['ping', check.key, 'start'])).code).toBe(0);
    expect((await overdue(['ping', check.key, 'progress', '50', '-m', 'half way & more'])).code).toBe(0);
    expect((await overdue(['ping', check.key, '-m', 'done'])).code).toBe(0);
    expect((await signalsOf(check.key)).map((s) => [s.kind, s.message])).toEqual([
      ['start', null],
      ['progress', 'half way & more'],
      ['success', 'done'],
    ]);
    const down = await overdue(['ping', check.key], { OVERDUE_URL: downUrl });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`could not report to ${downUrl}/ping/${check.key}`);
    expect((await overdue(['ping', check.key, 'sideways'])).code).toBe(2);
  });

  it('OVERDUE_URL overrides the baked-in address', async () => {
    const ran = await overdue(['version'], { OVERDUE_URL: 'https://overdue.example.com/' });
    expect(ran.stdout).toContain('(Overdue at https://overdue.example.com)');
  });
});

describe('the built clients, as `npm start` ships them', () => {
  it('keep the SDK tarball and shell script where the server serves them from', async () => {
    const { stdout } = await execFileAsync('tar', ['tzf', DEFAULT_SDK_TARBALL]);
    expect(stdout.split('\n')).toEqual(
      expect.arrayContaining(['package/package.json', 'package/bin/overdue.js', 'package/dist/cli.js', 'package/dist/index.js']),
    );
    expect(stdout).not.toContain('.build-stamp');
  });
});
