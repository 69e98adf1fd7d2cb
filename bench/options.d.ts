// Types for options.js, which stays plain JavaScript so `node bench/run.js` needs no build.

export interface Scenario {
  name: string;
  target: 'direct' | 'gateway';
  kind: 'json' | 'stream';
  pair: string;
  serial?: boolean;
}

export interface BenchOptions {
  connections: number;
  durationS: number;
  warmupS: number;
  upstreamLatencyMs: number;
  chunks: number;
  smoke: boolean;
  help: boolean;
  gatewayCommand: string | null;
  scenarios: Scenario[];
}

export class UsageError extends Error {}
export const SCENARIOS: Scenario[];
export function parseArgs(argv: string[]): BenchOptions;
export function usage(): string;
