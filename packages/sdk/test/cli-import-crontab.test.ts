// `overdue import-crontab` round trip: a crontab in, checks with the right cron and zone, wrapped lines out.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.js';
import { history } from '../../server/test/support/checks.js';
import { CLI, cleanEnv, closedPort, runCli } from './support/cli.js';

const BIN = `${process.execPath} ${CLI}`;

const CRONTAB = [
  '# m h dom mon dow command',
  'MAILTO=ops@example.com',
  '0 2 * * * echo nightly backup done',
  '*/15 * * * * echo one && echo two > /dev/null',
  'CRON_TZ=America/New_York',
  '# overdue: Morning report',
  '30 6 * * 1-5 echo report',
  '@reboot echo booted',
  '',
].join('\n');

interface CheckView {
  id: string;
  key: string;
  slug: string;
  name: string;
  tags: string[];
  schedule: { kind: string; expr: string; tz: string };
}

describe('overdue import-crontab', () => {
  let t: TestServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer();
    // The host's time zone comes from TZ here, as it would from /etc/localtime on a server.
    env = cleanEnv({ OVERDUE_URL: t.url, OVERDUE_API_KEY: t.key, TZ: 'Europe/Berlin' });
  });
  afterAll(async () => {
    await t.close();
  });

  const checks = async (): Promise<CheckView[]> => (await t.api('GET', '/api/v1/checks?tag=crontab')).body.items;
  const bySlug = async () => new Map((await checks()).map((c) => [c.slug, c]));

  it('creates one check per job, prints the wrapped crontab, and a second import changes nothing', async () => {
    const first = await runCli(['import-crontab', '--bin', BIN, '-'], { env, input: CRONTAB });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('3 created, 0 updated, 0 unchanged, 0 not imported');
    expect(first.stderr).toContain('line 8: left as is (@reboot has no schedule to watch)');

    const made = await bySlug();
    expect([...made.keys()].sort()).toEqual(['echo-nightly-backup-done', 'echo-one-echo-two', 'morning-report']);
    expect(made.get('echo-nightly-backup-done')).toMatchObject({
      name: 'echo nightly backup done',
      tags: ['crontab'],
      schedule: { kind: 'cron', expr: '0 2 * * *', tz: 'Europe/Berlin' },
    });
    expect(made.get('echo-one-echo-two')!.schedule).toEqual({ kind: 'cron', expr: '*/15 * * * *', tz: 'Europe/Berlin' });
    expect(made.get('morning-report')).toMatchObject({
      name: 'Morning report',
      schedule: { expr: '30 6 * * 1-5', tz: 'America/New_York' },
    });

    const key = (slug: string) => made.get(slug)!.key;
    expect(first.stdout).toBe(
      [
        `OVERDUE_URL=${t.url}`,
        '# m h dom mon dow command',
        'MAILTO=ops@example.com',
        `0 2 * * * ${BIN} exec ${key('echo-nightly-backup-done')} -- echo nightly backup done`,
        `*/15 * * * * ${BIN} exec ${key('echo-one-echo-two')} -- sh -c 'echo one && echo two' > /dev/null`,
        'CRON_TZ=America/New_York',
        '# overdue: Morning report',
        `30 6 * * 1-5 ${BIN} exec ${key('morning-report')} -- echo report`,
        '@reboot echo booted',
        '',
      ].join('\n'),
    );

    const again = await runCli(['import-crontab', '--bin', BIN, '-'], { env, input: CRONTAB });
    expect(again.stderr).toContain('0 created, 0 updated, 3 unchanged');
    expect(again.stdout).toBe(first.stdout);

    // Importing the rewritten crontab recognises the wrapped lines: same checks, same text.
    const rewrittenAgain = await runCli(['import-crontab', '--bin', BIN, '-'], { env, input: first.stdout });
    expect(rewrittenAgain.stderr).toContain('0 created, 0 updated, 3 unchanged');
    expect(rewrittenAgain.stdout).toBe(first.stdout);
    expect(await checks()).toHaveLength(3);

    // A wrapped line, run by a shell the way cron would, reports to its check.
    const line = first.stdout.split('\n')[4];
    const command = line.split(' ').slice(5).join(' ');
    const ran = await new Promise<number | null>((resolve) => {
      spawn('/bin/sh', ['-c', command], { env: { ...env, OVERDUE_URL: t.url }, stdio: 'ignore' }).on('close', resolve);
    });
    expect(ran).toBe(0);
    const [run] = await history(t, key('echo-one-echo-two'), 'runs');
    expect(run).toMatchObject({ result: 'success', exit_code: 0 });
  });

  it('a changed schedule updates the existing check (matched by slug) and keeps its key', async () => {
    const before = (await bySlug()).get('echo-nightly-backup-done')!;
    const changed = CRONTAB.replace('0 2 * * * echo nightly', '45 3 * * * echo nightly');
    const result = await runCli(['import-crontab', '--bin', BIN, '--tz', 'Asia/Tokyo', '-'], { env, input: changed });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('0 created, 2 updated, 1 unchanged');
    const after = (await bySlug()).get('echo-nightly-backup-done')!;
    expect(after).toMatchObject({ id: before.id, key: before.key, schedule: { expr: '45 3 * * *', tz: 'Asia/Tokyo' } });
    expect(result.stdout).toContain(`45 3 * * * ${BIN} exec ${before.key} -- echo nightly backup done`);
  });

  it('reads a file, and a job the server refuses is reported and left as it was', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-crontab-')), 'crontab');
    fs.writeFileSync(file, '0 4 * * * echo fine\n61 * * * * echo never valid\n');
    const result = await runCli(['import-crontab', file], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 2 \(echo-never-valid\): not imported, left as is — .*400/);
    expect(result.stderr).toContain('1 created, 0 updated, 0 unchanged, 1 not imported');
    expect(result.stdout.split('\n')[1]).toMatch(/^0 4 \* \* \* overdue exec [0-9A-Za-z]{8} -- echo fine$/);
    expect(result.stdout.split('\n')[2]).toBe('61 * * * * echo never valid');
  });

  it('needs an API key, and prints nothing when the server cannot be reached', async () => {
    const noKey = await runCli(['import-crontab', '-'], { env: cleanEnv({ OVERDUE_URL: t.url }), input: CRONTAB });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('needs an API key with write scope');

    const readOnly = await runCli(['import-crontab', '-'], {
      env: { ...env, OVERDUE_API_KEY: await t.keyWithScope('read') },
      input: CRONTAB,
    });
    expect(readOnly).toMatchObject({ code: 1, stdout: '' });
    expect(readOnly.stderr).toContain('403');

    const down = await runCli(['import-crontab', '--retries', '0', '-'], {
      env: { ...env, OVERDUE_URL: `http://127.0.0.1:${await closedPort()}` },
      input: CRONTAB,
    });
    expect(down).toMatchObject({ code: 1, stdout: '' });
    expect(down.stderr).toContain('import failed, nothing printed');
  });
});
