#!/usr/bin/env node
// Builds only what is stale, so `npm start` after a restart takes seconds instead of rebuilding everything.
// A package is rebuilt when a file it is built from is newer than the stamp its last successful build left in
// dist/; then the SDK is packed into the server's dist (served at GET /sdk/overdue-sdk.tgz) when it changed.
// `node scripts/build.mjs --force` (npm run build:all) rebuilds everything.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// OVERDUE_BUILD_ROOT points the script at another checkout (its tests build a miniature one).
const root = process.env.OVERDUE_BUILD_ROOT || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const STAMP = '.build-stamp';

/** Where the packed SDK goes: inside the server's dist, so it ships wherever the server does (Docker image too). */
const SDK_TARBALL = path.join(root, 'packages/server/dist/sdk/overdue-sdk.tgz');

/** Each package, and what its build reads (relative to the package; the shared tsconfig for all). */
const PACKAGES = [
  { name: 'sdk', inputs: ['src', 'tsconfig.json', 'package.json'] },
  { name: 'server', inputs: ['src', 'tsconfig.json', 'package.json'] },
  { name: 'dashboard', inputs: ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json'] },
];

/** The newest modification time among these files and directories (0 when none exists). */
function newest(paths) {
  let latest = 0;
  const visit = (p) => {
    let stat;
    try {
      stat = fs.statSync(p);
    } catch {
      return;
    }
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    else latest = Math.max(latest, stat.mtimeMs);
  };
  for (const p of paths) visit(p);
  return latest;
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function stale(dir, inputs, output) {
  if (force) return true;
  const built = mtime(output);
  return built === 0 || newest([...inputs.map((i) => path.join(dir, i)), path.join(root, 'tsconfig.base.json')]) > built;
}

let built = 0;
for (const pkg of PACKAGES) {
  const dir = path.join(root, 'packages', pkg.name);
  const stamp = path.join(dir, 'dist', STAMP);
  if (!stale(dir, pkg.inputs, stamp)) continue;
  const began = Date.now();
  process.stdout.write(`building ${pkg.name}…\n`);
  execFileSync(npm, ['run', 'build', '--silent', '-w', `packages/${pkg.name}`], { cwd: root, stdio: 'inherit' });
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
  process.stdout.write(`built ${pkg.name} in ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
  built += 1;
}

// The tarball holds the SDK's dist, bin and README: repack when any of them is newer than it.
const sdk = path.join(root, 'packages/sdk');
if (stale(sdk, ['dist', 'bin', 'README.md', 'package.json'], SDK_TARBALL)) {
  fs.mkdirSync(path.dirname(SDK_TARBALL), { recursive: true });
  const out = execFileSync(npm, ['pack', '--silent', '--pack-destination', path.dirname(SDK_TARBALL)], { cwd: sdk, encoding: 'utf8' });
  const packed = path.join(path.dirname(SDK_TARBALL), out.trim().split('\n').pop());
  fs.renameSync(packed, SDK_TARBALL);
  process.stdout.write(`packed the SDK into ${path.relative(root, SDK_TARBALL)}\n`);
  built += 1;
}
if (built === 0) process.stdout.write('build: everything is up to date\n');
