// Cron jobs: every job by project, service and host, with a roll-up of the hosts that report runs.
import { useMemo, useState } from 'preact/hooks';
import type { Check } from '../api/types';
import { Link } from '../router';
import { useChecksStore } from '../state/checks';
import { useNow } from '../state/clock';
import { StatusBadge } from '../components/status';
import { Empty } from '../components/ui';
import { absolute, count, duration, relative } from '../format/time';
import { scheduleInWords } from '../format/schedule';
import { usePageTitle } from './page-title';
import { nextExpected } from './check-row';

const NO_PROJECT = 'No project';
const NO_SERVICE = 'No service';
const NO_HOST = 'Host not reported';

type Tree = Map<string, Map<string, Map<string, Check[]>>>;

function build(checks: Check[]): Tree {
  const tree: Tree = new Map();
  for (const c of [...checks].sort((a, b) => a.name.localeCompare(b.name))) {
    const p = c.project ?? NO_PROJECT;
    const s = c.service?.name ?? NO_SERVICE;
    const h = c.host ?? NO_HOST;
    const services = tree.get(p) ?? tree.set(p, new Map()).get(p)!;
    const hosts = services.get(s) ?? services.set(s, new Map()).get(s)!;
    (hosts.get(h) ?? hosts.set(h, []).get(h)!).push(c);
  }
  return tree;
}

const ordered = <T,>(map: Map<string, T>, last: string) =>
  [...map.entries()].sort(([a], [b]) => (a === last ? 1 : b === last ? -1 : a.localeCompare(b)));

function tally(checks: Check[]) {
  return { total: checks.length, down: checks.filter((c) => c.status === 'down').length, running: checks.filter((c) => c.running).length };
}

export function CronJobsPage() {
  usePageTitle('Cron jobs');
  const store = useChecksStore();
  const now = useNow();
  const [cronOnly, setCronOnly] = useState(false);
  const checks = useMemo(() => [...store.byId.values()].filter((c) => !cronOnly || c.schedule.kind === 'cron'), [store.version, cronOnly]);
  const tree = useMemo(() => build(checks), [checks]);
  const sharedNames = useMemo(() => {
    const seen = new Set<string>();
    const shared = new Set<string>();
    for (const c of checks) (seen.has(c.name) ? shared : seen).add(c.name);
    return shared;
  }, [checks]);
  const hosts = useMemo(() => {
    const byHost = new Map<string, Check[]>();
    for (const c of checks) if (c.host) (byHost.get(c.host) ?? byHost.set(c.host, []).get(c.host)!).push(c);
    return [...byHost.entries()]
      .map(([host, list]) => ({
        host,
        ...tally(list),
        lastSeen: list.reduce<string | null>((a, c) => (c.last_signal_at && (!a || c.last_signal_at > a) ? c.last_signal_at : a), null),
        projects: [...new Set(list.map((c) => c.project ?? NO_PROJECT))].sort(),
      }))
      .sort((a, b) => b.down - a.down || a.host.localeCompare(b.host));
  }, [checks]);

  return (
    <>
      <div class="page-head">
        <div class="title">
          <h1>Cron jobs</h1>
          <p class="muted small">Jobs by project, service and the host that ran them last.</p>
        </div>
        <label class="check-line">
          <input type="checkbox" checked={cronOnly} onChange={(e) => setCronOnly(e.currentTarget.checked)} /> Only cron schedules
        </label>
      </div>
      {checks.length === 0 ? (
        <div class="card">
          <Empty title="No jobs yet">
            <p>Jobs appear here once checks exist.</p>
          </Empty>
        </div>
      ) : (
        <div class="stack">
          <section class="card" aria-labelledby="h-hosts">
            <div class="card-head">
              <h2 id="h-hosts">Hosts</h2>
              <span class="muted small">{count(hosts.length)} reporting</span>
            </div>
            <div class="card-body">
              {hosts.length === 0 ? (
                <p class="muted small">
                  No run has reported its host yet. Runs started by <code>overdue exec</code> or with a host header name the machine they
                  ran on.
                </p>
              ) : (
                <div class="table-wrap">
                  <table class="table">
                    <thead>
                      <tr>
                        <th>Host</th>
                        <th class="r">Jobs</th>
                        <th class="r">Down</th>
                        <th class="r">Running</th>
                        <th>Projects</th>
                        <th>Last signal</th>
                      </tr>
                    </thead>
                    <tbody>
                      {hosts.map((h) => (
                        <tr key={h.host}>
                          <td class="mono">{h.host}</td>
                          <td class="r">{h.total}</td>
                          <td class={`r${h.down ? ' c-down' : ''}`}>{h.down}</td>
                          <td class="r">{h.running}</td>
                          <td class="small">{h.projects.join(', ')}</td>
                          <td title={absolute(h.lastSeen)}>{relative(h.lastSeen, now)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </div>
          </section>
          {ordered(tree, NO_PROJECT).map(([project, services]) => {
            const all = [...services.values()].flatMap((h) => [...h.values()].flat());
            const t = tally(all);
            return (
              <section key={project} class="card" aria-label={`Project ${project}`}>
                <details open={all.length <= 300}>
                  <summary class="project-summary">
                    <h2>{project}</h2>
                    <span class="small muted num">
                      {t.total} job{t.total === 1 ? '' : 's'}
                      {t.down ? (
                        <>
                          {' '}
                          · <span class="c-down">{t.down} down</span>
                        </>
                      ) : (
                        ''
                      )}
                      {t.running ? ` · ${t.running} running` : ''}
                    </span>
                  </summary>
                  <div class="table-wrap">
                    <table class="table jobs stacked">
                      <colgroup>
                        <col class="c-status" />
                        <col />
                        <col class="c-schedule" />
                        <col class="c-time" />
                        <col class="c-time" />
                        <col class="c-duration" />
                      </colgroup>
                      <tbody>
                        {ordered(services, NO_SERVICE).flatMap(([service, byHost]) => [
                          <tr key={`s:${service}`} class="service-head">
                            <th colSpan={6} scope="rowgroup">
                              {service}
                            </th>
                          </tr>,
                          ...ordered(byHost, NO_HOST).flatMap(([host, jobs]) => [
                            <tr key={`h:${service}/${host}`} class="host-head">
                              <td colSpan={6}>
                                <span class={host === NO_HOST ? '' : 'mono'}>{host}</span> · {jobs.length} job{jobs.length === 1 ? '' : 's'}
                              </td>
                            </tr>,
                            ...jobs.map((c) => (
                              <tr key={c.id}>
                                <td>
                                  <StatusBadge check={c} />
                                </td>
                                <td class="truncate job-name">
                                  <Link href={`/checks/${c.id}`}>{c.name}</Link>
                                  {sharedNames.has(c.name) && <span class="mono xs muted"> {c.slug}</span>}
                                </td>
                                <td class="small truncate wide">{scheduleInWords(c.schedule)}</td>
                                <td class="small" title={absolute(c.last_signal_at)}>
                                  last {relative(c.last_signal_at, now)}
                                </td>
                                <td class={`small${c.status === 'down' ? ' c-down' : ''}`}>
                                  {c.status === 'down' ? 'overdue' : `next ${nextExpected(c, now)}`}
                                </td>
                                <td class="small r">{duration(c.last_duration_ms)}</td>
                              </tr>
                            )),
                          ]),
                        ])}
                      </tbody>
                    </table>
                  </div>
                </details>
              </section>
            );
          })}
        </div>
      )}
    </>
  );
}
