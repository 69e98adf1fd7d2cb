// Exact percentiles over every recorded sample (no histogram buckets), for the benchmark's load and
// stream probes. A run keeps at most a few hundred thousand samples, so sorting them all is cheap.
'use strict';

// Percentiles are written with at most six decimals (99.9999); scaling them to integers keeps the rank
// computation exact, where p / 100 * n in floating point can land just above an integer (7 / 100 * 100
// is 7.000000000000001) and pick the next sample.
const P_SCALE = 1_000_000;

/**
 * Nearest-rank percentile of ascending-sorted samples: the smallest sample such that at least p% of all
 * samples are at or below it. null when there are no samples.
 * @param {ArrayLike<number>} sorted
 * @param {number} p 0..100
 */
function percentile(sorted, p) {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const n = sorted.length;
  if (n === 0) return null;
  const rank = Math.ceil((Math.round(p * P_SCALE) * n) / (100 * P_SCALE));
  return sorted[Math.max(1, rank) - 1];
}

/** Samples in ascending numeric order, as a copy (the caller's array is left alone). */
function sortSamples(samples) {
  return Float64Array.from(samples).sort();
}

/**
 * `{ p50: ..., p90: ... }` for the given points (key `p${point}`), plus `max` when asked.
 * @param {ArrayLike<number>} samples any order
 * @param {number[]} points
 * @param {{ max?: boolean }} [options]
 */
function summarize(samples, points, options = {}) {
  const sorted = sortSamples(samples);
  const summary = {};
  for (const point of points) summary[`p${point}`] = percentile(sorted, point);
  if (options.max) summary.max = sorted.length ? sorted[sorted.length - 1] : null;
  return summary;
}

module.exports = { percentile, sortSamples, summarize };
