// `overdue doctor`: reports configuration (with where each value came from, secrets hidden), the store, schema
// version, counts, outbound settings and the port — and exits 1 only when something is wrong.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { createCheck, T0 } from '../support/checks.js';
import { requireBuiltCli, runCli } from '../support/cli.js';
import { migrations } from '../../src/store/migrations/index.js';

describe('overdue doctor', () => {
  let t: TestServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-doctor-'));
  beforeAll(async () => {
    requireBuiltCli();
    t = await startTestServer({ clock: new ManualClock(T0), dataDir: path.join(dir, 'data') });
    const check = await createCheck(t, { name: 'nightly' });
    await t.ping(`/ping/${check.id}`);
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('describes a running installation: config and origins, store, schema, counts, outbound, port in use by Overdue', async () => {
    const port = new URL(t.url).port;
    const configFile = path.join(dir, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify({ retention_days: 30, metrics_token: 'very-secret-token-123' }));
    const { code, stdout } = await runCli(['doctor'], {
      OVERDUE_SERVER_CONFIG: configFile,
      OVERDUE_DATA_DIR: path.join(dir, 'data'),
      OVERDUE_PORT: port,
      OVERDUE_BOOTSTRAP_KEY: 'bootstrap-secret-0123456789',
      ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {}),
    });
    expect(code).toBe(0);
    const line = (label: string) =>
      stdout
        .split('\n')
        .find((l) => l.trim().startsWith(label))
        ?.trim()
        .replace(/\s{2,}/g, ' | ');
    expect(line('config file')).toBe(`config file | ${configFile}`);
    expect(line('OVERDUE_PORT')).toBe(`OVERDUE_PORT | ${port} | [environment]`);
    expect(line('OVERDUE_RETENTION_DAYS')).toBe('OVERDUE_RETENTION_DAYS | 30 | [file: retention_days]');
    expect(line('OVERDUE_SQLITE_SYNC')).toBe('OVERDUE_SQLITE_SYNC | full | [default]');
    expect(stdout).not.toContain('very-secret-token-123');
    expect(stdout).not.toContain('bootstrap-secret-0123456789');
    expect(line('OVERDUE_METRICS_TOKEN')).toBe('OVERDUE_METRICS_TOKEN | (set, hidden) | [file: metrics_token]');
    expect(line('engine')).toBe(
      t.engine === 'postgres'
        ? `engine | postgres ${t.server.runtime.store.location}`
        : `engine | sqlite ${path.join(dir, 'data', 'overdue.db')}`,
    );
    expect(line('reachable')).toMatch(/^reachable \| yes \(/);
    expect(line('schema')).toBe(`schema | ${Object.keys(migrations).sort().pop()} (up to date)`);
    expect(line('checks')).toBe('checks | 1 (1 up)');
    expect(line('signals')).toBe('signals | 1');
    expect(line('private targets')).toMatch(/^private targets \| refused/);
    expect(line(`127.0.0.1:${port}`)).toBe(
      `127.0.0.1:${port} | in use by a running Overdue (its /healthz answers ok, ${t.engine} store); it may have been started with other settings than the ones above`,
    );
    expect(line('describes')).toMatch(/^describes \| the settings in this environment .* not those a running server was started with$/);
    expect(stdout.trim().endsWith('No problems found.')).toBe(true);
  });

  it('says so when the running server on its port uses another store than the settings it was given', async () => {
    const port = new URL(t.url).port;
    // The other engine than the server's: SQLite when the server runs on PostgreSQL, and the other way round.
    const otherStore: Record<string, string> =
      t.engine === 'postgres' ? { OVERDUE_DATA_DIR: path.join(dir, 'elsewhere') } : { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    const { code, stdout } = await runCli(['doctor'], { OVERDUE_PORT: port, ...otherStore });
    expect(code).toBe(1);
    const other = t.engine === 'postgres' ? 'sqlite' : 'postgres';
    expect(stdout).toContain(`✗ 127.0.0.1:${port}`);
    expect(stdout).toContain(
      `in use by a running Overdue whose store is ${t.engine}, but these settings name ${other}: this report is not about that server`,
    );
  });

  it('says a store does not exist yet without creating one, and that a free port is free', async () => {
    const empty = path.join(dir, 'fresh');
    const { code, stdout } = await runCli(['doctor'], { OVERDUE_DATA_DIR: empty, OVERDUE_PORT: '0' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/reachable\s+no database yet: it is created on first start/);
    expect(stdout).toMatch(/127\.0\.0\.1:0\s+free/);
    expect(fs.existsSync(empty)).toBe(false);
  });

  it('exits 1 and marks the problem when the port is taken by something else', async () => {
    const squatter = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const { code, stdout } = await runCli(['doctor'], { OVERDUE_DATA_DIR: path.join(dir, 'data'), OVERDUE_PORT: String(port) });
      expect(code).toBe(1);
      expect(stdout).toMatch(new RegExp(`✗ 127\\.0\\.0\\.1:${port}\\s+in use by another program: stop it or set OVERDUE_PORT`));
      expect(stdout).toMatch(/1 problem\(s\) found/);
    } finally {
      squatter.close();
    }
  });

  it('exits 1 with the configuration error as its finding', async () => {
    const { code, stdout } = await runCli(['doctor'], { OVERDUE_RETENTION_DAYS: 'forever' });
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ invalid\s+OVERDUE_RETENTION_DAYS=forever is not valid: use a whole number from 1 to 36500\./);
  });
});
