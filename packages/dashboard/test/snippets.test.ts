// The ping snippets the check page offers are run here with a stand-in curl: what they do when Overdue is down,
// and which exit status they report.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Check } from '../src/api/types';
import { snippetsFor } from '../src/format/snippets';

const check = {
  key: 'abc123de',
  ping_url: 'http://overdue.test:8000/ping/abc123de',
  schedule: { kind: 'cron', expr: '0 2 * * *', tz: 'Europe/Berlin' },
} as unknown as Check & { ping_url: string; key: string };
const snippet = (tab: string) => snippetsFor(check).find(([label]) => label === tab)![1];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-snippets-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs shell lines with a fake curl (it logs its last argument and exits with `curlExit`) and a job exiting with `jobExit`. */
function run(lines: string, curlExit: number, jobExit: number): { curls: string[]; jobRan: boolean } {
  const log = path.join(dir, 'curl.log');
  const ran = path.join(dir, 'job.ran');
  fs.rmSync(log, { force: true });
  fs.rmSync(ran, { force: true });
  fs.writeFileSync(path.join(dir, 'curl'), `#!/bin/sh\nfor last; do :; done\necho "$last" >> ${log}\nexit ${curlExit}\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'job.sh'), `#!/bin/sh\ntouch ${ran}\nexit ${jobExit}\n`, { mode: 0o755 });
  const script = lines.replaceAll('/path/to/job.sh', path.join(dir, 'job.sh'));
  // The script's own exit status is the last curl's; what matters is what it ran and sent.
  spawnSync('/bin/sh', ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin` } });
  return { curls: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [], jobRan: fs.existsSync(ran) };
}

/** The command part of a crontab line: after CRON_TZ and the five schedule fields. */
const commandOf = (line: string) =>
  line
    .split('\n')
    .filter((l) => !l.startsWith('CRON_TZ='))
    .join('\n')
    .split(' ')
    .slice(5)
    .join(' ');

describe('the crontab snippet', () => {
  it("keeps the check's schedule and time zone", () => {
    expect(snippet('crontab')).toMatch(/^CRON_TZ=Europe\/Berlin\n0 2 \* \* \* curl /);
  });

  it('joins the pings to the job with ";", never "&&"', () => {
    expect(snippet('crontab')).not.toContain('&&');
  });

  it("still runs the job when Overdue cannot be reached, and reports the job's exit status", () => {
    const result = run(commandOf(snippet('crontab')), 7, 3);
    expect(result.jobRan).toBe(true);
    expect(result.curls).toEqual([`${check.ping_url}/start`, `${check.ping_url}/3`]);
  });

  it('reports 0 for a job that succeeds', () => {
    expect(run(commandOf(snippet('crontab')), 0, 0).curls.at(-1)).toBe(`${check.ping_url}/0`);
  });
});

describe('the curl snippet', () => {
  it("reports the job's exit status, not the exit status of the curl before it", () => {
    const result = run(snippet('curl'), 6, 4);
    expect(result.jobRan).toBe(true);
    expect(result.curls.at(-1)).toBe(`${check.ping_url}/4`);
  });

  it("sends the progress message in the query, where it becomes the run's message", () => {
    expect(run(snippet('curl'), 0, 0).curls).toContain(`${check.ping_url}/progress/50?msg=halfway`);
  });
});

describe('the install lines', () => {
  it('install the command and the SDK from this Overdue, not from a registry', () => {
    expect(snippet('Shell wrapper')).toContain('npm install -g http://overdue.test:8000/sdk/overdue-sdk.tgz');
    expect(snippet('Shell wrapper')).toContain('curl -fsS http://overdue.test:8000/install/overdue.sh');
    expect(snippet('Shell wrapper')).toContain('OVERDUE_URL=http://overdue.test:8000 overdue exec abc123de -- /path/to/job.sh');
    expect(snippet('TypeScript')).toContain('npm install http://overdue.test:8000/sdk/overdue-sdk.tgz');
  });
});
