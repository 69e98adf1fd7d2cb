// Types for report.js, which stays plain JavaScript so `node bench/run.js` needs no build.

import type { MachineCpu } from './machine-cpu';

export interface LatencySummary {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export interface ScenarioErrors {
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
}

export interface ScenarioResult {
  name: string;
  connections: number;
  requests: number;
  rps: number;
  latency: LatencySummary | null;
  errors?: ScenarioErrors;
  statusCodes?: Record<string, number>;
  failure?: string | null;
  notForwarded?: number;
  gatewayCpu?: { cpuMs: number; msPerRequest: number | null };
  /** Why the scenario did not run (nginx not installed); such a row is not a failure. */
  skipped?: string;
  /** Highest RSS of the gateway process tree sampled during the measured run. */
  peakRssKb?: number | null;
  /** CPU of every process on the machine during the measured run, by role (machine-cpu.js). */
  machineCpu?: MachineCpu | null;
}

export interface Comparison {
  p50OverheadMs: number | null;
  p90OverheadMs: number | null;
  p99OverheadMs: number | null;
  throughputRatio: number | null;
}

export function summarizeLatencies(samples: ArrayLike<number>): LatencySummary;
export function compareScenarios(
  direct: Pick<ScenarioResult, 'rps' | 'latency'> & { latency: LatencySummary },
  gateway: Pick<ScenarioResult, 'rps' | 'latency'> & { latency: LatencySummary },
): Comparison;
export function cpuMsPerRequest(cpuMs: number, requests: number): number | null;
export function scenarioProblems(scenario: ScenarioResult): string[];
export function scenarioTable(scenarios: ScenarioResult[]): string;
export function comparisonTable(comparisons: Array<Comparison & { name: string }>): string;
export function machineCpuTable(runs: Array<{ name: string; machineCpu?: MachineCpu | null }>, firstColumn?: string): string | null;
/** The report of bench/run.js (latest.json); the sections after the load tables are optional. */
export function formatReport(report: {
  machine: { cpuModel: string; cores: number; nodeVersion: string; date: string };
  options: { durationS: number; requests?: number | null; warmupS: number; upstreamLatencyMs: number; chunks: number; chunkIntervalMs?: number; connections?: number; limitsSyncMs?: number | null };
  scenarios: ScenarioResult[];
  comparisons: Array<Comparison & { name: string }>;
  gateway?: { command: string; nodeOptions?: string; mode?: string; modeReason?: string; startupRssKb: number | null; peakRssKb: number | null } | null;
  [section: string]: unknown;
}): string;
