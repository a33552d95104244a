// One check: status and what it is doing now, its configuration, how to ping it, and its whole history.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, get } from '../api/client';
import type { Channel, Check, Flip, Page, Run, Signal, Stats, Timeline } from '../api/types';
import { Link, navigate } from '../router';
import { checksStore, useChecksStore } from '../state/checks';
import { useNow } from '../state/clock';
import { useCan } from '../state/session';
import { ProgressBar, StatusBadge } from '../components/status';
import { Button, Confirm, CopyButton, Empty, toast, useAction } from '../components/ui';
import { absolute, count, duration, elapsed, percent, relative } from '../format/time';
import { DaysBar, StatsChart, TimelineBar } from './charts';
import { FlipList, RunsSection, SignalLog } from './check-history';
import { Snippets } from './snippets';
import { nextExpected, whereOf } from './check-row';
import { QuietNotice, SnoozeControl } from './check-quiet';
import { usePageTitle } from './page-title';
import { CheckDependencies } from './check-dependencies';
import { ProposedSchedule } from './check-proposed-schedule';
import { OpenIncident } from './incident-actions';
import { RunDeadline, RunShapeFacts } from './check-run-shape';
import { RateQuorumNow } from './check-rate-quorum';
import { Configuration, Legend, ScheduleFact, StatTotals } from './check-detail-parts';

interface History {
  runs: Run[];
  signals: Signal[];
  flips: Flip[];
  day: Timeline | null;
  quarter: Timeline | null;
  stats: Stats | null;
}

/** Charts are optional: one that cannot load leaves the rest of the page working. */
const optional = <T,>(promise: Promise<T>) => promise.catch(() => null);

async function loadHistory(id: string): Promise<History> {
  const now = Date.now();
  const [runs, signals, flips, day, quarter, stats] = await Promise.all([
    get<Page<Run>>(`/checks/${id}/runs?limit=60`),
    get<Page<Signal>>(`/checks/${id}/signals?limit=50`),
    get<{ items: Flip[] }>(`/checks/${id}/flips?limit=50`),
    optional(get<Timeline>(`/checks/${id}/timeline`)),
    optional(get<Timeline>(`/checks/${id}/timeline?from=${new Date(now - 90 * 86_400_000).toISOString()}`)),
    optional(get<Stats>(`/checks/${id}/stats?bucket=1h`)),
  ]);
  return { runs: runs.items, signals: signals.items, flips: flips.items, day, quarter, stats };
}

/** The check as the live store has it, fetched directly when the store does not have it (yet). */
function useCheck(id: string): { check: Check | null; missing: boolean } {
  const store = useChecksStore();
  const [fetched, setFetched] = useState<Check | null>(null);
  const [missing, setMissing] = useState(false);
  const live = store.byId.get(id) ?? [...store.byId.values()].find((c) => c.key === id) ?? null;
  useEffect(() => {
    setMissing(false);
    if (live) return;
    get<Check>(`/checks/${encodeURIComponent(id)}`).then(
      (c) => {
        setFetched(c);
        checksStore.upsert([c]);
      },
      (e) => {
        if (e instanceof ApiError && e.status === 404) setMissing(true);
        else toast(e.message, true);
      },
    );
  }, [id]);
  return { check: live ?? fetched, missing };
}

export function CheckPage({ id }: { id: string }) {
  const { check, missing } = useCheck(id);
  usePageTitle(check?.name ?? 'Check');
  const now = useNow();
  const can = useCan();
  const [history, setHistory] = useState<History | null>(null);
  const [channels, setChannels] = useState<Channel[]>([]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const checkId = check?.id;

  useEffect(() => {
    if (!checkId) return;
    setHistory(null);
    loadHistory(checkId).then(setHistory, (e) => toast(e.message, true));
    get<{ items: Channel[] }>('/channels').then(
      (r) => setChannels(r.items),
      () => undefined,
    );
  }, [checkId]);
  // Live: when the check changes (a signal, a flip), refresh its history shortly after, once per burst.
  useEffect(() => {
    if (!checkId || !history) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => loadHistory(checkId).then(setHistory, () => undefined), 300);
    return () => clearTimeout(timer.current);
  }, [check?.updated_at, check?.signal_count]);

  const toggle = useAction(async () => {
    const updated = await api<Check>('POST', `/checks/${check!.id}/${check!.status === 'paused' ? 'resume' : 'pause'}`);
    checksStore.upsert([updated]);
    toast(updated.status === 'paused' ? 'Paused: no alerts until you resume.' : 'Resumed: its clock starts now.');
  });
  const remove = useAction(async () => {
    await api('DELETE', `/checks/${check!.id}`);
    checksStore.remove([check!.id]);
    toast(`Deleted "${check!.name}".`);
    navigate('/');
  });

  if (missing)
    return (
      <Empty title="No such check">
        <p>It may have been deleted, or it belongs to another workspace.</p>
        <Link class="btn" href="/">
          Back to checks
        </Link>
      </Empty>
    );
  if (!check)
    return (
      <div aria-busy="true">
        <div class="skeleton" style={{ width: '240px', height: '28px' }} />
      </div>
    );

  const where = whereOf(check);
  const run = check.running ? check.current_run : null;
  const schedule = check.schedule;
  return (
    <>
      <div class="page-head">
        <div class="title">
          <nav class="crumbs" aria-label="Breadcrumb">
            <Link href="/">Checks</Link>
            <span aria-hidden="true">/</span>
            {where && (
              <>
                <span>{where}</span>
                <span aria-hidden="true">/</span>
              </>
            )}
          </nav>
          <div class="row">
            <h1 class="truncate">{check.name}</h1>
            <StatusBadge check={check} large />
            <span class="mono xs muted" title="slug · key">
              {check.slug} · {check.key}
            </span>
          </div>
          {check.description && <p class="muted">{check.description}</p>}
        </div>
        {can.write && (
          <div class="actions">
            <Link class="btn" href={`/checks/${check.id}/edit`}>
              Edit
            </Link>
            {check.status !== 'paused' && <SnoozeControl check={check} />}
            <Button busy={toggle.busy} onClick={() => void toggle.run()}>
              {check.status === 'paused' ? 'Resume' : 'Pause'}
            </Button>
            <Button variant="danger" onClick={() => setConfirmDelete(true)}>
              Delete
            </Button>
          </div>
        )}
      </div>
      {toggle.error && (
        <p class="form-error" role="alert">
          {toggle.error}
        </p>
      )}

      <div class="stack">
        <section class="card" aria-label="Now">
          <div class="card-body stack">
            <QuietNotice check={check} />
            {(check.status === 'down' || check.status === 'late') && (
              <OpenIncident checkId={check.id} changedAt={check.updated_at} now={now} />
            )}
            <CheckDependencies check={check} />
            <ProposedSchedule check={check} canWrite={can.write} />
            {run && (
              <div class="notice" data-testid="running-panel">
                <div class="row">
                  <strong>Running</strong>
                  <span class="grow truncate">{run.last_message ?? ''}</span>
                  <span class="num">
                    {run.progress != null ? `${run.progress}% · ` : ''}
                    {elapsed(run.started_at, now)} elapsed
                  </span>
                </div>
                <div style={{ marginTop: '8px' }}>
                  <ProgressBar value={run.progress} label={`Progress of ${check.name}`} />
                </div>
                <RunDeadline check={check} run={run} now={now} />
              </div>
            )}
            <dl class="facts">
              <div class="wide">
                <dt>Schedule</dt>
                <dd>
                  <ScheduleFact schedule={schedule} graceS={check.effective_grace_s} />
                </dd>
              </div>
              <div>
                <dt>Last signal</dt>
                <dd title={absolute(check.last_signal_at)}>{relative(check.last_signal_at, now)}</dd>
              </div>
              <div>
                <dt>Next expected</dt>
                <dd title={absolute(check.next_expected)} class={check.status === 'down' ? 'c-down' : undefined}>
                  {check.status === 'down' ? 'overdue: waiting for a ping' : nextExpected(check, now, 'paused')}
                </dd>
              </div>
              <div>
                <dt>Last duration</dt>
                <dd>{duration(check.last_duration_ms)}</dd>
              </div>
              <div>
                <dt>Runs</dt>
                <dd>
                  {count(check.run_count)}
                  <span class="small muted"> · {count(check.signal_count)} signals</span>
                </dd>
              </div>
              <div>
                <dt>Uptime 24 h</dt>
                <dd>{percent(history?.day?.uptime)}</dd>
              </div>
              <div>
                <dt>Uptime 90 d</dt>
                <dd>{percent(history?.quarter?.uptime)}</dd>
              </div>
              <RunShapeFacts check={check} />
            </dl>
            <RateQuorumNow check={check} />
          </div>
        </section>

        <section class="card" aria-labelledby="h-timeline">
          <div class="card-head">
            <h2 id="h-timeline">Status</h2>
            <Legend />
          </div>
          <div class="card-body stack">
            {history ? (
              <>
                {history.day && <TimelineBar timeline={history.day} />}
                {history.quarter && <DaysBar timeline={history.quarter} />}
              </>
            ) : (
              <div class="skeleton" style={{ height: '92px' }} />
            )}
          </div>
        </section>

        {check.ping_url && (
          <section class="card" aria-labelledby="h-ping">
            <div class="card-head">
              <h2 id="h-ping">Ping this check</h2>
              <div class="row">
                <code class="small">{check.ping_url}</code>
                <CopyButton text={check.ping_url} label="Copy URL" />
              </div>
            </div>
            <div class="card-body">
              <Snippets check={check as Check & { ping_url: string; key: string }} />
            </div>
          </section>
        )}

        <section class="card" aria-labelledby="h-runs">
          <div class="card-head">
            <h2 id="h-runs">Runs</h2>
            <span class="muted small">select a run to see its events</span>
          </div>
          <div class="card-body stack">
            {history ? (
              <RunsSection checkId={check.id} runs={history.runs} now={now} />
            ) : (
              <div class="skeleton" style={{ height: '140px' }} />
            )}
          </div>
        </section>

        <div class="grid-2">
          <section class="card" aria-labelledby="h-stats">
            <div class="card-head">
              <h2 id="h-stats">Last 24 hours</h2>
              {history?.stats && <StatTotals stats={history.stats} />}
            </div>
            <div class="card-body">
              {history ? history.stats && <StatsChart stats={history.stats} /> : <div class="skeleton" style={{ height: '120px' }} />}
            </div>
          </section>
          <section class="card" aria-labelledby="h-config">
            <div class="card-head">
              <h2 id="h-config">Configuration</h2>
            </div>
            <div class="card-body">
              <Configuration check={check} channels={channels} />
            </div>
          </section>
        </div>

        <section class="card" aria-labelledby="h-flips">
          <div class="card-head">
            <h2 id="h-flips">Status changes</h2>
          </div>
          <div class="card-body">{history ? <FlipList flips={history.flips} /> : null}</div>
        </section>

        <section class="card" aria-labelledby="h-signals">
          <div class="card-head">
            <h2 id="h-signals">Signal log</h2>
            <span class="muted small">newest first</span>
          </div>
          <div class="card-body">{history ? <SignalLog signals={history.signals} /> : null}</div>
        </section>
      </div>

      <Confirm
        open={confirmDelete}
        title={`Delete "${check.name}"?`}
        confirm="Delete check"
        danger
        busy={remove.busy}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => void remove.run().then(() => setConfirmDelete(false))}
      >
        Its runs, signals and incidents are deleted with it, and its ping URL stops working. This cannot be undone.
        {remove.error && <p class="form-error">{remove.error}</p>}
      </Confirm>
    </>
  );
}

/** The schedule in words over the expression; an expression with no words is shown once, with its zone. */
