// Types for percentiles.js, which stays plain JavaScript so `node bench/run.js` needs no build.

export function percentile(sorted: ArrayLike<number>, p: number): number | null;
export function sortSamples(samples: ArrayLike<number>): Float64Array;
export function summarize(
  samples: ArrayLike<number>,
  points: number[],
  options?: { max?: boolean },
): Record<string, number | null>;
