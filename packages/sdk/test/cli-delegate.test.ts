// One `overdue` command: job-side commands here, server commands handed to @overdue/server when installed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { delegateToServer } from '../src/cli/delegate.js';
import { startTestServer } from '../../server/test/support/server.js';
import { createCheck, readCheck } from '../../server/test/support/checks.js';
import { CLI, cleanEnv, runCli } from './support/cli.js';

describe('the overdue command', () => {
  it('runs server commands through @overdue/server (here: migrate on a fresh data directory)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-migrate-'));
    try {
      const result = await runCli(['migrate'], { env: cleanEnv({ OVERDUE_DATA_DIR: dataDir }) });
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(result.stdout).toMatch(/^applied: 0001_core/);
      expect(fs.readdirSync(dataDir).length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reports an unknown command as one, without starting a server', async () => {
    const result = await runCli(['frobnicate'], { env: cleanEnv() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });

  it('prints its help and version itself', async () => {
    const help = await runCli(['help'], { env: cleanEnv() });
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain('overdue exec <check> [--] <command>');
    expect(help.stdout).toContain('Server commands');
    expect((await runCli(['--version'], { env: cleanEnv() })).stdout).toBe('0.1.0\n');
  });

  it('without the server package, a server command gets a hint instead of a stack trace', async () => {
    const errors: string[] = [];
    const notInstalled = async () => {
      throw Object.assign(new Error("Cannot find package '@overdue/server' imported from /x/cli.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    };
    expect(await delegateToServer(['serve'], (t) => errors.push(t), notInstalled)).toBe(2);
    expect(errors.join('')).toContain('"serve" is a server command, and the Overdue server (@overdue/server) is not installed here');
    expect(errors.join('')).toContain('Run it on the machine where the Overdue server runs, in its directory (npx overdue serve)');
    errors.length = 0;
    expect(await delegateToServer(['frobnicate'], (t) => errors.push(t), notInstalled)).toBe(2);
    expect(errors.join('')).toContain('unknown command "frobnicate"');
  });

  it('other failures while loading the server are not disguised as "not installed"', async () => {
    const broken = async () => {
      throw new SyntaxError('Unexpected token');
    };
    await expect(delegateToServer(['serve'], () => {}, broken)).rejects.toThrow('Unexpected token');
  });
});

describe('the package on its own (copied out of the workspace, no node_modules at all)', () => {
  it('pings with nothing but Node, and answers server commands with a hint', async () => {
    const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-alone-'));
    const t = await startTestServer();
    try {
      const packageDir = path.dirname(path.dirname(CLI));
      fs.cpSync(path.join(packageDir, 'dist'), path.join(alone, 'dist'), { recursive: true });
      fs.cpSync(path.join(packageDir, 'bin'), path.join(alone, 'bin'), { recursive: true });
      fs.copyFileSync(path.join(packageDir, 'package.json'), path.join(alone, 'package.json'));
      // The executable npm links as `overdue`.
      const cli = path.join(alone, JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).bin.overdue);
      const { key } = await createCheck(t, { name: 'alone', schedule: { kind: 'interval', period_s: 60 } });

      const ping = await runCli(['ping', key, '--url', t.url], { env: cleanEnv(), cwd: alone, cli });
      expect(ping.code, ping.stderr).toBe(0);
      expect((await readCheck(t, key)).signal_count).toBe(1);

      const serve = await runCli(['serve'], { env: cleanEnv(), cwd: alone, cli });
      expect(serve.code).toBe(2);
      expect(serve.stderr).toContain('is not installed here');
    } finally {
      await t.close();
      fs.rmSync(alone, { recursive: true, force: true });
    }
  });
});
