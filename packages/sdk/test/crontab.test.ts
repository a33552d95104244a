// Reading crontabs and wrapping their jobs: pure text rules, no server.
import { describe, expect, it } from 'vitest';
import { nameOf, parseCrontab, rewriteCrontab, splitRedirections, wrapCommand } from '../src/cli/crontab.js';

const keysFor = (jobs: Array<{ line: number }>) => new Map(jobs.map((job, i) => [job.line, `key0000${i}`]));

describe('parseCrontab', () => {
  it('reads schedules, macros and commands, and skips what it cannot watch', () => {
    const parsed = parseCrontab(
      [
        '# backups',
        'MAILTO=ops@example.com',
        '0 2 * * * /usr/local/bin/backup.sh --full > /var/log/backup.log 2>&1',
        '@hourly   /opt/sync',
        '@reboot /usr/bin/start-things',
        'not a cron line',
      ].join('\n'),
      { tz: 'Europe/Berlin' },
    );
    expect(parsed.jobs.map((j) => [j.line, j.expr, j.tz, j.command, j.slug])).toEqual([
      [2, '0 2 * * *', 'Europe/Berlin', '/usr/local/bin/backup.sh --full > /var/log/backup.log 2>&1', 'backup-sh-full'],
      [3, '0 * * * *', 'Europe/Berlin', '/opt/sync', 'sync'],
    ]);
    expect(parsed.skipped.map((s) => s.line)).toEqual([4, 5]);
  });

  it('a CRON_TZ line sets the time zone of the jobs below it', () => {
    const parsed = parseCrontab('0 1 * * * a\nCRON_TZ=America/New_York\n0 1 * * * b\nCRON_TZ=\n0 1 * * * c', { tz: 'UTC' });
    expect(parsed.jobs.map((j) => j.tz)).toEqual(['UTC', 'America/New_York', 'UTC']);
  });

  it('a "# overdue: name" comment names the job below it; equal names get numbered slugs', () => {
    const parsed = parseCrontab(
      '# overdue: Nightly report\n30 6 * * 1-5 /opt/report/run\n0 * * * * /opt/report/run\n5 * * * * /opt/report/run',
      { tz: 'UTC', prefix: 'web-1' },
    );
    expect(parsed.jobs.map((j) => [j.name, j.slug])).toEqual([
      ['Nightly report', 'web-1-nightly-report'],
      ['run', 'web-1-run'],
      ['run', 'web-1-run-2'],
    ]);
  });

  it('a system crontab has a user field between the schedule and the command', () => {
    const [job] = parseCrontab('17 * * * * root cd / && run-parts --report /etc/cron.hourly', { tz: 'UTC', system: true }).jobs;
    expect(job).toMatchObject({ user: 'root', command: 'cd / && run-parts --report /etc/cron.hourly' });
    expect(rewriteCrontab(parseCrontab('17 * * * * root /bin/true', { tz: 'UTC', system: true }), new Map([[0, 'k']]))).toBe(
      '17 * * * * root overdue exec k -- /bin/true\n',
    );
  });

  it("keeps cron's %-stdin part outside the wrapper, where cron expects it", () => {
    const parsed = parseCrontab('0 9 * * * mail -s report ops%Good morning%bye', { tz: 'UTC' });
    expect(parsed.jobs[0]).toMatchObject({ command: 'mail -s report ops', stdin: '%Good morning%bye' });
    expect(rewriteCrontab(parsed, new Map([[0, 'k']]))).toBe('0 9 * * * overdue exec k -- mail -s report ops%Good morning%bye\n');
  });
});

describe('wrapping commands', () => {
  it('passes a plain program-and-arguments command as is', () => {
    expect(wrapCommand('/usr/local/bin/backup.sh --full')).toBe('/usr/local/bin/backup.sh --full');
  });

  it('runs anything needing a shell through sh -c, quoting single quotes', () => {
    expect(wrapCommand("cd /srv && echo 'it''s' | tee out")).toBe(`sh -c 'cd /srv && echo '\\''it'\\'''\\''s'\\'' | tee out'`);
    expect(wrapCommand('FOO=1 ./job')).toBe("sh -c 'FOO=1 ./job'");
  });

  it("leaves trailing redirections outside, so the job's output (seen by overdue) still lands in the log file", () => {
    expect(splitRedirections('./a.sh && ./b.sh >> /var/log/x.log 2>&1')).toEqual({
      core: './a.sh && ./b.sh',
      redirections: ' >> /var/log/x.log 2>&1',
    });
    expect(wrapCommand('./a.sh && ./b.sh >> /var/log/x.log 2>&1')).toBe("sh -c './a.sh && ./b.sh' >> /var/log/x.log 2>&1");
  });

  it('names a job by its command without paths or redirections', () => {
    expect(nameOf('/usr/local/bin/backup.sh --full > /dev/null 2>&1')).toBe('backup.sh --full');
  });
});

describe('rewriteCrontab', () => {
  const original = [
    'SHELL=/bin/sh',
    '# nightly',
    '0 2 * * * /usr/local/bin/backup.sh > /var/log/backup.log 2>&1',
    '*/15 * * * * cd /srv/app && ./manage.py cleanup',
    '@reboot /usr/bin/start-things',
  ].join('\n');

  it('wraps each job with its check key and adds OVERDUE_URL once', () => {
    const parsed = parseCrontab(original, { tz: 'UTC' });
    expect(rewriteCrontab(parsed, keysFor(parsed.jobs), { url: 'http://overdue.internal:8000' })).toBe(
      [
        'OVERDUE_URL=http://overdue.internal:8000',
        'SHELL=/bin/sh',
        '# nightly',
        '0 2 * * * overdue exec key00000 -- /usr/local/bin/backup.sh > /var/log/backup.log 2>&1',
        "*/15 * * * * overdue exec key00001 -- sh -c 'cd /srv/app && ./manage.py cleanup'",
        '@reboot /usr/bin/start-things',
        '',
      ].join('\n'),
    );
  });

  it('recognises its own output: a second pass finds the same jobs and writes the same text', () => {
    const first = parseCrontab(original, { tz: 'UTC', bin: '/usr/local/bin/overdue' });
    const once = rewriteCrontab(first, keysFor(first.jobs), { url: 'http://o:1', bin: '/usr/local/bin/overdue' });
    const second = parseCrontab(once, { tz: 'UTC', bin: '/usr/local/bin/overdue' });
    expect(second.jobs.map((j) => [j.command, j.slug])).toEqual(first.jobs.map((j) => [j.command, j.slug]));
    expect(rewriteCrontab(second, keysFor(second.jobs), { url: 'http://o:1', bin: '/usr/local/bin/overdue' })).toBe(once);
  });

  it('leaves lines without a check untouched', () => {
    const parsed = parseCrontab(original, { tz: 'UTC' });
    expect(rewriteCrontab(parsed, new Map())).toBe(`${original}\n`);
  });
});
