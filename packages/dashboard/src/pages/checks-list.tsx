// The checks list: every check at a glance, live. Filter, search, sort and group locally over the whole
// workspace (loaded page by page), rendered through a virtual window.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { Check, Status } from '../api/types';
import { Link, navigate, useLocation } from '../router';
import { useChecksStore } from '../state/checks';
import { useNow } from '../state/clock';
import { useCan } from '../state/session';
import { VirtualList, useNarrow } from '../components/virtual-list';
import { Empty } from '../components/ui';
import { PlusIcon } from '../components/icons';
import { count } from '../format/time';
import { CheckRow, GROUP_HEIGHT, ListHead, ROW_HEIGHT, ROW_HEIGHT_NARROW } from './check-row';
import { usePageTitle } from './page-title';

type StatusFilter = 'all' | Status | 'running';
type Sort = 'name' | 'status' | 'last_signal' | 'next_expected';
type Group = 'none' | 'project' | 'service' | 'project-service';
type Item = { kind: 'check'; check: Check } | { kind: 'group'; key: string; label: string; sub: boolean; counts: Record<string, number> };

const STATUS_FILTERS: Array<[StatusFilter, string]> = [
  ['all', 'All'],
  ['down', 'Down'],
  ['late', 'Late'],
  ['running', 'Running'],
  ['up', 'Up'],
  ['new', 'New'],
  ['paused', 'Paused'],
];
const SEVERITY: Record<string, number> = { down: 0, late: 1, new: 3, up: 4, paused: 5 };
const none = '(none)';

function matches(check: Check, f: Filters, needle: string): boolean {
  if (f.status === 'running' ? !check.running : f.status !== 'all' && check.status !== f.status) return false;
  if (f.project && (check.project ?? none) !== f.project) return false;
  if (f.service && (check.service?.name ?? none) !== f.service) return false;
  if (f.tag && !check.tags.includes(f.tag)) return false;
  if (needle) {
    const hay =
      `${check.name}\n${check.slug}\n${check.key}\n${check.description}\n${check.project ?? ''}\n${check.service?.name ?? ''}\n${check.tags.join(' ')}`.toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  return true;
}

const time = (iso: string | null, missing: number) => (iso ? Date.parse(iso) : missing);
const SORTS: Record<Sort, (a: Check, b: Check) => number> = {
  name: (a, b) => a.name.localeCompare(b.name),
  status: (a, b) =>
    SEVERITY[a.status] - (a.running ? 0.5 : 0) - (SEVERITY[b.status] - (b.running ? 0.5 : 0)) || a.name.localeCompare(b.name),
  last_signal: (a, b) => time(b.last_signal_at, -Infinity) - time(a.last_signal_at, -Infinity) || a.name.localeCompare(b.name),
  next_expected: (a, b) => time(a.next_expected, Infinity) - time(b.next_expected, Infinity) || a.name.localeCompare(b.name),
};

interface Filters {
  q: string;
  status: StatusFilter;
  project: string;
  service: string;
  tag: string;
  sort: Sort;
  group: Group;
}

/** Flattens sorted checks into group headers and rows for the virtual list. */
function grouped(checks: Check[], group: Group): Item[] {
  if (group === 'none') return checks.map((check) => ({ kind: 'check', check }));
  const levels = (c: Check): string[] => {
    if (group === 'project') return [c.project ?? none];
    if (group === 'service') return [c.service?.name ?? none];
    return [c.project ?? none, c.service?.name ?? none];
  };
  const tree = new Map<string, Map<string, Check[]>>();
  for (const check of checks) {
    const [a, b = ''] = levels(check);
    const inner = tree.get(a) ?? tree.set(a, new Map()).get(a)!;
    (inner.get(b) ?? inner.set(b, []).get(b)!).push(check);
  }
  const tally = (list: Check[]) => {
    const counts: Record<string, number> = { total: list.length, down: 0, late: 0, up: 0 };
    for (const c of list) counts[c.status] = (counts[c.status] ?? 0) + 1;
    return counts;
  };
  const byName = (x: string, y: string) => (x === none ? 1 : y === none ? -1 : x.localeCompare(y));
  const items: Item[] = [];
  for (const a of [...tree.keys()].sort(byName)) {
    const inner = tree.get(a)!;
    items.push({ kind: 'group', key: `g:${a}`, label: a, sub: false, counts: tally([...inner.values()].flat()) });
    for (const b of [...inner.keys()].sort(byName)) {
      if (group === 'project-service') items.push({ kind: 'group', key: `g:${a}/${b}`, label: b, sub: true, counts: tally(inner.get(b)!) });
      for (const check of inner.get(b)!) items.push({ kind: 'check', check });
    }
  }
  return items;
}

function useFilters(): [Filters, (change: Partial<Filters>) => void] {
  const { search } = useLocation();
  const filters: Filters = {
    q: search.get('q') ?? '',
    status: (search.get('status') as StatusFilter) ?? 'all',
    project: search.get('project') ?? '',
    service: search.get('service') ?? '',
    tag: search.get('tag') ?? '',
    sort: (search.get('sort') as Sort) ?? 'status',
    group: (search.get('group') as Group) ?? 'none',
  };
  // Filters live in the address, so a filtered view can be bookmarked and shared.
  const set = (change: Partial<Filters>) => {
    const next = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(change)) {
      const isDefault = v === '' || (k === 'status' && v === 'all') || (k === 'sort' && v === 'status') || (k === 'group' && v === 'none');
      if (isDefault) next.delete(k);
      else next.set(k, String(v));
    }
    const query = next.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
    dispatchEvent(new PopStateEvent('popstate'));
  };
  return [filters, set];
}

export function ChecksPage() {
  usePageTitle('Checks');
  const store = useChecksStore();
  const now = useNow();
  const narrow = useNarrow();
  const can = useCan();
  const [filters, setFilters] = useFilters();
  const [query, setQuery] = useState(filters.q);

  const all = useMemo(() => [...store.byId.values()], [store.version]);
  const facets = useMemo(() => {
    const projects = new Set<string>();
    const services = new Set<string>();
    const tags = new Set<string>();
    const statuses: Record<string, number> = { all: all.length, running: 0 };
    for (const c of all) {
      projects.add(c.project ?? none);
      services.add(c.service?.name ?? none);
      c.tags.forEach((t) => tags.add(t));
      statuses[c.status] = (statuses[c.status] ?? 0) + 1;
      if (c.running) statuses.running += 1;
    }
    const sorted = (s: Set<string>) => [...s].sort((a, b) => (a === none ? 1 : b === none ? -1 : a.localeCompare(b)));
    return { projects: sorted(projects), services: sorted(services), tags: sorted(tags), statuses };
  }, [all]);
  // Names more than one check has: their rows show the slug too, so they can be told apart.
  const sharedNames = useMemo(() => {
    const seen = new Set<string>();
    const shared = new Set<string>();
    for (const c of all) (seen.has(c.name) ? shared : seen).add(c.name);
    return shared;
  }, [all]);
  const items = useMemo(() => {
    const needle = filters.q.trim().toLowerCase();
    const shown = all.filter((c) => matches(c, filters, needle)).sort(SORTS[filters.sort] ?? SORTS.status);
    return { shown: shown.length, list: grouped(shown, filters.group) };
  }, [all, filters.q, filters.status, filters.project, filters.service, filters.tag, filters.sort, filters.group]);

  // Marks for measuring the first load (read by the scale test; visible in any browser's performance tools).
  useEffect(() => {
    if (items.shown > 0) markOnce('overdue:first-rows');
    if (store.complete) markOnce('overdue:all-checks');
  }, [items.shown, store.complete]);

  const rowHeight = narrow ? ROW_HEIGHT_NARROW : ROW_HEIGHT;
  const heightOf = useCallback((item: Item) => (item.kind === 'group' ? GROUP_HEIGHT : rowHeight), [rowHeight]);
  const keyOf = useCallback((item: Item) => (item.kind === 'group' ? item.key : item.check.id), []);

  const empty = store.complete && all.length === 0;
  return (
    <>
      <div class="page-head">
        <div class="title">
          <h1>Checks</h1>
          <p class="muted small num">
            {checksCount(facets.statuses.all)} ·{' '}
            <span class={facets.statuses.down ? 'c-down' : ''}>{count(facets.statuses.down ?? 0)} down</span> ·{' '}
            {count(facets.statuses.late ?? 0)} late · {count(facets.statuses.running)} running
          </p>
        </div>
        {can.write && (
          <div class="actions">
            <Link class="btn primary" href="/checks/new">
              <PlusIcon /> New check
            </Link>
          </div>
        )}
      </div>
      {empty ? (
        <div class="card">
          <Empty title="No checks yet">
            <p>A check watches one job: create one, then ping its URL when the job runs.</p>
            {can.write && (
              <Link class="btn primary" href="/checks/new">
                <PlusIcon /> Create your first check
              </Link>
            )}
          </Empty>
        </div>
      ) : (
        <>
          <div class="toolbar" role="search">
            <label class="sr-only" for="check-search">
              Search checks
            </label>
            <input
              id="check-search"
              class="input search"
              type="search"
              placeholder="Search by name, slug, key, tag…"
              value={query}
              onInput={(e) => {
                setQuery(e.currentTarget.value);
                setFilters({ q: e.currentTarget.value });
              }}
            />
            <FilterSelect
              label="Project"
              value={filters.project}
              options={facets.projects}
              onChange={(project) => setFilters({ project })}
            />
            <FilterSelect
              label="Service"
              value={filters.service}
              options={facets.services}
              onChange={(service) => setFilters({ service })}
            />
            {facets.tags.length > 0 && (
              <FilterSelect label="Tag" value={filters.tag} options={facets.tags} onChange={(tag) => setFilters({ tag })} />
            )}
          </div>
          <div class="toolbar">
            <div class="segmented" role="group" aria-label="Status">
              {STATUS_FILTERS.map(([value, label]) => (
                <button key={value} type="button" aria-pressed={filters.status === value} onClick={() => setFilters({ status: value })}>
                  {label} <span class="n">{count(facets.statuses[value] ?? 0)}</span>
                </button>
              ))}
            </div>
            <span class="spacer" />
            <label class="sr-only" for="check-sort">
              Sort by
            </label>
            <select
              id="check-sort"
              class="input"
              value={filters.sort}
              onChange={(e) => setFilters({ sort: e.currentTarget.value as Sort })}
            >
              <option value="status">Sort: worst first</option>
              <option value="name">Sort: name</option>
              <option value="last_signal">Sort: last signal</option>
              <option value="next_expected">Sort: next expected</option>
            </select>
            <label class="sr-only" for="check-group">
              Group by
            </label>
            <select
              id="check-group"
              class="input"
              value={filters.group}
              onChange={(e) => setFilters({ group: e.currentTarget.value as Group })}
            >
              <option value="none">No grouping</option>
              <option value="project">Group: project</option>
              <option value="service">Group: service</option>
              <option value="project-service">Group: project › service</option>
            </select>
          </div>
          <div class="list">
            <ListHead />
            {all.length === 0 ? (
              <Skeleton />
            ) : items.shown === 0 ? (
              <Empty title="No check matches">
                <button
                  type="button"
                  class="btn"
                  onClick={() => {
                    setQuery('');
                    navigate('/', true);
                  }}
                >
                  Clear filters
                </button>
              </Empty>
            ) : (
              <VirtualList
                items={items.list}
                keyOf={keyOf}
                heightOf={heightOf}
                label="Checks"
                render={(item) =>
                  item.kind === 'group' ? (
                    <GroupRow item={item} />
                  ) : (
                    <CheckRow check={item.check} now={now} showSlug={sharedNames.has(item.check.name)} />
                  )
                }
              />
            )}
            <div class="list-foot num" aria-live="polite">
              <span>{items.shown === all.length ? checksCount(all.length) : `${count(items.shown)} of ${checksCount(all.length)}`}</span>
              <span>{store.error ? `Could not load everything: ${store.error}` : store.complete ? '' : 'Loading more…'}</span>
            </div>
          </div>
        </>
      )}
    </>
  );
}

/** "1 check", "2 checks". */
function checksCount(n: number): string {
  return `${count(n)} check${n === 1 ? '' : 's'}`;
}

function markOnce(name: string): void {
  if (performance.getEntriesByName(name).length === 0) performance.mark(name);
}

function FilterSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: string[];
  onChange(value: string): void;
}) {
  const id = `filter-${label.toLowerCase()}`;
  return (
    <>
      <label class="sr-only" for={id}>
        {label}
      </label>
      <select id={id} class="input" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">All {label.toLowerCase()}s</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </>
  );
}

function GroupRow({ item }: { item: Extract<Item, { kind: 'group' }> }) {
  return (
    <div class={`group-row${item.sub ? ' sub' : ''}`}>
      <span class="truncate">{item.label}</span>
      <span class="counts num">
        {item.counts.down > 0 && (
          <span class="c-down">
            <span class="dot" />
            {item.counts.down} down
          </span>
        )}
        {item.counts.late > 0 && (
          <span class="c-late">
            <span class="dot" />
            {item.counts.late} late
          </span>
        )}
        <span>{checksCount(item.counts.total)}</span>
      </span>
    </div>
  );
}

function Skeleton() {
  return (
    <div aria-busy="true" aria-label="Loading checks">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} class="check-row">
          <span class="skeleton" />
          <span class="skeleton" />
          <span class="skeleton hide-sm" />
          <span class="skeleton" />
          <span class="skeleton hide-sm" />
          <span class="skeleton hide-sm" />
          <span class="skeleton hide-sm" />
        </div>
      ))}
    </div>
  );
}
