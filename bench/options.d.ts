// Types for options.js, which stays plain JavaScript so `node bench/run.js` needs no build.

export type Target = 'direct' | 'nginx' | 'passthrough' | 'full' | 'peer';
export type Check = 'paced' | 'ttft' | 'streams' | 'large';

export interface Scenario {
  name: string;
  target: Target;
  kind: 'json' | 'stream';
  pair: 'json' | 'stream' | 'serial';
  serial: boolean;
}

export interface BenchOptions {
  connections: number;
  durationS: number;
  /** Requests per load scenario instead of a timed run; null for timed. */
  requests: number | null;
  warmupS: number;
  upstreamLatencyMs: number;
  chunks: number;
  /** How far apart the fake upstream sends a streamed answer's events; 0: all at once. */
  chunkIntervalMs: number;
  numWorkers: number;
  /** TOLLGATE_LIMITS_SYNC_MS for the measured gateway; null: limits checked in Redis on every request. */
  limitsSyncMs: number | null;
  rate: number;
  streams: number;
  ttftCount: number;
  promptBytes: number;
  longChunks: number;
  soakRate: number;
  soakMinutes: number | null;
  smoke: boolean;
  help: boolean;
  embedded: boolean;
  peerCommand: string | null;
  /** Where Tollgate processes write V8 CPU profiles (`--cpu-prof DIR`), or null. */
  cpuProfDir: string | null;
  scenarios: Scenario[];
  checks: Check[];
}

export class UsageError extends Error {}
export const SCENARIOS: Scenario[];
export const CHECKS: Check[];
export function parseArgs(argv: string[]): BenchOptions;
export function usage(): string;
