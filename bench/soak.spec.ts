import { describe, expect, it } from 'vitest';
import { memoryGrowth, warmupMs } from './soak';

describe('warmupMs', () => {
  it('is the first minute, or the first fifth of a short soak', () => {
    expect(warmupMs(10 * 60_000)).toBe(60_000);
    expect(warmupMs(60_000)).toBe(12_000);
  });
});

describe('memoryGrowth', () => {
  const samples = [
    { atMs: 0, rssKb: 50_000 }, // before the load: ignored
    { atMs: 1_000, rssKb: 100_000 },
    { atMs: 5_000, rssKb: 200_000 },
    { atMs: 11_000, rssKb: 210_000 },
    { atMs: 20_000, rssKb: 250_000 },
    { atMs: 30_000, rssKb: 220_000 },
    { atMs: 40_000, rssKb: 999_000 }, // after the load: ignored
  ];

  it('compares the first sample after warm-up with the last one of the load', () => {
    const growth = memoryGrowth(samples, 1_000, 30_000, 10_000);
    expect(growth).toMatchObject({ rssAfterWarmupKb: 210_000, rssEndKb: 220_000, rssPeakKb: 250_000 });
    expect(growth.growthPct).toBeCloseTo((10_000 / 210_000) * 100, 10);
  });

  it('has no growth figure when no sample came after the warm-up', () => {
    expect(memoryGrowth(samples, 1_000, 5_000, 10_000)).toMatchObject({ rssAfterWarmupKb: null, rssEndKb: 200_000, growthPct: null });
    expect(memoryGrowth([], 0, 1, 0)).toEqual({ rssAfterWarmupKb: null, rssEndKb: null, rssPeakKb: null, growthPct: null });
  });
});
