/** Time units, spelled once: `_S` in seconds (what check settings such as grace_s count), `_MS` in milliseconds (clocks). */
export const MINUTE_S = 60;
export const HOUR_S = 3_600;
export const DAY_S = 86_400;
export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Formats milliseconds the way people write them in a sentence: 90s → "1m30s", 3600s → "1h". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  let s = Math.round(ms / 1000);
  const parts: string[] = [];
  const units: Array<[string, number]> = [
    ['d', DAY_S],
    ['h', HOUR_S],
    ['m', MINUTE_S],
    ['s', 1],
  ];
  for (const [unit, size] of units) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.join('');
}

/** ISO 8601 UTC, or null. */
export function iso(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(ms).toISOString();
}
