// `overdue exec` as a real child process around real commands, against a real server (or none at all).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.js';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { passesOn } from '../src/cli/exec.js';
import { createCheck, history } from '../../server/test/support/checks.js';
import { startReceiver } from '../../server/test/support/http.js';
import { CLI, cleanEnv, closedPort, runCli, startCli, waitForOutput } from './support/cli.js';

const node = process.execPath;

describe('overdue exec', () => {
  let t: TestServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer();
    env = cleanEnv({ OVERDUE_URL: t.url });
  });
  afterAll(async () => {
    await t.close();
  });

  const lastSignal = async (key: string) => (await history(t, key, 'signals', '?full=true&limit=1'))[0];

  it('runs the command with its output passed through and reports a success with that output', async () => {
    const { key } = await createCheck(t, { name: 'exec ok' });
    const result = await runCli(['exec', key, '--', node, '-e', 'console.log("hello from the job"); console.error("a warning")'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('hello from the job\n');
    expect(result.stderr).toBe('a warning\n');
    const [run] = await history(t, key, 'runs');
    expect(run).toMatchObject({ result: 'success', exit_code: 0, running: false, host: os.hostname() });
    const end = await lastSignal(key);
    expect(end.body).toContain('hello from the job');
    expect(end.body).toContain('a warning');
    expect(end.message).toMatch(/^exit status 0 after/);
  });

  it("exits with the command's own status and reports a failure with the last 10 KB of output", async () => {
    const { key } = await createCheck(t, { name: 'exec fail' });
    const script =
      'let out = ""; for (let i = 0; i < 3000; i++) out += "line " + String(i).padStart(5, "0") + "\\n";' +
      ' process.stdout.write(out, () => { console.error("FINAL ERROR: disk full"); process.exitCode = 3; })';
    const result = await runCli(['exec', key, node, '-e', script], { env });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('line 00000');
    const [run] = await history(t, key, 'runs');
    expect(run).toMatchObject({ result: 'fail', exit_code: 3 });
    const end = await lastSignal(key);
    expect(end.kind).toBe('fail');
    expect(end.body).toContain('FINAL ERROR: disk full');
    expect(end.body).toContain('line 02999');
    expect(end.body).not.toContain('line 00000');
    expect(end.body).toMatch(/^\[… \d+ earlier bytes of output omitted …\]\n/);
    const tail = end.body.slice(end.body.indexOf('\n') + 1);
    expect(Buffer.byteLength(tail)).toBe(10 * 1024);
  });

  it('passes stdin through to the command', async () => {
    const { key } = await createCheck(t, { name: 'exec stdin' });
    const result = await runCli(['exec', key, '--', node, '-e', 'process.stdin.pipe(process.stdout)'], { env, input: 'rows from stdin\n' });
    expect(result).toMatchObject({ code: 0, stdout: 'rows from stdin\n' });
  });

  it("takes the command's own flags verbatim without --", async () => {
    const { key } = await createCheck(t, { name: 'exec flags' });
    const result = await runCli(['exec', key, node, '-e', 'console.log(process.argv.slice(1).join(" "))', '--', '-m', 'x'], { env });
    expect(result).toMatchObject({ code: 0, stdout: '-m x\n' });
  });

  it('forwards SIGTERM to the command, waits for it, and exits with its status', async () => {
    const { key } = await createCheck(t, { name: 'exec sigterm' });
    const job =
      'process.on("SIGTERM", () => { console.log("child got SIGTERM, cleaning up"); process.exit(42); }); console.log("ready"); setInterval(() => {}, 1000)';
    const cli = startCli(['exec', key, '--', node, '-e', job], { env });
    await waitForOutput(cli.output, cli.child, 'ready');
    cli.child.kill('SIGTERM');
    const result = await cli.finished;
    expect(result.code).toBe(42);
    expect(result.stdout).toContain('child got SIGTERM, cleaning up');
    const end = await lastSignal(key);
    expect(end).toMatchObject({ kind: 'fail', exit_code: 42 });
    expect(end.body).toContain('child got SIGTERM');
  });

  it('at a terminal, a Ctrl-C reaches the command once (not again through overdue), and the run is still reported', async () => {
    const { key } = await createCheck(t, { name: 'exec ctrl-c' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-tty-'));
    const job = path.join(dir, 'job.cjs');
    fs.writeFileSync(
      job,
      'let n = 0; process.on("SIGINT", () => { n += 1; if (n === 1) setTimeout(() => { console.log(`SIGINTs: ${n}`); process.exit(0); }, 500); }); console.log("ready"); setInterval(() => {}, 1000);',
    );
    // util-linux `script` gives the command a real pseudo-terminal; a 0x03 typed into it is the terminal's Ctrl-C.
    // `exec`: script runs the line through $SHELL -c, and dash (unlike bash) stays in the foreground group as a
    // parent that the Ctrl-C kills too, which would end the session with 130 whatever overdue does.
    const inTerminal = spawn('script', ['-qfec', `exec ${node} ${CLI} exec ${key} -- ${node} ${job}`, '/dev/null'], {
      env: { ...env, SHELL: '/bin/sh' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let typed = false;
    inTerminal.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('ready') && !typed) {
        typed = true;
        inTerminal.stdin.write('\x03');
      }
    });
    const code = await new Promise((resolve) => inTerminal.on('close', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(0);
    expect(output).toContain('SIGINTs: 1');
    expect((await history(t, key, 'runs'))[0]).toMatchObject({ result: 'success', exit_code: 0 });
  });

  it('only SIGTERM is passed on at a terminal; elsewhere (cron, systemd) SIGINT and SIGHUP are too', () => {
    expect(['SIGTERM', 'SIGINT', 'SIGHUP'].filter((s) => passesOn(s as NodeJS.Signals, true))).toEqual(['SIGTERM']);
    expect(['SIGTERM', 'SIGINT', 'SIGHUP'].filter((s) => passesOn(s as NodeJS.Signals, false))).toEqual(['SIGTERM', 'SIGINT', 'SIGHUP']);
  });

  it('forwards SIGINT too when not at a terminal', async () => {
    const { key } = await createCheck(t, { name: 'exec sigint' });
    const job =
      'process.on("SIGINT", () => { console.log("child got SIGINT"); process.exit(0); }); console.log("ready"); setInterval(() => {}, 1000)';
    const cli = startCli(['exec', key, '--', node, '-e', job], { env });
    await waitForOutput(cli.output, cli.child, 'ready');
    cli.child.kill('SIGINT');
    const result = await cli.finished;
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('child got SIGINT');
    expect((await history(t, key, 'runs'))[0]).toMatchObject({ result: 'success', exit_code: 0 });
  });

  it('a command killed by the signal makes overdue die of the same signal, reported as exit status 128+n', async () => {
    const { key } = await createCheck(t, { name: 'exec killed' });
    const cli = startCli(['exec', key, '--', node, '-e', 'console.log("ready"); setInterval(() => {}, 1000)'], { env });
    await waitForOutput(cli.output, cli.child, 'ready');
    cli.child.kill('SIGTERM');
    const result = await cli.finished;
    expect(result).toMatchObject({ code: null, signal: 'SIGTERM' });
    const end = await lastSignal(key);
    expect(end).toMatchObject({ kind: 'fail', exit_code: 143 });
    expect(end.message).toMatch(/^killed by SIGTERM/);
  });

  it('a command that does not exist exits 127 and is reported as a failure', async () => {
    const { key } = await createCheck(t, { name: 'exec missing' });
    const result = await runCli(['exec', key, '--', 'no-such-command-xyz'], { env });
    expect(result.code).toBe(127);
    expect(result.stderr).toContain('command not found: no-such-command-xyz');
    expect(await lastSignal(key)).toMatchObject({ kind: 'fail', exit_code: 127, message: 'command not found: no-such-command-xyz' });
  });

  it('with the server down the command runs unaffected and keeps its exit status', async () => {
    const downEnv = cleanEnv({ OVERDUE_URL: `http://127.0.0.1:${await closedPort()}` });
    const result = await runCli(['exec', 'abcdefgh', '--', node, '-e', 'console.log("job output"); process.exit(5)'], { env: downEnv });
    expect(result).toMatchObject({ code: 5, stdout: 'job output\n' });
    expect(result.stderr).toContain('ECONNREFUSED (the command is not affected)');
  });

  it('with a server that never answers, reporting gives up after --timeout', async () => {
    const silent = await startReceiver('hold');
    try {
      const result = await runCli(['exec', '--timeout', '0.5', 'abcdefgh', '--', node, '-e', 'console.log("done")'], {
        env: cleanEnv({ OVERDUE_URL: silent.url }),
      });
      expect(result).toMatchObject({ code: 0, stdout: 'done\n' });
      // Without the timeout, reporting would wait on the silent server until the test's own timeout failed it.
      expect(result.stderr).toContain('no answer');
    } finally {
      await silent.close();
    }
  });

  it('unusable settings do not stop the command: it runs unreported, with a warning', async () => {
    const result = await runCli(['exec', 'abcdefgh', '--', node, '-e', 'process.exit(7)'], {
      env: cleanEnv({ OVERDUE_URL: 'overdue.example' }),
    });
    expect(result.code).toBe(7);
    expect(result.stderr).toContain('must start with http:// or https://');
    expect(result.stderr).toContain('running the command without reporting it');
  });

  it("a reader that goes away (overdue exec … | head -1) ends the command's output as it would alone, without a crash", async () => {
    const { key } = await createCheck(t, { name: 'exec head' });
    const job = 'for (let i = 0; i < 100000; i++) console.log("line " + i)';
    const line = `"${node}" "${CLI}" exec ${key} -- "${node}" -e '${job}' | head -1; exit \${PIPESTATUS[0]}`;
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const shell = spawn('bash', ['-c', line], { env });
      let stdout = '';
      let stderr = '';
      shell.stdout.on('data', (c) => {
        stdout += c;
      });
      shell.stderr.on('data', (c) => {
        stderr += c;
      });
      shell.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.stdout).toBe('line 0\n');
    expect(result.stderr).not.toContain('Unhandled');
    expect(result.code).toBe(0);
    expect((await history(t, key, 'runs'))[0]).toMatchObject({ running: false, exit_code: 0 });
  });

  it('without a command it prints usage and exits 2', async () => {
    const result = await runCli(['exec', 'abcdefgh'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: overdue exec <check> [--] <command>');
  });
});
