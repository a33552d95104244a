// The Dockerfile and the systemd units: no container engine runs here, so these read them and hold them to what
// the code expects (known settings, the built entry point, non-root, graceful stop longer than the grace period).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTINGS, loadConfig } from '../../src/config.js';

const ROOT = new URL('../../../../', import.meta.url);
const read = (file: string) => fs.readFileSync(new URL(file, ROOT), 'utf8');
const KNOWN = new Set<string>([...SETTINGS.map((s) => s.env), 'OVERDUE_SERVER_CONFIG']);
const ENTRY = 'packages/server/dist/main.js';

/** `KEY=value` pairs of systemd `Environment=` lines or Dockerfile `ENV` instructions. */
function assignments(lines: string[]): Record<string, string> {
  return Object.fromEntries(lines.flatMap((l) => [...l.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)].map((m) => [m[1], m[2]])));
}

describe('the Dockerfile', () => {
  const text = read('Dockerfile');
  const runtime = text.slice(text.lastIndexOf('\nFROM '));
  const env = assignments(runtime.split('ENV ')[1].split('\nWORKDIR')[0].split('\n'));

  it('builds on node:20-bookworm-slim with the tools better-sqlite3 compiles with, and ships without dev dependencies', () => {
    expect([...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])).toEqual(['node:20-bookworm-slim', 'node:20-bookworm-slim']);
    expect(text).toMatch(/apt-get install -y --no-install-recommends python3 make g\+\+/);
    expect(text).toMatch(/npm ci[\s\S]*npm run build[\s\S]*npm prune --omit=dev/);
  });

  it('runs the built CLI as a non-root user, with its data in the /data volume, on every interface', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^VOLUME \/data$/m);
    expect(env).toMatchObject({ OVERDUE_HOST: '0.0.0.0', OVERDUE_DATA_DIR: '/data', OVERDUE_PORT: '8000' });
    expect(runtime).toContain(`ENTRYPOINT ["node", "/app/${ENTRY}"]`);
    expect(runtime).toMatch(/^CMD \["serve"\]$/m);
    expect(runtime).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    // The entry point is what `npm run build` makes of the server's main.ts.
    expect(fs.existsSync(new URL('packages/server/src/main.ts', ROOT))).toBe(true);
    expect(read('package.json')).toContain(`node ${ENTRY} serve`);
  });

  it('sets only settings Overdue knows, with values it accepts', () => {
    for (const name of Object.keys(env).filter((n) => n.startsWith('OVERDUE_'))) expect(KNOWN.has(name), name).toBe(true);
    expect(loadConfig(env)).toMatchObject({ host: '0.0.0.0', port: 8000, dataDir: '/data' });
  });

  it('never puts 0.0.0.0 in links, and its example run sets OVERDUE_PUBLIC_URL', () => {
    expect(loadConfig(env).publicUrl).toBe('http://localhost:8000');
    expect(text).toMatch(/^# +docker run .*-e OVERDUE_PUBLIC_URL=\S+/m);
  });

  it('copies what `npm run build` needs (the stale-only build script) into the build stage', () => {
    expect(text).toMatch(/^COPY scripts \.\/scripts$/m);
    expect(read('package.json')).toContain('"build": "node scripts/build.mjs"');
  });

  it('keeps local state out of the build context', () => {
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', 'data']));
  });
});

describe('the systemd units', () => {
  const unit = read('packaging/systemd/overdue.service');
  const lines = unit.split('\n');
  const value = (key: string) => lines.filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));

  it('runs `overdue serve` from the built CLI as the overdue user, with its state directory and config file', () => {
    expect(value('ExecStart')).toEqual([`/usr/bin/node /opt/overdue/${ENTRY} serve`]);
    expect(value('User')).toEqual(['overdue']);
    expect(value('StateDirectory')).toEqual(['overdue']);
    const env = assignments(value('Environment'));
    expect(env).toMatchObject({ OVERDUE_SERVER_CONFIG: '/etc/overdue/config.json', OVERDUE_DATA_DIR: '/var/lib/overdue' });
    for (const name of Object.keys(env).filter((n) => n.startsWith('OVERDUE_'))) expect(KNOWN.has(name), name).toBe(true);
  });

  it('stops with SIGTERM and waits longer than the default shutdown grace period', () => {
    expect(value('KillSignal')).toEqual(['SIGTERM']);
    expect(Number(value('TimeoutStopSec')[0]) * 1000).toBeGreaterThan(loadConfig({}).shutdownGraceMs);
  });

  it('the example config file is one Overdue accepts', () => {
    const config = loadConfig({ OVERDUE_SERVER_CONFIG: new URL('packaging/config.example.json', ROOT).pathname });
    expect(config.publicUrl).toBe('https://overdue.example.com');
  });

  it('pass systemd-analyze verify where systemd is installed', () => {
    let available = true;
    try {
      execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    } catch {
      available = false;
    }
    if (!available) return; // nothing to run it with (a container, macOS); the checks above still hold
    const files = ['overdue.service', 'overdue-backup.service', 'overdue-backup.timer'].map(
      (f) => new URL(`packaging/systemd/${f}`, ROOT).pathname,
    );
    const result = spawnSync('systemd-analyze', ['verify', ...files], { encoding: 'utf8' });
    const complaints = `${result.stdout}${result.stderr}`.split('\n').filter((l) => l.includes('packaging/systemd/'));
    expect(complaints).toEqual([]);
    expect(result.status).toBe(0);
  });
});
