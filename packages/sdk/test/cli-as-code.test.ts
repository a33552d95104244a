// `overdue apply` and `overdue export` against a real running server: the plan printed, applied once, unchanged after.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.js';
import { cleanEnv, runCli } from './support/cli.js';

const FILE = `
version: 1
channels:
  - name: ops-hook
    kind: webhook
    config:
      url: \${OPS_HOOK_URL}
checks:
  - slug: nightly-backup
    name: Nightly backup
    schedule: { kind: cron, expr: "0 3 * * *", tz: Europe/Berlin }
    grace_s: 1800
    channels: [ops-hook]
  - slug: queue-worker
    schedule: { kind: interval, period_s: 60 }
`;

describe('overdue apply and export', () => {
  let t: TestServer;
  let env: Record<string, string>;
  let dir: string;
  beforeAll(async () => {
    t = await startTestServer();
    env = cleanEnv({ OVERDUE_URL: t.url, OVERDUE_API_KEY: t.key, OPS_HOOK_URL: 'https://example.com/hook/very-secret-token' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-as-code-'));
    fs.writeFileSync(path.join(dir, 'overdue.yaml'), FILE);
  });
  afterAll(async () => {
    await t.close();
  });

  const slugs = async () => ((await t.api('GET', '/api/v1/checks')).body.items as Array<{ slug: string }>).map((c) => c.slug).sort();

  it('prints the plan on a dry run and changes nothing', async () => {
    const run = await runCli(['apply', '-f', 'overdue.yaml', '--dry-run'], { env, cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      [
        'create  channels/ops-hook',
        'create  checks/nightly-backup',
        'create  checks/queue-worker',
        'Dry run, nothing changed: 3 to create, 0 to change, 0 to delete, 0 unchanged.',
        '',
      ].join('\n'),
    );
    expect(await slugs()).toEqual([]);
  });

  it('applies the file, and applying it again is all unchanged', async () => {
    const first = await runCli(['apply', '-f', 'overdue.yaml'], { env, cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Applied: 3 created, 0 changed, 0 deleted, 0 unchanged.');
    expect(await slugs()).toEqual(['nightly-backup', 'queue-worker']);
    const channel = (await t.server.runtime.store.db.selectFrom('channels').select('config').executeTakeFirstOrThrow()).config;
    expect(JSON.parse(channel).url).toBe('https://example.com/hook/very-secret-token');

    const again = await runCli(['apply', '-f', '-'], { env, input: FILE });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(
      [
        'unchanged  channels/ops-hook',
        'unchanged  checks/nightly-backup',
        'unchanged  checks/queue-worker',
        'Applied: 0 created, 0 changed, 0 deleted, 3 unchanged.',
        '',
      ].join('\n'),
    );
  });

  it('prints each change as field: old → new', async () => {
    const run = await runCli(['apply', '-f', '-', '--dry-run'], { env, input: FILE.replace('grace_s: 1800', 'grace_s: 600') });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('change     checks/nightly-backup\n             grace_s: 1800 → 600\n');
  });

  it('prints a warning under a channel whose destination alerts cannot reach', async () => {
    const lan = FILE.replace(
      'channels:\n',
      'channels:\n  - name: lan-hook\n    kind: webhook\n    config: { url: "http://192.168.1.20/hook" }\n',
    );
    const run = await runCli(['apply', '-f', '-', '--dry-run'], { env, input: lan });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'create     channels/lan-hook\n             warning: config.url: 192.168.1.20 is a loopback or private address; alerts to it will be refused',
    );
  });

  it('exports a file that applies back as all unchanged, with no secret in it', async () => {
    const out = path.join(dir, 'exported.yaml');
    const exported = await runCli(['export', '-o', out], { env });
    expect(exported.code, exported.stderr).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('slug: queue-worker');
    expect(text).not.toContain('very-secret-token');
    const back = await runCli(['apply', '-f', out], { env });
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain('Applied: 0 created, 0 changed, 0 deleted, 3 unchanged.');
  });

  it('a refused file exits 1 listing every problem with its path; an unset variable is a usage error', async () => {
    const bad = FILE.replace('period_s: 60', 'period_s: 0').replace('expr: "0 3 * * *"', 'expr: "0 3 * *"');
    const run = await runCli(['apply', '-f', '-'], { env, input: bad });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('apply refused, nothing was changed');
    expect(run.stderr).toContain('checks[0].schedule.expr: ');
    expect(run.stderr).toContain('checks[1].schedule.period_s: ');
    const unset = await runCli(['apply', '-f', 'overdue.yaml'], {
      env: { ...env, OPS_HOOK_URL: undefined as unknown as string },
      cwd: dir,
    });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('unset environment variables: OPS_HOOK_URL');
  });

  it('without an API key says how to give one', async () => {
    const run = await runCli(['export'], { env: cleanEnv({ OVERDUE_URL: t.url }) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('needs an API key with read scope');
  });
});
