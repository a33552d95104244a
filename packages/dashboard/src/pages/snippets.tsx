// Integration snippets with this check's real ping URL filled in: curl, crontab, the exec wrapper, the SDK, Python.
import { useState } from 'preact/hooks';
import type { Check } from '../api/types';
import { CopyButton } from '../components/ui';

function cronLine(check: Check): string {
  if (check.schedule.kind === 'cron') return check.schedule.expr;
  const p = check.schedule.period_s;
  if (p % 86400 === 0 && p === 86400) return '0 0 * * *';
  if (p % 3600 === 0 && p < 86400 && 24 % (p / 3600) === 0) return p === 3600 ? '0 * * * *' : `0 */${p / 3600} * * *`;
  if (p % 60 === 0 && p < 3600 && 60 % (p / 60) === 0) return p === 60 ? '* * * * *' : `*/${p / 60} * * * *`;
  return '* * * * *';
}

export function snippetsFor(check: Check & { ping_url: string; key: string }): Array<[string, string]> {
  const url = check.ping_url;
  const base = new URL(url).origin;
  const tz = check.schedule.kind === 'cron' && check.schedule.tz !== 'UTC' ? `CRON_TZ=${check.schedule.tz}\n` : '';
  return [
    ['curl', `# success\ncurl -fsS -m 10 --retry 5 ${url}\n\n# a run with a start, progress and its exit status\ncurl -fsS -m 10 --retry 5 ${url}/start\ncurl -fsS -m 10 ${url}/progress/50 -d 'halfway'\ncurl -fsS -m 10 --retry 5 ${url}/$?`],
    ['crontab', `${tz}${cronLine(check)} curl -fsS -m 10 --retry 5 -o /dev/null ${url}/start && /path/to/job.sh; curl -fsS -m 10 --retry 5 -o /dev/null ${url}/$?`],
    ['Shell wrapper', `# start, the command's output and its exit status, without changing the job\nOVERDUE_URL=${base} overdue exec ${check.key} -- /path/to/job.sh`],
    ['TypeScript', `import { createClient } from '@overdue/sdk';\n\nconst overdue = createClient({ baseUrl: '${base}' });\n\n// start, then success with the duration, or fail with the error\nawait overdue.monitor('${check.key}', async () => {\n  await runJob();\n});`],
    ['Python', `python3 -c "import urllib.request; urllib.request.urlopen('${url}', timeout=10)"`],
  ];
}

export function Snippets({ check }: { check: Check & { ping_url: string; key: string } }) {
  const snippets = snippetsFor(check);
  const [tab, setTab] = useState(0);
  const [, text] = snippets[tab];
  return (
    <div>
      <div class="tabs" role="tablist" aria-label="Integration">
        {snippets.map(([label], i) => (
          <button key={label} type="button" role="tab" id={`snippet-tab-${i}`} aria-selected={tab === i} aria-controls="snippet-panel" onClick={() => setTab(i)}>{label}</button>
        ))}
      </div>
      <div class="snippet" role="tabpanel" id="snippet-panel" aria-labelledby={`snippet-tab-${tab}`}>
        <pre><code>{text}</code></pre>
        <CopyButton text={text} />
      </div>
    </div>
  );
}
