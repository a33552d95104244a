// Integration snippets for a check, as text: curl, a crontab line, the exec wrapper, the SDK, Python.
import type { Check } from '../api/types';

function cronLine(check: Check): string {
  if (check.schedule.kind === 'cron') return check.schedule.expr;
  // An OnCalendar schedule belongs in a systemd timer; a crontab line can only be a placeholder.
  if (check.schedule.kind === 'oncalendar') return '* * * * *';
  const p = check.schedule.period_s;
  if (p % 86400 === 0 && p === 86400) return '0 0 * * *';
  if (p % 3600 === 0 && p < 86400 && 24 % (p / 3600) === 0) return p === 3600 ? '0 * * * *' : `0 */${p / 3600} * * *`;
  if (p % 60 === 0 && p < 3600 && 60 % (p / 60) === 0) return p === 60 ? '* * * * *' : `*/${p / 60} * * * *`;
  return '* * * * *';
}

/**
 * The snippets, as [tab, text]. Pings are joined to the job with `;`, never `&&`: an unreachable Overdue must not
 * stop the job, and the `$?` the last ping reports must be the job's exit status, not a curl's.
 */
export function snippetsFor(check: Check & { ping_url: string; key: string }): Array<[string, string]> {
  const url = check.ping_url;
  const base = new URL(url).origin;
  const tz = check.schedule.kind === 'cron' && check.schedule.tz !== 'UTC' ? `CRON_TZ=${check.schedule.tz}\n` : '';
  const curl = 'curl -fsS -m 10 --retry 5 -o /dev/null';
  return [
    [
      'curl',
      [
        '# success',
        `${curl} ${url}`,
        '',
        "# a run: its start, progress with a message, then the job's own exit status",
        `${curl} ${url}/start`,
        `${curl} "${url}/progress/50?msg=halfway"`,
        '/path/to/job.sh',
        `${curl} ${url}/$?`,
      ].join('\n'),
    ],
    ['crontab', `${tz}${cronLine(check)} ${curl} ${url}/start; /path/to/job.sh; ${curl} ${url}/$?`],
    [
      'Shell wrapper',
      [
        '# install the overdue command once per host: with Node.js (18 or later)',
        `npm install -g ${base}/sdk/overdue-sdk.tgz`,
        '# or without Node.js: a POSIX shell script that needs only curl',
        `curl -fsS ${base}/install/overdue.sh -o /usr/local/bin/overdue && chmod +x /usr/local/bin/overdue`,
        '',
        "# start, the command's output and its exit status, without changing the job",
        `OVERDUE_URL=${base} overdue exec ${check.key} -- /path/to/job.sh`,
      ].join('\n'),
    ],
    [
      'TypeScript',
      `// npm install ${base}/sdk/overdue-sdk.tgz\nimport { createClient } from '@overdue/sdk';\n\nconst overdue = createClient({ baseUrl: '${base}' });\n\n// start, then success with the duration, or fail with the error\nawait overdue.monitor('${check.key}', async () => {\n  await runJob();\n});`,
    ],
    ['Python', `python3 -c "import urllib.request; urllib.request.urlopen('${url}', timeout=10)"`],
  ];
}
