// `npm start` builds only what is stale (scripts/build.mjs), so a restart does not rebuild everything; the server's
// commands are on hand as `npx overdue …` after `npm ci`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv } from '../support/cli.js';

const CHECKOUT = new URL('../../../../', import.meta.url).pathname;
const BUILD = path.join(CHECKOUT, 'scripts/build.mjs');

/** A miniature checkout: three workspaces whose builds only write a file, so the test sees which ones ran. */
function miniatureCheckout(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-build-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write(
    'package.json',
    JSON.stringify({ name: 'mini', private: true, workspaces: ['packages/sdk', 'packages/server', 'packages/dashboard'] }),
  );
  write('tsconfig.base.json', '{}');
  for (const name of ['sdk', 'server', 'dashboard']) {
    const build = `node -e "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/out.js','built')"`;
    write(
      `packages/${name}/package.json`,
      JSON.stringify({ name: `@mini/${name}`, version: '1.0.0', files: ['dist', '!dist/.build-stamp'], scripts: { build } }),
    );
    write(`packages/${name}/src/index.ts`, 'export {};\n');
  }
  write('packages/dashboard/index.html', '<!doctype html>');
  return root;
}

/** Edits a file after the last build: sources dated two minutes ago, build outputs one, the edited file half a minute ago. */
function edit(root: string, file: string): void {
  const stamp = (at: number) => new Date(Date.now() - at);
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath, entry.name), stamp(120_000), stamp(120_000));
  }
  for (const name of ['sdk', 'server', 'dashboard']) {
    const out = path.join(root, 'packages', name, 'dist/.build-stamp');
    if (fs.existsSync(out)) fs.utimesSync(out, stamp(60_000), stamp(60_000));
  }
  const tarball = path.join(root, 'packages/server/dist/sdk/overdue-sdk.tgz');
  if (fs.existsSync(tarball)) fs.utimesSync(tarball, stamp(60_000), stamp(60_000));
  fs.utimesSync(path.join(root, file), stamp(30_000), stamp(30_000));
}

describe('scripts/build.mjs (what npm start runs)', () => {
  let root: string;
  const build = (...args: string[]) =>
    execFileSync(process.execPath, [BUILD, ...args], { env: cleanEnv({ OVERDUE_BUILD_ROOT: root }), encoding: 'utf8' });
  const built = (output: string) => [...output.matchAll(/^building (\w+)/gm)].map((m) => m[1]);

  beforeAll(() => {
    root = miniatureCheckout();
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("builds every package and packs the SDK into the server's dist the first time", () => {
    const output = build();
    expect(built(output)).toEqual(['sdk', 'server', 'dashboard']);
    expect(output).toContain('packed the SDK into packages/server/dist/sdk/overdue-sdk.tgz');
    expect(fs.existsSync(path.join(root, 'packages/server/dist/sdk/overdue-sdk.tgz'))).toBe(true);
  }, 60_000);

  it('builds nothing when nothing changed', () => {
    const output = build();
    expect(built(output)).toEqual([]);
    expect(output).toContain('everything is up to date');
  }, 60_000);

  it('rebuilds and repacks only the SDK when an SDK source changed', () => {
    edit(root, 'packages/sdk/src/index.ts');
    const output = build();
    expect(built(output)).toEqual(['sdk']);
    expect(output).toContain('packed the SDK');
  }, 60_000);

  it('rebuilds only the dashboard when its page changed, and everything with --force', () => {
    edit(root, 'packages/dashboard/index.html');
    expect(built(build())).toEqual(['dashboard']);
    expect(built(build('--force'))).toEqual(['sdk', 'server', 'dashboard']);
  }, 60_000);

  it('rebuilds a package whose dist was deleted', () => {
    fs.rmSync(path.join(root, 'packages/server/dist'), { recursive: true });
    const output = build();
    expect(built(output)).toEqual(['server']);
    // The tarball lived in the deleted dist: packed again.
    expect(fs.existsSync(path.join(root, 'packages/server/dist/sdk/overdue-sdk.tgz'))).toBe(true);
  }, 60_000);
});

describe('after npm ci', () => {
  it('npm start and npm run build use the stale-only build', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(CHECKOUT, 'package.json'), 'utf8')).scripts;
    expect(scripts.start).toBe('node scripts/build.mjs && node packages/server/dist/main.js serve');
    expect(scripts.build).toBe('node scripts/build.mjs');
  });

  it("`npx overdue` reaches the server's commands (backup, doctor, key) in the checkout", () => {
    const help = execFileSync('npx', ['--no-install', 'overdue', 'backup', '--help'], {
      cwd: CHECKOUT,
      env: cleanEnv({}),
      encoding: 'utf8',
    });
    expect(help).toContain('write a consistent copy of the SQLite store');
    const keyHelp = execFileSync('npx', ['--no-install', 'overdue', 'key', 'create', '--help'], {
      cwd: CHECKOUT,
      env: cleanEnv({}),
      encoding: 'utf8',
    });
    expect(keyHelp).toContain('--scope');
  }, 60_000);
});
