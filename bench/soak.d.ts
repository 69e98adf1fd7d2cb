// Types for soak.js, which stays plain JavaScript so `node bench/run.js` needs no build.

export function warmupMs(totalMs: number): number;
export function memoryGrowth(
  samples: Array<{ atMs: number; rssKb: number }>,
  startedAt: number,
  endedAt: number,
  warmupEndsAt: number,
): { rssAfterWarmupKb: number | null; rssEndKb: number | null; rssPeakKb: number | null; growthPct: number | null };
export function runSoak(options: Record<string, unknown>): Promise<Record<string, unknown>>;
