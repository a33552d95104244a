// What happened to a check: its runs (with each run's event timeline), the signal log with bodies, and flips.
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { Flip, Page, Run, Signal } from '../api/types';
import { get } from '../api/client';
import { StatusBadge } from '../components/status';
import { absolute, duration, elapsed, timeOfDay } from '../format/time';
import { DurationChart } from './charts';
import { useLoad } from '../components/ui';
import { bodyNote } from '../format/body-note';
import { RuleViolation } from './check-run-shape';

const RESULT_LABEL: Record<string, string> = { success: 'Success', fail: 'Failed', timeout: 'Timed out', abandoned: 'Abandoned' };

export function RunsSection({ checkId, runs, now }: { checkId: string; runs: Run[]; now: number }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <DurationChart runs={runs} />
      {runs.length === 0 ? (
        <p class="muted small">
          No runs yet. A run starts with <code>/start</code> and ends with a success, a failure or an exit status.
        </p>
      ) : (
        <div class="table-wrap">
          <table class="table stacked">
            <thead>
              <tr>
                <th>Started</th>
                <th>Result</th>
                <th class="r">Duration</th>
                <th>Host</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <Fragment key={run.id}>
                  <tr
                    class={`clickable${open === run.id ? ' selected' : ''}`}
                    tabIndex={0}
                    aria-expanded={open === run.id}
                    onClick={() => setOpen(open === run.id ? null : run.id)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        setOpen(open === run.id ? null : run.id);
                      }
                    }}
                  >
                    <td title={absolute(run.started_at)}>{absolute(run.started_at)}</td>
                    <td>
                      {run.running ? (
                        <StatusBadge check={{ status: 'up', running: true, degraded: false }} />
                      ) : (
                        <span class={`kind kind-${run.result === 'success' ? 'success' : 'fail'}`}>
                          {RESULT_LABEL[run.result ?? ''] ?? run.result}
                          {run.exit_code != null ? ` (${run.exit_code})` : ''}
                        </span>
                      )}
                      <RuleViolation run={run} />
                    </td>
                    <td class="r">{run.running ? elapsed(run.started_at, now) : duration(run.duration_ms)}</td>
                    <td class="hide-empty">{run.host ?? <span class="faint">—</span>}</td>
                    <td class="truncate wide" style={{ maxWidth: '320px' }}>
                      {run.last_message ?? ''}
                    </td>
                  </tr>
                  {open === run.id && (
                    <tr>
                      <td colSpan={5} class="wide">
                        <RunEvents checkId={checkId} run={run} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** One run from start to end: every signal it received, with the time since the start. */
function RunEvents({ checkId, run }: { checkId: string; run: Run }) {
  const { data, error } = useLoad(
    () => get<Page<Signal>>(`/checks/${checkId}/signals?run=${encodeURIComponent(run.id)}&limit=200`),
    [checkId, run.id, run.ended_at, run.progress, run.last_message],
  );
  if (error) return <p class="form-error">{error}</p>;
  if (!data) return <p class="muted small">Loading the run's events…</p>;
  const start = run.started_at ? Date.parse(run.started_at) : Date.parse(data.items[data.items.length - 1]?.at ?? '');
  const events = [...data.items].reverse();
  return (
    <ol class="events" aria-label="Events of this run">
      {events.map((s) => (
        <li key={s.id} class={`k-${s.kind}`}>
          <div class="row">
            <span class={`kind kind-${s.kind}`}>{s.kind}</span>
            {s.progress != null && <span class="num">{s.progress}%</span>}
            {s.exit_code != null && <span class="num">exit {s.exit_code}</span>}
            <span class="grow truncate">{s.message ?? ''}</span>
            <span class="when" title={absolute(s.at)}>
              {timeOfDay(s.at)} · +{duration(Date.parse(s.at) - start)}
            </span>
          </div>
          {s.body && s.body !== s.message && <pre class="body">{s.body}</pre>}
        </li>
      ))}
      {run.running && (
        <li class="k-start">
          <span class="muted small">running…</span>
        </li>
      )}
    </ol>
  );
}

export function SignalLog({ signals }: { signals: Signal[] }) {
  if (signals.length === 0) return <p class="muted small">No signals yet. Ping the URL above and it shows up here at once.</p>;
  return (
    <div class="table-wrap">
      <table class="table stacked">
        <thead>
          <tr>
            <th>Received</th>
            <th>Kind</th>
            <th>Details</th>
            <th>Source</th>
          </tr>
        </thead>
        <tbody>
          {signals.map((s) => (
            <tr key={s.id}>
              <td class="num" style={{ whiteSpace: 'nowrap' }}>
                {absolute(s.at)}
              </td>
              <td>
                <span class={`kind kind-${s.kind}`}>{s.kind}</span>
              </td>
              <td class="wide" style={{ minWidth: '220px' }}>
                {[s.progress != null ? `${s.progress}%` : '', s.exit_code != null ? `exit status ${s.exit_code}` : '', s.message ?? '']
                  .filter(Boolean)
                  .join(' · ') || <span class="faint">—</span>}
                {s.body && (
                  <details>
                    <summary class="small muted">{bodyNote(s.body, s.body_size)}</summary>
                    <pre class="body">{s.body}</pre>
                  </details>
                )}
              </td>
              <td class="small muted wide">
                {[s.method, s.source_ip, s.dialect !== 'native' ? s.dialect : ''].filter(Boolean).join(' · ')}
                {s.user_agent && (
                  <div class="truncate xs faint" style={{ maxWidth: '260px' }} title={s.user_agent}>
                    {s.user_agent}
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function FlipList({ flips }: { flips: Flip[] }) {
  if (flips.length === 0) return <p class="muted small">The status has not changed yet.</p>;
  return (
    <div class="table-wrap">
      <table class="table stacked">
        <thead>
          <tr>
            <th>When</th>
            <th>Change</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {flips.map((f) => (
            <tr key={`${f.at}-${f.to}`}>
              <td class="num" style={{ whiteSpace: 'nowrap' }}>
                {absolute(f.at)}
              </td>
              <td style={{ whiteSpace: 'nowrap' }}>
                <span class={`c-${f.from}`}>{f.from}</span> → <span class={`c-${f.to}`}>{f.to}</span>
              </td>
              <td class="wide">{f.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
