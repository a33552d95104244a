// Failures at start as a newcomer meets them: each is one sentence naming what to fix, never a stack trace; a second
// server on the same SQLite directory refuses; the banner is for people, without JSON log lines in it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/server.js';
import { runCli } from '../support/cli.js';
import { PG_ADMIN_URL, probePostgres, urlOfDatabase } from '../support/postgres.js';
import { startProcess, type ServerProcess } from '../support/process.js';

const dirs: string[] = [];
const scratchDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-start-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `overdue serve` expecting it to refuse; returns what it printed. */
async function refusedServe(env: Record<string, string>) {
  const result = await runCli(['serve'], { OVERDUE_PORT: String(await freePort()), OVERDUE_DATA_DIR: scratchDir(), ...env });
  expect(result.code).toBe(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  return result.stderr.trim();
}

describe('a DATABASE_URL that does not work', () => {
  it('that nothing listens at: names the setting, the redacted URL and the reason, without a stack trace', async () => {
    const port = await freePort();
    const message = await refusedServe({ DATABASE_URL: `postgres://bad:secret@127.0.0.1:${port}/nope` });
    expect(message).toBe(
      `overdue: cannot reach the PostgreSQL database named by DATABASE_URL (postgres://bad:***@127.0.0.1:${port}/nope): ` +
        'nothing accepts connections at that host and port (ECONNREFUSED). Check the host and port, or unset DATABASE_URL to use the embedded SQLite store.',
    );
  });

  it('that `overdue migrate` and `overdue key create` explain the same way', async () => {
    const url = `postgres://bad@127.0.0.1:${await freePort()}/nope`;
    for (const args of [['migrate'], ['key', 'create']]) {
      const result = await runCli(args, { DATABASE_URL: url, OVERDUE_DATA_DIR: scratchDir() });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^overdue: cannot reach the PostgreSQL database named by DATABASE_URL .*ECONNREFUSED/);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  });

  describe('on a PostgreSQL server that is up', () => {
    let available = false;
    beforeAll(async () => {
      available = (await probePostgres()).ok;
      if (!available && process.env.CI === 'true') throw new Error(`PostgreSQL at ${PG_ADMIN_URL} is needed under CI`);
      if (!available)
        process.stderr.write(
          `NOTICE: PostgreSQL at ${PG_ADMIN_URL} is not reachable: skipping the missing-database and missing-role cases\n`,
        );
    });

    it('naming a database that does not exist: says so and how to fix it', async ({ skip }) => {
      if (!available) skip();
      const message = await refusedServe({ DATABASE_URL: urlOfDatabase('overdue_no_such_database_15') });
      expect(message).toMatch(
        /^overdue: cannot use the PostgreSQL database named by DATABASE_URL \(.*overdue_no_such_database_15\): that database does not exist: create it/,
      );
    });

    it('naming a role that does not exist: says the role may not connect', async ({ skip }) => {
      if (!available) skip();
      const url = new URL(PG_ADMIN_URL);
      url.username = 'overdue_no_such_role_15';
      url.password = 'pw';
      const message = await refusedServe({ DATABASE_URL: url.toString() });
      expect(message).toMatch(
        /DATABASE_URL \(postgres:\/\/overdue_no_such_role_15:\*\*\*@.*\): (that role may not connect|the password was refused)/,
      );
      expect(message).not.toContain(':pw@');
    });
  });
});

describe('the SQLite data directory', () => {
  it('that cannot be created: names OVERDUE_DATA_DIR and the reason', async () => {
    const file = path.join(scratchDir(), 'a-file');
    fs.writeFileSync(file, '');
    const message = await refusedServe({ OVERDUE_DATA_DIR: path.join(file, 'data') });
    expect(message).toMatch(
      /^overdue: cannot open the SQLite store in OVERDUE_DATA_DIR \(.*a-file\/data\): a part of that path is a file, not a directory\./,
    );
  });

  describe('shared by a second server', () => {
    let dataDir: string;
    let first: ServerProcess;
    beforeAll(async () => {
      dataDir = scratchDir();
      first = await startProcess(dataDir);
    });
    afterAll(async () => {
      await first?.stop();
    });

    it("is refused by the second with a sentence naming the first one's pid, and the first keeps serving", async () => {
      const second = await runCli(['serve'], {
        OVERDUE_PORT: String(await freePort()),
        OVERDUE_DATA_DIR: dataDir,
        OVERDUE_LOG_LEVEL: 'warn',
      });
      expect(second.code).toBe(1);
      expect(second.stderr.trim()).toBe(
        `overdue: another Overdue (pid ${first.child.pid}) is using ${dataDir}; stop it first, or give this one its own ` +
          'OVERDUE_DATA_DIR (several instances need PostgreSQL: see docs/operations/scaling.md).',
      );
      expect(second.stdout).not.toContain('Overdue listening');
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    });

    it('is free again once the first has stopped, and after one was killed', async () => {
      await first.stop();
      const next = await startProcess(dataDir);
      await next.kill('SIGKILL');
      // A killed server leaves its pid file behind but not its lock.
      const after = await startProcess(dataDir);
      expect((await fetch(`${after.url}/healthz`)).status).toBe(200);
      await after.stop();
    });
  });
});

describe('the startup banner', () => {
  it('has no JSON log line in it at the default log level', async () => {
    const server = await startProcess(scratchDir(), { OVERDUE_LOG_LEVEL: 'info', OVERDUE_BOOTSTRAP_KEY: '' });
    try {
      // The banner is complete once the key's instructions are out.
      const deadline = Date.now() + 10_000;
      while (!server.output().includes("dashboard's admin account") && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      const lines = server.output().split('\n').filter(Boolean);
      expect(lines[0]).toMatch(/^Overdue listening on http:\/\/127\.0\.0\.1:\d+ /);
      expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
      expect(server.output()).toMatch(/First start: created workspace "Default" with this admin API key/);
    } finally {
      await server.stop();
    }
  });
});
