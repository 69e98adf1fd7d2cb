import { describe, expect, it } from 'vitest';
import { evaluateTargets } from './targets';

const lat = (p50: number, p90: number, p99: number) => ({ count: 100, mean: p50, p50, p90, p99, max: p99 });
const scenario = (name: string, rps: number, latency: ReturnType<typeof lat>) => ({ name, rps, latency, requests: 1000 });
const paced = (target: string, p50: number, p99: number, extra: object = {}) => ({
  target,
  stream: false,
  rate: 1000,
  sent: 10_000,
  completed: 10_000,
  errors: 0,
  statusCounts: { '200': 10_000 },
  latencyMs: { p50, p90: p99, p99, max: p99 },
  ...extra,
});

/** A run that meets every target. */
function goodReport(): Record<string, any> {
  return {
    scenarios: [
      scenario('direct-json', 40_000, lat(1, 2, 3)),
      scenario('nginx-json', 20_000, lat(1.5, 2.5, 4)),
      scenario('full-json', 8_000, lat(5, 8, 12)),
      scenario('direct-serial', 6_000, lat(0.15, 0.2, 0.3)),
      scenario('full-serial', 2_000, lat(0.5, 0.8, 1.2)),
    ],
    paced: [paced('direct', 0.2, 0.5), paced('full', 0.9, 4)],
    ttft: [
      { target: 'direct', count: 200, ttftMs: { p50: 0.3, p90: 0.4, p99: 0.6 } },
      { target: 'full', count: 200, ttftMs: { p50: 1.1, p90: 1.4, p99: 2 } },
    ],
    streams: [{ target: 'full', concurrency: 100, completed: 100, stalled: 0, failed: 0 }],
    large: [
      {
        target: 'full',
        bigPrompt: { bytes: 1024 * 1024, ok: true, status: 200, ms: 30, rssGrowthKb: 5_000 },
        longStream: { requestedChunks: 10_000, complete: true, chunks: 10_000, status: 200, ms: 150, rssGrowthKb: 2_000 },
      },
    ],
    soak: { minutes: 10, sent: 300_000, completed: 300_000, rows: 300_000, growthPct: 3.2, rssAfterWarmupKb: 150_000, rssEndKb: 155_000, rssPeakKb: 160_000, warmupS: 60 },
    workers: { workers: 2, rows: [{ pair: 'json', single: { rps: 8_000 }, multi: { rps: 13_000 } }] },
    gateway: { mode: 'production', peakRssKb: 200_000 },
    skipped: {},
  };
}

const byId = (report: Record<string, any>) => Object.fromEntries(evaluateTargets(report).map((t) => [t.id, t]));

describe('evaluateTargets', () => {
  it('sets the full pipeline against the floor proxy when it ran', () => {
    const report = goodReport();
    report.scenarios.push(scenario('floor-json', 10_000, lat(2, 3, 5)));
    expect(byId(report).throughput.measured).toContain('floor/nginx 50.0%, full/floor 80.0%');
  });

  it('leaves out the parts of the throughput figures whose scenarios did not run', () => {
    const report = goodReport();
    report.scenarios = report.scenarios.filter((s: { name: string }) => s.name !== 'direct-json');
    report.scenarios.push(scenario('floor-json', 10_000, lat(2, 3, 5)));
    expect(byId(report).throughput.measured).toBe('full/nginx 40.0%; floor/nginx 50.0%, full/floor 80.0%');
  });

  it("shows the floor proxy's own added latency from the same run beside each latency target", () => {
    const report = goodReport();
    report.paced.push(paced('floor', 0.5, 0.4), paced('floor', 9, 9, { stream: true }));
    report.scenarios.push(scenario('floor-serial', 5_000, lat(0.3, 0.4, 0.6)));
    report.ttft.push({ target: 'floor', count: 200, ttftMs: { p50: 0.9, p90: 1, p99: 1.2 } });
    const t = byId(report);
    expect(t['paced-p50'].measured).toBe('+0.70 ms (full 0.90 ms, direct 0.20 ms); floor +0.30 ms');
    expect(t['paced-p99'].measured).toBe('+3.50 ms (full 4.00 ms, direct 0.50 ms); floor -0.10 ms');
    expect(t['serial-p50'].measured).toBe('+0.35 ms (full 0.50 ms, direct 0.15 ms); floor +0.15 ms');
    expect(t['serial-p99'].measured).toBe('+0.90 ms (full 1.20 ms, direct 0.30 ms); floor +0.30 ms');
    expect(t.ttft.measured).toBe('+0.80 ms (full 1.10 ms, direct 0.30 ms); floor +0.60 ms');
    // A reference only: the verdicts are the full pipeline's.
    expect(evaluateTargets(report).map((x) => x.status)).toEqual(evaluateTargets(goodReport()).map((x) => x.status));
  });

  it('ignores a paced floor run at another rate than direct', () => {
    const report = goodReport();
    report.paced.push(paced('floor', 0.5, 0.4, { rate: 500 }));
    expect(byId(report)['paced-p50'].measured).not.toContain('floor');
  });

  it('passes every target of a run that meets them, with the measured figures', () => {
    const targets = evaluateTargets(goodReport());
    expect(targets.map((t) => t.id)).toEqual([
      'throughput', 'workers', 'paced-p50', 'paced-p99', 'serial-p50', 'serial-p99', 'ttft', 'streams',
      'soak-rows', 'soak-memory', 'rss', 'large-prompt', 'long-stream',
    ]);
    expect(targets.filter((t) => t.status !== 'pass')).toEqual([]);
    const t = byId(goodReport());
    expect(t.throughput.measured).toContain('full/nginx 40.0%');
    expect(t.throughput.measured).toContain('full/direct 20.0%');
    for (const id of ['throughput', 'paced-p50', 'paced-p99', 'serial-p50', 'serial-p99', 'ttft']) expect(t[id].measured).not.toContain('floor');
    expect(t['paced-p50'].measured).toContain('+0.70 ms');
    expect(t['serial-p50'].measured).toContain('+0.35 ms');
    expect(t.workers.measured).toContain('1.63x');
  });

  it('fails each target just past its limit', () => {
    const report = goodReport();
    report.scenarios[2] = scenario('full-json', 5_999, lat(5, 8, 12));
    report.paced[1] = paced('full', 1.21, 5.51);
    report.scenarios[4] = scenario('full-serial', 2_000, lat(0.66, 0.8, 1.81));
    report.ttft[1].ttftMs.p50 = 1.31;
    report.streams[0].stalled = 1;
    report.soak.rows = 299_999;
    report.soak.growthPct = 10;
    report.gateway.peakRssKb = 300 * 1024;
    report.large[0].bigPrompt.rssGrowthKb = 64 * 1024;
    report.large[0].longStream.complete = false;
    report.workers.rows[0].multi.rps = 8_000;
    const failed = evaluateTargets(report).filter((t) => t.status === 'fail').map((t) => t.id);
    expect(failed).toEqual([
      'throughput', 'workers', 'paced-p50', 'paced-p99', 'serial-p50', 'serial-p99', 'ttft', 'streams',
      'soak-rows', 'soak-memory', 'rss', 'large-prompt', 'long-stream',
    ]);
  });

  it('fails the paced targets when requests failed, however fast the rest were', () => {
    const report = goodReport();
    report.paced[1] = paced('full', 0.5, 1, { errors: 3, statusCounts: { '200': 9_997, timeout: 3 } });
    const t = byId(report);
    expect(t['paced-p50'].status).toBe('fail');
    expect(t['paced-p50'].measured).toContain('3 of 10000 requests failed');
  });

  it('says why a target was not measured, and still shows what was', () => {
    const report = goodReport();
    report.scenarios = report.scenarios.filter((s: { name: string }) => s.name !== 'nginx-json');
    report.skipped = { nginx: 'nginx is not on PATH' };
    report.paced = [paced('direct', 0.2, 0.5, { rate: 200 }), paced('full', 0.9, 4, { rate: 200 })];
    delete report.soak;
    delete report.workers;
    report.streams[0].concurrency = 20;
    report.streams[0].completed = 20;
    const t = byId(report);
    expect(t.throughput).toMatchObject({ status: 'not measured' });
    expect(t.throughput.measured).toContain('nginx is not on PATH');
    expect(t.throughput.measured).toContain('full/direct 20.0%');
    expect(t['paced-p50'].status).toBe('not measured');
    expect(t['paced-p50'].measured).toContain('ran at 200 req/s');
    expect(t['paced-p50'].measured).toContain('+0.70 ms');
    expect(t['soak-rows']).toMatchObject({ status: 'not measured', measured: 'run with --soak [minutes]' });
    expect(t.workers).toMatchObject({ status: 'not measured', measured: 'run with --num-workers N' });
    expect(t.streams.status).toBe('not measured');
    expect(t.rss.status).toBe('pass');
  });

  it('reports a workers run that could not start, and ignores failed checks', () => {
    const report = goodReport();
    report.workers = { workers: 2, failure: "error: unknown option '--num_workers'", rows: [] };
    report.ttft[1] = { target: 'full', count: 200, failure: 'stream 3 did not complete' };
    const t = byId(report);
    expect(t.workers).toMatchObject({ status: 'not measured', measured: "error: unknown option '--num_workers'" });
    expect(t.ttft.status).toBe('not measured');
  });

  it('names the embedded database in the RSS figure', () => {
    const report = goodReport();
    report.gateway = { mode: 'embedded', peakRssKb: 800 * 1024 };
    expect(byId(report).rss).toMatchObject({ status: 'fail', measured: 'peak 800.0 MB (embedded: includes the in-process PostgreSQL)' });
  });
});
