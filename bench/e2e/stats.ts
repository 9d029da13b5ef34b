/**
 * Medians, spreads and ratios for the benchmark report.
 *
 * @module
 */

/** Median of the finite values, or null when there are none. */
export function median(values: number[]): number | null {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Spread as (max - min) / median, or null with fewer than two values. */
export function spread(values: number[]): number | null {
  const v = values.filter(Number.isFinite);
  const m = median(v);
  if (v.length < 2 || m === null || m === 0) return null;
  return (Math.max(...v) - Math.min(...v)) / m;
}

/** Summary of one metric over the rounds. */
export interface Summary {
  median: number | null;
  min: number | null;
  max: number | null;
  /** (max - min) / median. */
  spread: number | null;
  n: number;
}

/** Summarises one metric. */
export function summarize(values: number[]): Summary {
  const v = values.filter(Number.isFinite);
  return {
    median: median(v),
    min: v.length ? Math.min(...v) : null,
    max: v.length ? Math.max(...v) : null,
    spread: spread(v),
    n: v.length,
  };
}
