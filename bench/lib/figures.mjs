// How the benchmarks print their figures, shared so every table rounds and ranks the same way.

/** A number with thousands separators and exactly `digits` decimals. */
export const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The p-th percentile (nearest rank) of `values`, which need not be sorted; NaN for none. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
