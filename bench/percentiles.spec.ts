import { describe, expect, it } from 'vitest';
import { percentile, sortSamples, summarize } from './percentiles';

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

describe('percentile', () => {
  it('picks the nearest-rank sample', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 51)).toBe(6);
    expect(percentile(sorted, 90)).toBe(9);
    expect(percentile(sorted, 91)).toBe(10);
    expect(percentile(sorted, 99)).toBe(10);
    expect(percentile(sorted, 100)).toBe(10);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is exact where p / 100 * n is not in floating point', () => {
    // 7 / 100 * 100 === 7.000000000000001, which a naive ceil turns into rank 8.
    for (const p of [7, 14, 28, 29, 55, 56, 57]) expect(percentile(oneToHundred, p)).toBe(p);
    const thousand = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(thousand, 99.9)).toBe(999);
    expect(percentile(thousand, 99.95)).toBe(1000);
    expect(percentile(thousand, 0.1)).toBe(1);
    expect(percentile(thousand, 0.2)).toBe(2);
  });

  it('returns null without samples and refuses percentiles outside 0..100', () => {
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts numerically without touching the input', () => {
    const samples = [10, 9, 100, 1, 2.5];
    expect(Array.from(sortSamples(samples))).toEqual([1, 2.5, 9, 10, 100]);
    expect(samples).toEqual([10, 9, 100, 1, 2.5]);
    expect(summarize(samples, [50, 90, 99], { max: true })).toEqual({ p50: 9, p90: 100, p99: 100, max: 100 });
  });

  it('leaves max out unless asked and reports null for no samples', () => {
    expect(summarize([3, 1, 2], [50])).toEqual({ p50: 2 });
    expect(summarize([], [50, 99], { max: true })).toEqual({ p50: null, p99: null, max: null });
  });
});
