// An oracle for "when does a job scheduled at a local wall time run", written without croner so the
// core's cron math is checked against something independent. It follows what cron daemons do on
// daylight-saving days (and what docs/design-notes.md promises): a wall time that does not exist runs at
// the first valid minute after it; a wall time that occurs twice runs once, at the first occurrence.

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallParts(tz: string, ms: number): number[] {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, Number(p.value)]));
  return [parts.year, parts.month, parts.day, parts.hour, parts.minute];
}

/** The instant a job set for `hh:mm` local time on the given local date runs. */
export function wallClockRun(tz: string, date: string, hh: number, mm: number): number {
  const [y, mo, d] = date.split('-').map(Number);
  for (let minute = hh * 60 + mm; minute < 24 * 60; minute++) {
    const h = Math.floor(minute / 60);
    const m = minute % 60;
    const asUtc = Date.UTC(y, mo - 1, d, h, m);
    // Every zone is within ±14 h of UTC: try each quarter-hour offset, keep the earliest that reads right.
    const matches: number[] = [];
    for (let off = -14 * 60; off <= 14 * 60; off += 15) {
      const candidate = asUtc - off * 60_000;
      const [cy, cmo, cd, ch, cm] = wallParts(tz, candidate);
      if (cy === y && cmo === mo && cd === d && ch === h && cm === m) matches.push(candidate);
    }
    if (matches.length) return Math.min(...matches);
  }
  throw new Error(`no valid minute on ${date} after ${hh}:${mm} in ${tz}`);
}

/** Local dates from `from` to `to` inclusive, as YYYY-MM-DD. */
export function dates(from: string, to: string): string[] {
  const out: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) {
    out.push(new Date(ms).toISOString().slice(0, 10));
  }
  return out;
}

/** Day of week (0 = Sunday) of a YYYY-MM-DD date. */
export function weekday(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}
