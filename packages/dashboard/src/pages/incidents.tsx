// Incidents: when checks went down, why, and for how long; open ones first.
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../api/client';
import type { Incident, Page } from '../api/types';
import { onLive } from '../api/events';
import { Link } from '../router';
import { useNow } from '../state/clock';
import { Button, Empty, useLoad } from '../components/ui';
import { absolute, duration, relative } from '../format/time';
import { usePageTitle } from './page-title';
import { AcknowledgedLine, IncidentActions } from './incident-actions';
import { IncidentFolding } from './incident-folding';

export function IncidentsPage() {
  usePageTitle('Incidents');
  const now = useNow();
  const [filter, setFilter] = useState<'all' | 'open' | 'resolved'>('all');
  const [more, setMore] = useState<Incident[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const { data, error, reload, setData } = useLoad(async () => {
    const page = await get<Page<Incident>>(`/incidents${query({ limit: 100, open: filter === 'all' ? null : filter === 'open' })}`);
    setMore([]);
    setCursor(page.next_cursor);
    return page.items;
  }, [filter]);
  // A check that flips may open or resolve an incident: refresh, at most once a second.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    return onLive({
      checks: () => {
        timer ??= setTimeout(() => {
          timer = null;
          void reload();
        }, 1000);
      },
    });
  }, [filter]);
  const items = [...(data ?? []), ...more];
  const replace = (changed: Incident) => {
    setData((data ?? []).map((i) => (i.id === changed.id ? changed : i)));
    setMore(more.map((i) => (i.id === changed.id ? changed : i)));
  };
  const loadMore = async () => {
    const page = await get<Page<Incident>>(`/incidents${query({ limit: 100, cursor, open: filter === 'all' ? null : filter === 'open' })}`);
    setMore([...more, ...page.items]);
    setCursor(page.next_cursor);
  };
  return (
    <>
      <div class="page-head">
        <div class="title">
          <h1>Incidents</h1>
          <p class="muted small">Opened when a check goes down, resolved when it recovers.</p>
        </div>
        <div class="segmented" role="group" aria-label="Show">
          {(['all', 'open', 'resolved'] as const).map((f) => (
            <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)}>
              {f[0].toUpperCase() + f.slice(1)}
            </button>
          ))}
        </div>
      </div>
      <section class="card">
        {error ? (
          <p class="form-error">{error}</p>
        ) : !data ? (
          <div class="card-body">
            <div class="skeleton" />
          </div>
        ) : items.length === 0 ? (
          <Empty title={filter === 'open' ? 'Nothing is down' : 'No incidents'}>
            <p>When a check goes down, its incident shows up here with the reason.</p>
          </Empty>
        ) : (
          <div class="table-wrap">
            <table class="table stacked">
              <thead>
                <tr>
                  <th>State</th>
                  <th>Check</th>
                  <th>Reason</th>
                  <th>Opened</th>
                  <th class="r">Duration</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.id}>
                    <td>
                      {i.open ? (
                        <span class="badge down">{i.acknowledged ? 'Acknowledged' : 'Open'}</span>
                      ) : (
                        <span class="badge up">Resolved</span>
                      )}
                      {i.open && (
                        <div>
                          <AcknowledgedLine incident={i} now={now} />
                        </div>
                      )}
                      <div>
                        <IncidentActions incident={i} onChanged={replace} />
                      </div>
                    </td>
                    <td>
                      <Link href={`/checks/${i.check_id}`}>{i.check_name ?? i.check_id}</Link>
                    </td>
                    <td class="wide">
                      {i.reason}
                      {i.resolve_reason && <div class="small muted">{i.resolve_reason}</div>}
                      <IncidentFolding incident={i} />
                    </td>
                    <td class="num" title={absolute(i.opened_at)}>
                      {relative(i.opened_at, now)}
                    </td>
                    <td class="r num">{i.open ? duration(now - Date.parse(i.opened_at)) : duration(i.duration_ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {cursor && (
          <div class="card-body">
            <Button onClick={() => void loadMore()}>Show older incidents</Button>
          </div>
        )}
      </section>
    </>
  );
}
