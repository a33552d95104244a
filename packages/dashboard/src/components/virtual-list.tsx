// A list that renders only the rows near the viewport (the page itself scrolls), so 10,000 checks cost as much
// as 30. Rows have fixed heights per kind, which keeps positions exact and stops rows jumping as data changes.
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';

export interface VirtualListProps<T> {
  items: T[];
  keyOf(item: T): string;
  heightOf(item: T): number;
  render(item: T, index: number): ComponentChildren;
  /** Pixels rendered above and below the viewport. */
  overscan?: number;
  label: string;
}

export function VirtualList<T>({ items, keyOf, heightOf, render, overscan = 800, label }: VirtualListProps<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: typeof window === 'undefined' ? 1000 : window.innerHeight });

  const offsets = useMemo(() => {
    const out = new Float64Array(items.length + 1);
    for (let i = 0; i < items.length; i += 1) out[i + 1] = out[i] + heightOf(items[i]);
    return out;
  }, [items, heightOf]);

  const measure = () => {
    const el = ref.current;
    if (!el) return;
    const top = Math.max(0, -el.getBoundingClientRect().top);
    setView((v) => (Math.abs(v.top - top) < 8 && v.height === window.innerHeight ? v : { top, height: window.innerHeight }));
  };

  useLayoutEffect(measure, [items.length]);
  useEffect(() => {
    let frame = 0;
    const onScroll = () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          measure();
        });
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    return () => {
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
      cancelAnimationFrame(frame);
    };
  }, []);

  const total = offsets[items.length];
  const first = Math.max(0, search(offsets, view.top - overscan) - 1);
  const last = Math.min(items.length, search(offsets, view.top + view.height + overscan) + 1);
  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i += 1) {
    const item = items[i];
    rows.push(
      <div
        key={keyOf(item)}
        role="listitem"
        aria-posinset={i + 1}
        aria-setsize={items.length}
        style={{ top: `${offsets[i]}px`, height: `${offsets[i + 1] - offsets[i]}px` }}
      >
        {render(item, i)}
      </div>,
    );
  }
  return (
    <div ref={ref} class="list-window" role="list" aria-label={label} style={{ height: `${total}px` }}>
      {rows}
    </div>
  );
}

/** The index of the first offset greater than `y` (binary search over the prefix sums). */
function search(offsets: Float64Array, y: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid] <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True on phone-sized screens (the layout's breakpoint), re-rendering when it changes. */
export function useNarrow(): boolean {
  const query = '(max-width: 899px)';
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const mql = window.matchMedia(query);
    const update = () => setNarrow(mql.matches);
    mql.addEventListener('change', update);
    return () => mql.removeEventListener('change', update);
  }, []);
  return narrow;
}
