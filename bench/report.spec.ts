import { describe, expect, it } from 'vitest';
import {
  compareScenarios,
  cpuMsPerRequest,
  formatReport,
  scenarioProblems,
  summarizeLatencies,
  type LatencySummary,
  type ScenarioResult,
} from './report';

function latency(p50: number, p90: number, p99: number): LatencySummary {
  return { count: 100, mean: p50, p50, p90, p99, max: p99 };
}

function scenario(overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    name: 'gateway-json',
    connections: 64,
    requests: 1000,
    rps: 100,
    latency: latency(1, 2, 3),
    errors: { errors: 0, timeouts: 0, non2xx: 0, mismatches: 0 },
    statusCodes: { '200': 1000 },
    ...overrides,
  };
}

describe('summarizeLatencies', () => {
  it('sorts numerically and keeps sub-millisecond precision', () => {
    const summary = summarizeLatencies([0.3, 10, 0.25, 2, 0.5]);
    expect(summary).toEqual({ count: 5, mean: 13.05 / 5, p50: 0.5, p90: 10, p99: 10, max: 10 });
  });

  it('reports nothing when there were no successful responses', () => {
    expect(summarizeLatencies([])).toEqual({ count: 0, mean: null, p50: null, p90: null, p99: null, max: null });
  });
});

describe('compareScenarios', () => {
  it('subtracts direct from gateway latency and divides throughput', () => {
    const direct = { rps: 20_000, latency: latency(0.25, 0.5, 1.5) };
    const gateway = { rps: 5_000, latency: latency(1.0, 2.0, 4.0) };
    const result = compareScenarios(direct, gateway);
    expect(result.p50OverheadMs).toBeCloseTo(0.75, 10);
    expect(result.p90OverheadMs).toBeCloseTo(1.5, 10);
    expect(result.p99OverheadMs).toBeCloseTo(2.5, 10);
    expect(result.throughputRatio).toBe(0.25);
  });

  it('keeps a negative overhead visible rather than clamping it', () => {
    const result = compareScenarios({ rps: 100, latency: latency(2, 2, 2) }, { rps: 150, latency: latency(1.5, 2, 2) });
    expect(result.p50OverheadMs).toBe(-0.5);
    expect(result.throughputRatio).toBe(1.5);
  });

  it('has no ratio when the direct run served nothing', () => {
    const empty: LatencySummary = { count: 0, mean: null, p50: null, p90: null, p99: null, max: null };
    const result = compareScenarios({ rps: 0, latency: empty }, { rps: 10, latency: latency(1, 1, 1) });
    expect(result.throughputRatio).toBeNull();
    expect(result.p50OverheadMs).toBeNull();
  });
});

describe('cpuMsPerRequest', () => {
  it('divides CPU time by the requests served', () => {
    expect(cpuMsPerRequest(1500, 3000)).toBe(0.5);
    expect(cpuMsPerRequest(10, 0)).toBeNull();
  });
});

describe('scenarioProblems', () => {
  it('is empty for a clean run', () => {
    expect(scenarioProblems(scenario())).toEqual([]);
  });

  it('names every kind of failure', () => {
    const problems = scenarioProblems(
      scenario({
        errors: { errors: 2, timeouts: 3, non2xx: 4, mismatches: 5 },
        statusCodes: { '200': 10, '401': 4 },
        notForwarded: 6,
      }),
    );
    expect(problems).toEqual([
      '2 connection errors',
      '3 timeouts',
      '4 non-2xx responses (401: 4)',
      '5 responses with an unexpected body',
      '6 answers never reached the upstream',
    ]);
  });

  it('flags a run that served nothing, and a failed preflight', () => {
    expect(scenarioProblems(scenario({ requests: 0, rps: 0 }))).toEqual(['0 successful requests']);
    const failed = scenario({ failure: 'preflight got HTTP 401', requests: 0, latency: null });
    expect(scenarioProblems(failed)).toEqual(['preflight got HTTP 401']);
  });
});

describe('formatReport', () => {
  const base = {
    machine: { cpuModel: 'Test CPU', cores: 4, nodeVersion: 'v20.20.2', date: '2026-01-01T00:00:00.000Z' },
    options: { durationS: 10, warmupS: 2, upstreamLatencyMs: 0, chunks: 20 },
    comparisons: [{ name: 'json', p50OverheadMs: 0.75, p90OverheadMs: 1, p99OverheadMs: -0.1, throughputRatio: 0.5 }],
    gateway: { command: 'node bin/tollgate.js start', startupRssKb: 51200, peakRssKb: 102400 },
  };

  it('prints the machine, the tables and the gateway memory', () => {
    const text = formatReport({ ...base, scenarios: [scenario({ gatewayCpu: { cpuMs: 500, msPerRequest: 0.5 } })] });
    expect(text).toContain('Machine: Test CPU, 4 cores, Node v20.20.2, 2026-01-01T00:00:00.000Z');
    expect(text).toContain('| gateway-json | 64 | 100 | 1.00 | 2.00 | 3.00 | 0 | 0.50 |');
    expect(text).toContain('| json | +0.75 | +1.00 | -0.10 | 0.50x |');
    expect(text).toContain('RSS after start-up 50.0 MB, peak 100.0 MB');
    expect(text).not.toContain('WARNING');
  });

  it("names the Node options Tollgate ran with, when it had any", () => {
    const note = "Tollgate's NODE_OPTIONS: `--max-semi-space-size=32`.";
    expect(formatReport({ ...base, scenarios: [scenario()] })).not.toContain('NODE_OPTIONS');
    expect(formatReport({ ...base, gateway: { ...base.gateway, nodeOptions: '--max-semi-space-size=32' }, scenarios: [scenario()] })).toContain(note);
  });

  it('says when limits were exchanged with Redis instead of checked per request', () => {
    const note = 'Limits exchanged with Redis every 10 ms (TOLLGATE_LIMITS_SYNC_MS).';
    expect(formatReport({ ...base, scenarios: [scenario()] })).not.toContain(note);
    expect(formatReport({ ...base, options: { ...base.options, limitsSyncMs: 10 }, scenarios: [scenario()] })).toContain(note);
  });

  it('says how far apart the upstream sent streamed events, and shows the longest gap between chunks', () => {
    expect(formatReport({ ...base, scenarios: [scenario()] })).toContain('20 stream chunks.');
    expect(formatReport({ ...base, options: { ...base.options, chunkIntervalMs: 10 }, scenarios: [scenario()] })).toContain('20 stream chunks 10 ms apart.');
    const p3 = (p50: number, p99: number) => ({ p50, p90: p99, p99 });
    const ttft = [
      { target: 'direct', count: 5, ttftMs: p3(1, 2), totalMs: p3(200, 210), longestGapMs: p3(10.1, 10.5) },
      { target: 'full', count: 5, ttftMs: p3(2, 3), totalMs: p3(202, 215), longestGapMs: p3(10.3, 11.0) },
    ];
    const text = formatReport({ ...base, scenarios: [], ttft });
    expect(text).toContain('| Target | Streams | TTFT p50 ms | TTFT p99 ms | TTFT added p50 ms | TTFT added p99 ms | Longest gap p50 ms | Longest gap added p99 ms | Whole stream p50 ms |');
    expect(text).toContain('| full | 5 | 2.00 | 3.00 | +1.00 | +1.00 | 10.30 | +0.50 | 202.00 |');
  });

  it('warns loudly when a scenario had errors', () => {
    const text = formatReport({ ...base, scenarios: [scenario({ errors: { errors: 0, timeouts: 1, non2xx: 0, mismatches: 0 } })] });
    expect(text).toContain('**gateway-json** ⚠');
    expect(text).toContain('**1 timeouts**');
    expect(text).toContain('WARNING: 1 scenario(s) had errors');
  });
});

describe('formatReport sections', () => {
  const base = {
    machine: { cpuModel: 'Test CPU', cores: 2, nodeVersion: 'v20.20.2', date: '2026-01-01T00:00:00.000Z' },
    options: { durationS: 10, requests: 200, warmupS: 0, upstreamLatencyMs: 0, chunks: 20, connections: 8 },
    comparisons: [],
    gateway: null,
  };

  it('shows a skipped scenario with its reason and without treating it as a failure', () => {
    const skipped = { ...scenario({ name: 'nginx-json', requests: 0, rps: 0, latency: null }), skipped: 'nginx is not on PATH' };
    expect(scenarioProblems(skipped)).toEqual([]);
    const text = formatReport({ ...base, scenarios: [skipped] });
    expect(text).toContain('| nginx-json | - | - | - | - | - | skipped: nginx is not on PATH | - | - |');
    expect(text).toContain('200 requests per scenario');
    expect(text).not.toContain('WARNING');
  });

  it('prints the paced runs against direct, the pipeline rows and the targets', () => {
    const paced = (target: string, p50: number, p99: number) => ({
      target, stream: false, rate: 1000, sent: 100, completed: 100, errors: 0, statusCounts: { '200': 100 },
      latencyMs: { p50, p90: p99, p99, max: p99 },
    });
    const text = formatReport({
      ...base,
      scenarios: [],
      paced: [paced('direct', 0.5, 1), paced('full', 1.25, 4)],
      pipeline: {
        phases: [{ phase: 'paced-json', sent: 100, answered: 100, ok: 100, rows: 99, rowsOk: 99, rowsByStatus: { '200': 99 }, verdict: 'lost 1', lost: 1 }],
        totals: { sent: 100, answered: 100, ok: 100, rows: 99, rowsOk: 99, verdict: 'lost 1', lost: 1 },
      },
      targets: [{ id: 'rss', target: 'gateway RSS < 300 MB', status: 'fail', measured: 'peak 320.0 MB' }],
    });
    expect(text).toContain('| full-json | 1,000 | 100/100 | 1.25 | 4.00 | 4.00 | +0.75 | +3.00 | - | 0 |');
    expect(text).toContain('| paced-json | 100 | 100 | 99 | 99 | 0 | **lost 1** |');
    expect(text).toContain('| gateway RSS < 300 MB | **FAIL** | peak 320.0 MB |');
    // Without machine figures (no /proc) the paced runs have no machine table.
    expect(text).not.toContain('Machine CPU per request during each paced run');
    expect(text).not.toContain('left out of these figures');
  });

  it('says when the paced runs had an unmeasured warm-up', () => {
    const run = { target: 'direct', stream: false, rate: 1000, durationS: 10, warmupS: 2, sent: 10, completed: 10, errors: 0, statusCounts: { '200': 10 }, latencyMs: { p50: 1, p90: 2, p99: 3, max: 3 } };
    const text = formatReport({ ...base, scenarios: [], paced: [run] });
    expect(text).toContain('Each run first sent 2 s of the same schedule on the same connections, left out of these figures.');
  });

  it('shows who used the machine during each paced run', () => {
    const ms = (measured: number) => ({ measured, worker: 0.1, redis: 0.05, postgres: 0.02, upstream: 0.03, load: 0.04, other: 0, kernel: 0 });
    const machineCpu = { elapsedMs: 10_000, cores: 2, busyMs: 12_000, busyShare: 0.6, byRole: ms(0), msPerRequest: ms(0.3), machineMsPerRequest: 0.54 };
    const text = formatReport({
      ...base,
      scenarios: [],
      paced: [{ target: 'full', stream: true, rate: 1000, sent: 10, completed: 10, errors: 0, statusCounts: { '200': 10 }, latencyMs: { p50: 1, p90: 2, p99: 3, max: 3 }, machineCpu }],
    });
    expect(text).toContain('Machine CPU per request during each paced run');
    expect(text).toContain('| Paced run | Machine busy | Machine ms/req | measured process |');
    expect(text).toContain('| full-stream | 60% | 0.540 | 0.300 | 0.100 | 0.050 | 0.020 | 0.030 | 0.040 | 0.000 | 0.000 |');
  });
});
