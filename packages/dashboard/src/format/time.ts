// Times and durations the way people say them: "3 min ago", "in 12 s", "2m 13s", "Mar 2, 10:04".

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

function span(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return `${Math.max(1, Math.floor(abs / 1000))} s`;
  if (abs < HOUR) return `${Math.floor(abs / MINUTE)} min`;
  if (abs < DAY) return `${Math.floor(abs / HOUR)} h`;
  return `${Math.floor(abs / DAY)} d`;
}

/** "3 min ago", "in 5 min", "just now"; an em dash for no time. */
export function relative(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const diff = Date.parse(iso) - now;
  if (Math.abs(diff) < 2000) return 'just now';
  return diff < 0 ? `${span(diff)} ago` : `in ${span(diff)}`;
}

/** Elapsed time of a running job: "45s", "2m 13s", "1h 04m". */
export function elapsed(fromIso: string | null | undefined, now: number): string {
  if (!fromIso) return '';
  return clock(Math.max(0, now - Date.parse(fromIso)));
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** A duration in ms: "850 ms", "12.3 s", "2m 13s". */
export function duration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return clock(ms);
}

/** Seconds as people write a setting: "5 minutes", "1 hour", "90 seconds". */
export function seconds(s: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (s % 86400 === 0) return unit(s / 86400, 'day');
  if (s % 3600 === 0) return unit(s / 3600, 'hour');
  if (s % 60 === 0) return unit(s / 60, 'minute');
  return unit(s, 'second');
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const dateTimeShort = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** An absolute time in the viewer's zone, for titles and logs. */
export function absolute(iso: string | null | undefined, withSeconds = true): string {
  if (!iso) return '—';
  return (withSeconds ? dateTime : dateTimeShort).format(new Date(iso));
}

export function timeOfDay(iso: string): string {
  return timeOnly.format(new Date(iso));
}

export function percent(value: number | null | undefined, digits = 2): string {
  if (value == null) return '—';
  const pct = value * 100;
  return `${pct >= 99.995 && pct < 100 ? '99.99' : pct.toFixed(pct === 100 || pct === 0 ? 0 : digits)}%`;
}

export function count(n: number): string {
  return n.toLocaleString();
}
