// Pure helpers that turn raw measurements into the figures the benchmark prints: percentiles,
// gateway-vs-direct overhead, and the markdown report. No I/O here so the math is unit-testable.
'use strict';

const sections = require('./report-sections');
const { percentile } = require('./percentiles');
const { markdownTable, formatMs, formatSignedMs, formatRate, formatRatio, formatMb } = require('./markdown');

/** @param {ArrayLike<number>} samples latencies in milliseconds, any order */
function summarizeLatencies(samples) {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : null,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : null,
  };
}

function difference(a, b) {
  return a == null || b == null ? null : a - b;
}

/**
 * What the gateway costs on top of calling the upstream directly under the same load:
 * extra latency at each percentile and the share of direct throughput it keeps.
 */
function compareScenarios(direct, gateway) {
  return {
    p50OverheadMs: difference(gateway.latency.p50, direct.latency.p50),
    p90OverheadMs: difference(gateway.latency.p90, direct.latency.p90),
    p99OverheadMs: difference(gateway.latency.p99, direct.latency.p99),
    throughputRatio: direct.rps > 0 ? gateway.rps / direct.rps : null,
  };
}

function cpuMsPerRequest(cpuMs, requests) {
  return requests > 0 ? cpuMs / requests : null;
}

/** Every reason a scenario's figures cannot be trusted; empty means the run was clean. */
function scenarioProblems(scenario) {
  const problems = [];
  if (scenario.skipped) return problems;
  if (scenario.failure) problems.push(scenario.failure);
  const { errors = 0, timeouts = 0, non2xx = 0, mismatches = 0 } = scenario.errors ?? {};
  if (errors) problems.push(`${errors} connection errors`);
  if (timeouts) problems.push(`${timeouts} timeouts`);
  if (non2xx) problems.push(`${non2xx} non-2xx responses (${formatStatusCodes(scenario.statusCodes)})`);
  if (mismatches) problems.push(`${mismatches} responses with an unexpected body`);
  if (!scenario.failure && !(scenario.requests > 0)) problems.push('0 successful requests');
  if (scenario.notForwarded > 0) problems.push(`${scenario.notForwarded} answers never reached the upstream`);
  return problems;
}

function formatStatusCodes(statusCodes = {}) {
  const entries = Object.entries(statusCodes).filter(([code]) => !code.startsWith('2'));
  return entries.length ? entries.map(([code, count]) => `${code}: ${count}`).join(', ') : 'no codes';
}

function scenarioTable(scenarios) {
  const header = ['Scenario', 'Conns', 'Req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'Errors', 'GW CPU ms/req', 'GW peak RSS MB'];
  const rows = scenarios.map((s) => {
    if (s.skipped) return [s.name, '-', '-', '-', '-', '-', `skipped: ${s.skipped}`, '-', '-'];
    const problems = scenarioProblems(s);
    return [
      problems.length ? `**${s.name}** ⚠` : s.name,
      String(s.connections),
      formatRate(s.rps),
      formatMs(s.latency?.p50),
      formatMs(s.latency?.p90),
      formatMs(s.latency?.p99),
      problems.length ? `**${problems.join('; ')}**` : '0',
      s.gatewayCpu ? formatMs(s.gatewayCpu.msPerRequest) : '-',
      s.peakRssKb != null ? formatMb(s.peakRssKb) : '-',
    ];
  });
  return markdownTable(header, rows);
}

function comparisonTable(comparisons) {
  const header = ['Scenario', 'Added p50 ms', 'Added p90 ms', 'Added p99 ms', 'Throughput vs direct'];
  const rows = comparisons.map((c) => [
    c.name,
    formatSignedMs(c.p50OverheadMs),
    formatSignedMs(c.p90OverheadMs),
    formatSignedMs(c.p99OverheadMs),
    formatRatio(c.throughputRatio),
  ]);
  return markdownTable(header, rows);
}

function machineLine(machine) {
  return `Machine: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.nodeVersion}, ${machine.date}`;
}

/** The whole report as markdown: machine, load scenarios, overheads, the checks, the pipeline, targets. */
function formatReport(report) {
  const o = report.options;
  const parts = [
    '# Tollgate benchmark',
    '',
    machineLine(report.machine),
    '',
    `${o.requests ? `${o.requests} requests` : `${o.durationS} s`} per scenario after ${o.warmupS} s warm-up, ${o.connections} connections; ` +
      `upstream latency ${o.upstreamLatencyMs} ms, ${o.chunks} stream chunks${o.chunkIntervalMs ? ` ${o.chunkIntervalMs} ms apart` : ''}.` +
      (report.gateway ? ` Tollgate ${report.gateway.mode} (${report.gateway.modeReason}).` : '') +
      (report.gateway?.nodeOptions ? ` Tollgate's NODE_OPTIONS: \`${report.gateway.nodeOptions}\`.` : '') +
      (o.limitsSyncMs ? ` Limits exchanged with Redis every ${o.limitsSyncMs} ms (TOLLGATE_LIMITS_SYNC_MS).` : ''),
    '',
    '## Load',
    '',
    scenarioTable(report.scenarios),
  ];
  if (report.comparisons.length) parts.push('', comparisonTable(report.comparisons));
  const machineCpu = sections.machineCpuTable(report.scenarios);
  if (machineCpu) {
    parts.push(
      '',
      '### Machine CPU per request (ms, all processes)',
      '',
      'Every process on the machine during each measured run, by role; "machine busy" is the share of all cores in use. ' +
        'The load generator, the fake upstream and the pipeline\'s services share the cores with the measured process.',
      '',
      machineCpu,
    );
  }
  parts.push(...sections.formatSections(report));
  if (report.gateway) {
    const mb = (kb) => (kb == null ? 'n/a' : `${(kb / 1024).toFixed(1)} MB`);
    parts.push('', `Gateway: \`${report.gateway.command}\``);
    parts.push(`Gateway RSS after start-up ${mb(report.gateway.startupRssKb)}, peak ${mb(report.gateway.peakRssKb)} (sampled every 0.5 s over the run).`);
    if (report.gateway.worker) parts.push(`Worker: \`${report.gateway.worker.command}\`, peak RSS ${mb(report.gateway.worker.peakRssKb)}.`);
  }
  const failed = report.scenarios.filter((s) => scenarioProblems(s).length);
  if (failed.length) {
    parts.push('', `**WARNING: ${failed.length} scenario(s) had errors; their figures are not trustworthy.**`);
  }
  return `${parts.join('\n')}\n`;
}

module.exports = {
  summarizeLatencies,
  compareScenarios,
  cpuMsPerRequest,
  scenarioProblems,
  formatReport,
  scenarioTable,
  comparisonTable,
  machineCpuTable: sections.machineCpuTable,
};
