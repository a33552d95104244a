// Inline SVG and CSS charts for a check: the status timeline (24 hours, 90 days), run durations, stats buckets.
import type { ComponentChildren } from 'preact';
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
          return (
            <span
              key={p.from}
              class={`s-${p.status}`}
              style={{ width: `${width}%` }}
              title={`${p.status} from ${absolute(p.from)} to ${absolute(p.to)}`}
            />
          );
        })}
      </div>
      <div class="axis">
        <span>24 hours ago</span>
        <span>now</span>
      </div>
    </div>
  );
}

/** 90 days as one cell per day, coloured by the worst status that day. */
export function DaysBar({ timeline }: { timeline: Timeline }) {
  const to = Date.parse(timeline.to);
  const days = Array.from({ length: 90 }, (_, i) => ({
    from: to - (90 - i) * DAY,
    to: to - (89 - i) * DAY,
    ms: {} as Record<string, number>,
  }));
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
          const up = total ? (d.ms.up ?? 0) / total : null;
          const day = new Date(d.from + DAY / 2).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
          return <span key={d.from} class={kind ? `s-${kind}` : ''} title={total ? `${day}: ${percent(up)} up` : `${day}: no data`} />;
        })}
      </div>
      <div class="axis">
        <span>90 days ago</span>
        <span>today</span>
      </div>
    </div>
  );
}

/**
 * A bar chart that stretches to its card: bars are SVG drawn in `width` × `height` units and stretched to fit, while
 * the axis labels are HTML, so they keep the page's type size on a phone and on a wide screen alike.
 */
function BarChart({
  label,
  width,
  height,
  top,
  middle,
  x,
  children,
}: {
  label: string;
  width: number;
  height: number;
  top: string;
  middle?: string;
  x: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <figure class="chart" role="img" aria-label={label}>
      <div class="chart-plot">
        <div class="chart-y">
          <span style={{ top: '0%' }}>{top}</span>
          {middle != null && <span style={{ top: '50%' }}>{middle}</span>}
        </div>
        <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" style={{ height: `${height}px` }}>
          <line class="grid" x1="0" x2={width} y1={height} y2={height} vector-effect="non-scaling-stroke" />
          {middle != null && <line class="grid" x1="0" x2={width} y1={height / 2} y2={height / 2} vector-effect="non-scaling-stroke" />}
          {children}
        </svg>
      </div>
      <div class="axis chart-x">{x}</div>
    </figure>
  );
}

/** Durations of recent runs, oldest on the left, coloured by result. */
export function DurationChart({ runs }: { runs: Run[] }) {
  const done = runs
    .filter((r) => r.duration_ms != null)
    .slice(0, 60)
    .reverse();
  if (done.length === 0)
    return runs.length ? <p class="muted small">No finished runs yet: durations appear once a run has a start and an end.</p> : null;
  const max = Math.max(...done.map((r) => r.duration_ms!), 1);
  const W = 1000;
  const H = 140;
  const gap = 3;
  // Bars never grow wider than 28 units: a few runs stay bars, not a wall.
  const bar = Math.min(28, Math.max(2, W / done.length - gap));
  const span = done.length * (bar + gap) - gap;
  // "latest" always ends under the newest bar (the right end of the bars, which may fill only part of the plot);
  // "oldest" is added only when the bars spread far enough for the two words not to overlap.
  const spread = span > W / 4;
  const end = `max(${((span / W) * 100).toFixed(2)}%, 3.5em)`;
  const x =
    done.length === 1 ? (
      <span>latest run</span>
    ) : (
      <>
        {spread && <span>oldest</span>}
        <span class="at" style={{ left: end }}>
          latest
        </span>
      </>
    );
  return (
    <BarChart
      label={`Durations of the last ${done.length} runs; longest ${duration(max)}`}
      width={W}
      height={H}
      top={duration(max)}
      middle={duration(max / 2)}
      x={x}
    >
      {done.map((r, i) => {
        const h = Math.max(2, (r.duration_ms! / max) * (H - 4));
        return (
          <rect key={r.id} class={`bar-${r.result ?? 'running'}`} x={i * (bar + gap)} y={H - h} width={bar} height={h}>
            <title>{`${absolute(r.started_at)}: ${duration(r.duration_ms)} (${r.result ?? 'running'})`}</title>
          </rect>
        );
      })}
    </BarChart>
  );
}

/** Expected beats against completions and failures per hour. */
export function StatsChart({ stats }: { stats: Stats }) {
  const W = 1000;
  const H = 100;
  const peak = Math.max(0, ...stats.buckets.map((b) => Math.max(b.expected, b.completes + b.fails)));
  if (peak === 0) return <p class="muted small">Nothing was expected or received in the last 24 hours.</p>;
  const max = peak;
  const slot = W / Math.max(1, stats.buckets.length);
  return (
    <BarChart
      label="Expected beats, completions and failures per hour over the last 24 hours"
      width={W}
      height={H}
      top={String(Math.round(max * 10) / 10)}
      x={
        <>
          <span>24 h ago</span>
          <span>now</span>
        </>
      }
    >
      {stats.buckets.map((b, i) => {
        const x = i * slot;
        const w = Math.max(1, slot / 2 - 2);
        const eh = (b.expected / max) * (H - 4);
        const ch = (b.completes / max) * (H - 4);
        const fh = (b.fails / max) * (H - 4);
        return (
          <g key={b.at}>
            <title>{`${absolute(b.at, false)}: ${Math.round(b.expected * 10) / 10} expected, ${b.completes} completed, ${b.fails} failed, ${b.runs} runs`}</title>
            <rect class="bar-expected" x={x} y={H - eh} width={w} height={eh} />
            <rect class="bar-success" x={x + w + 1} y={H - ch - fh} width={w} height={ch} />
            <rect class="bar-fail" x={x + w + 1} y={H - fh} width={w} height={fh} />
          </g>
        );
      })}
    </BarChart>
  );
}
