// Inline SVG and CSS charts for a check: the status timeline (24 hours, 90 days), run durations, stats buckets.
import type { Run, Stats, Timeline } from '../api/types';
import { absolute, duration, percent } from '../format/time';

const DAY = 86_400_000;

/** The last 24 hours as one bar of status periods. */
export function TimelineBar({ timeline }: { timeline: Timeline }) {
  const from = Date.parse(timeline.from);
  const span = Date.parse(timeline.to) - from;
  const start = timeline.periods.length ? Date.parse(timeline.periods[0].from) : Date.parse(timeline.to);
  return (
    <div>
      <div class="timeline-bar" role="img" aria-label={`Status over the last 24 hours: ${percent(timeline.uptime)} up`}>
        {start > from && <span style={{ width: `${((start - from) / span) * 100}%` }} title="before the check existed" />}
        {timeline.periods.map((p) => {
          const width = ((Date.parse(p.to) - Date.parse(p.from)) / span) * 100;
          return <span key={p.from} class={`s-${p.status}`} style={{ width: `${width}%` }} title={`${p.status} from ${absolute(p.from)} to ${absolute(p.to)}`} />;
        })}
      </div>
      <div class="axis"><span>24 hours ago</span><span>now</span></div>
    </div>
  );
}

/** 90 days as one cell per day, coloured by the worst status that day. */
export function DaysBar({ timeline }: { timeline: Timeline }) {
  const to = Date.parse(timeline.to);
  const days = Array.from({ length: 90 }, (_, i) => ({ from: to - (90 - i) * DAY, to: to - (89 - i) * DAY, ms: {} as Record<string, number> }));
  for (const p of timeline.periods) {
    const pf = Date.parse(p.from);
    const pt = Date.parse(p.to);
    for (let i = Math.max(0, Math.floor((pf - (to - 90 * DAY)) / DAY)); i < 90 && days[i].from < pt; i += 1) {
      const overlap = Math.min(pt, days[i].to) - Math.max(pf, days[i].from);
      if (overlap > 0) days[i].ms[p.status] = (days[i].ms[p.status] ?? 0) + overlap;
    }
  }
  return (
    <div>
      <div class="days" role="img" aria-label={`Status over the last 90 days: ${percent(timeline.uptime)} up`}>
        {days.map((d) => {
          const total = Object.values(d.ms).reduce((a, b) => a + b, 0);
          const kind = !total ? '' : d.ms.down ? 'down' : d.ms.late ? 'late' : d.ms.up ? 'up' : d.ms.paused ? 'paused' : 'new';
          const up = total ? ((d.ms.up ?? 0) / total) : null;
          const day = new Date(d.from + DAY / 2).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
          return <span key={d.from} class={kind ? `s-${kind}` : ''} title={total ? `${day}: ${percent(up)} up` : `${day}: no data`} />;
        })}
      </div>
      <div class="axis"><span>90 days ago</span><span>today</span></div>
    </div>
  );
}

/** Durations of recent runs, oldest on the left, coloured by result. */
export function DurationChart({ runs }: { runs: Run[] }) {
  const done = runs.filter((r) => r.duration_ms != null).slice(0, 60).reverse();
  if (done.length === 0) return <p class="muted small">No finished runs yet: durations appear once a run has a start and an end.</p>;
  const max = Math.max(...done.map((r) => r.duration_ms!), 1);
  const W = 1000;
  const H = 140;
  const gap = 3;
  // Bars never grow wider than 28 units: a few runs stay bars, not a wall.
  const bar = Math.min(28, Math.max(2, (W - 40) / done.length - gap));
  const span = done.length * (bar + gap);
  // "oldest" and "latest" both only when the bars spread far enough for the two words not to overlap.
  const spread = span > 120;
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H + 20}`} role="img" aria-label={`Durations of the last ${done.length} runs; longest ${duration(max)}`}>
      <line class="grid" x1="40" x2={W} y1={H} y2={H} />
      <line class="grid" x1="40" x2={W} y1={H / 2} y2={H / 2} />
      <text x="36" y={H / 2 + 4} text-anchor="end">{duration(max / 2)}</text>
      <text x="36" y="12" text-anchor="end">{duration(max)}</text>
      {done.map((r, i) => {
        const h = Math.max(2, (r.duration_ms! / max) * (H - 8));
        return (
          <rect key={r.id} class={`bar-${r.result ?? 'running'}`} x={40 + i * (bar + gap)} y={H - h} width={bar} height={h} rx="1.5">
            <title>{`${absolute(r.started_at)}: ${duration(r.duration_ms)} (${r.result ?? 'running'})`}</title>
          </rect>
        );
      })}
      {spread && <text x="40" y={H + 16}>oldest</text>}
      <text x={spread ? 40 + span - gap : 40} y={H + 16} text-anchor={spread ? 'end' : 'start'}>{done.length === 1 ? 'latest run' : 'latest'}</text>
    </svg>
  );
}

/** Expected beats against completions and failures per hour. */
export function StatsChart({ stats }: { stats: Stats }) {
  const W = 1000;
  const H = 120;
  const max = Math.max(1, ...stats.buckets.map((b) => Math.max(b.expected, b.completes + b.fails)));
  const slot = (W - 30) / Math.max(1, stats.buckets.length);
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H + 20}`} role="img" aria-label="Expected beats, completions and failures per hour over the last 24 hours">
      <line class="grid" x1="30" x2={W} y1={H} y2={H} />
      <text x="26" y="12" text-anchor="end">{Math.round(max)}</text>
      {stats.buckets.map((b, i) => {
        const x = 30 + i * slot;
        const w = Math.max(1, slot / 2 - 1);
        const eh = (b.expected / max) * (H - 6);
        const ch = (b.completes / max) * (H - 6);
        const fh = (b.fails / max) * (H - 6);
        return (
          <g key={b.at}>
            <title>{`${absolute(b.at, false)}: ${Math.round(b.expected * 10) / 10} expected, ${b.completes} completed, ${b.fails} failed, ${b.runs} runs`}</title>
            <rect class="bar-expected" x={x} y={H - eh} width={w} height={eh} />
            <rect class="bar-success" x={x + w + 1} y={H - ch - fh} width={w} height={ch} />
            <rect class="bar-fail" x={x + w + 1} y={H - fh} width={w} height={fh} />
          </g>
        );
      })}
      <text x="30" y={H + 16}>24 h ago</text>
      <text x={W} y={H + 16} text-anchor="end">now</text>
    </svg>
  );
}
