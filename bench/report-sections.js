// The report's sections after the load tables: paced runs, time to first token, concurrent streams,
// large payloads, the full pipeline's request-log rows, 1 vs N workers, the soak and the targets; and the
// machine CPU table that the load section and the paced runs share.
'use strict';

const { markdownTable, formatMs, formatSignedMs, formatRate, formatRatio, formatMb } = require('./markdown');
const { ROLES, ROLE_LABELS } = require('./machine-cpu');

const sub = (a, b) => (a == null || b == null ? null : a - b);
const unavailable = (x) => x.skipped ?? x.failure ?? null;

function statusText(counts = {}) {
  return Object.entries(counts)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
}

/**
 * CPU per request of every process on the machine, by role: with the load generator, the upstream and the
 * pipeline's services on the same cores, the measured process can only get what the others leave.
 */
function machineCpuTable(runs, firstColumn = 'Scenario') {
  const measured = runs.filter((s) => s.machineCpu);
  if (!measured.length) return null;
  const header = [firstColumn, 'Machine busy', 'Machine ms/req', ...ROLES.map((role) => ROLE_LABELS[role])];
  const rows = measured.map((s) => [
    s.name,
    s.machineCpu.busyShare == null ? 'n/a' : `${Math.round(s.machineCpu.busyShare * 100)}%`,
    formatMs(s.machineCpu.machineMsPerRequest, 3),
    ...ROLES.map((role) => formatMs(s.machineCpu.msPerRequest[role], 3)),
  ]);
  return markdownTable(header, rows);
}

function pacedSection(paced) {
  if (!paced?.length) return [];
  const directOf = (p) => paced.find((d) => d.target === 'direct' && d.stream === p.stream && !unavailable(d));
  const rows = paced.map((p) => {
    const label = `${p.target}-${p.stream ? 'stream' : 'json'}`;
    if (unavailable(p)) return [label, '-', '-', '-', '-', '-', '-', '-', '-', `**${unavailable(p)}**`];
    const d = p.target === 'direct' ? null : directOf(p);
    return [
      label,
      formatRate(p.rate),
      `${p.completed}/${p.sent}`,
      formatMs(p.latencyMs.p50),
      formatMs(p.latencyMs.p90),
      formatMs(p.latencyMs.p99),
      d ? formatSignedMs(sub(p.latencyMs.p50, d.latencyMs.p50)) : '-',
      d ? formatSignedMs(sub(p.latencyMs.p99, d.latencyMs.p99)) : '-',
      p.ttftMs ? formatMs(p.ttftMs.p50) : '-',
      p.errors ? `**${statusText(p.statusCounts)}**` : '0',
    ];
  });
  const header = ['Paced run', 'Req/s offered', 'Completed', 'p50 ms', 'p90 ms', 'p99 ms', 'Added p50 ms', 'Added p99 ms', 'TTFT p50 ms', 'Errors'];
  const parts = ['', '## Fixed arrival rate (open loop)', ''];
  const warmupS = paced.find((p) => p.warmupS > 0)?.warmupS;
  if (warmupS) parts.push(`Each run first sent ${warmupS} s of the same schedule on the same connections, left out of these figures.`, '');
  parts.push(markdownTable(header, rows));
  // A paced run's tail is made by whatever else wants the cores at that moment: show who did.
  const machine = machineCpuTable(paced.filter((p) => !unavailable(p)).map((p) => ({ name: `${p.target}-${p.stream ? 'stream' : 'json'}`, machineCpu: p.machineCpu })), 'Paced run');
  if (machine) parts.push('', 'Machine CPU per request during each paced run (ms, all processes):', '', machine);
  return parts;
}

function ttftSection(ttft) {
  if (!ttft?.length) return [];
  const direct = ttft.find((t) => t.target === 'direct' && !unavailable(t));
  const rows = ttft.map((t) => {
    if (unavailable(t)) return [t.target, '-', '-', '-', '-', '-', '-', '-', `**${unavailable(t)}**`];
    const other = t.target !== 'direct' && direct;
    return [
      t.target,
      String(t.count),
      formatMs(t.ttftMs.p50),
      formatMs(t.ttftMs.p99),
      other ? formatSignedMs(sub(t.ttftMs.p50, direct.ttftMs.p50)) : '-',
      other ? formatSignedMs(sub(t.ttftMs.p99, direct.ttftMs.p99)) : '-',
      formatMs(t.longestGapMs?.p50),
      other && direct.longestGapMs && t.longestGapMs ? formatSignedMs(sub(t.longestGapMs.p99, direct.longestGapMs.p99)) : '-',
      formatMs(t.totalMs?.p50),
    ];
  });
  // The longest wait between two content chunks of a stream: with --chunk-interval, what a target adds to
  // it is a wait of its own between chunks.
  const header = ['Target', 'Streams', 'TTFT p50 ms', 'TTFT p99 ms', 'TTFT added p50 ms', 'TTFT added p99 ms', 'Longest gap p50 ms', 'Longest gap added p99 ms', 'Whole stream p50 ms'];
  return ['', '## Time to first token (one stream at a time)', '', markdownTable(header, rows)];
}

function streamsSection(streams) {
  if (!streams?.length) return [];
  const rows = streams.map((s) => {
    if (unavailable(s)) return [s.target, '-', '-', '-', '-', '-', '-', `**${unavailable(s)}**`];
    return [
      s.target,
      String(s.concurrency),
      String(s.completed),
      s.stalled ? `**${s.stalled}**` : '0',
      s.failed ? `**${s.failed}** (${statusText(s.failures)})` : '0',
      formatMs(s.ttftMs.p50),
      formatMs(s.ttftMs.p99),
      formatMs(s.totalMs.p99),
    ];
  });
  const header = ['Target', 'Concurrent', 'Completed', 'Stalled', 'Failed', 'TTFT p50 ms', 'TTFT p99 ms', 'Whole stream p99 ms'];
  return ['', '## Concurrent streams', '', markdownTable(header, rows)];
}

function largeSection(large) {
  if (!large?.length) return [];
  const rows = [];
  for (const l of large) {
    if (unavailable(l)) {
      rows.push([l.target, '-', '-', '-', '-', '-', `**${unavailable(l)}**`]);
      continue;
    }
    const p = l.bigPrompt;
    const s = l.longStream;
    rows.push([l.target, `${(p.bytes / 1024 / 1024).toFixed(2)} MiB prompt`, String(p.status), formatMs(p.ms), formatMb(p.rssBeforeKb), formatMb(p.rssPeakKb), p.ok ? 'ok' : `**${p.error ?? 'failed'}**`]);
    rows.push([l.target, `${s.requestedChunks}-chunk stream`, String(s.status), formatMs(s.ms), formatMb(s.rssBeforeKb), formatMb(s.rssPeakKb), s.complete ? `ok (${s.chunks} chunks)` : `**${s.error ?? `incomplete: ${s.chunks} chunks`}**`]);
  }
  const header = ['Target', 'Payload', 'Status', 'Time ms', 'RSS before MB', 'RSS peak MB', 'Result'];
  return ['', '## Large payloads', '', markdownTable(header, rows)];
}

function pipelineTable(pipeline) {
  if (pipeline.failure) return `**Rows could not be counted: ${pipeline.failure}**`;
  const cell = (v) => (v == null ? '?' : String(v));
  const rows = pipeline.phases.map((p) => [p.phase, cell(p.sent), cell(p.ok), String(p.rows), String(p.rowsOk), String(p.rowsByStatus['499'] ?? 0), p.lost ? `**${p.verdict}**` : p.verdict]);
  const t = pipeline.totals;
  rows.push(['**total**', cell(t.sent), cell(t.ok), String(t.rows), String(t.rowsOk), '', t.lost ? `**${t.verdict}**` : t.verdict]);
  return markdownTable(['Phase', 'Sent', 'Successful', 'Rows', 'Rows 2xx', 'Rows 499', 'Verdict'], rows);
}

function pipelineSection(pipeline) {
  if (!pipeline) return [];
  return [
    '',
    '## Full pipeline: request-log rows written',
    '',
    'Each phase used its own virtual key; rows are counted in `request_logs` after the writers drained. A timed',
    'load run ends by cutting off requests in flight, which leave rows (usually status 499) the client never saw answered.',
    '',
    pipelineTable(pipeline),
  ];
}

function workersSection(workers) {
  if (!workers) return [];
  if (workers.failure) return ['', `## Full pipeline with ${workers.workers} workers`, '', `**${workers.failure}**`];
  const rows = workers.rows.map((r) => [
    `full-${r.pair}`,
    formatRate(r.single?.rps),
    formatRate(r.multi?.rps),
    r.single?.rps > 0 && r.multi ? formatRatio(r.multi.rps / r.single.rps) : 'n/a',
    formatMs(r.single?.latency?.p99),
    formatMs(r.multi?.latency?.p99),
  ]);
  const header = ['Scenario', 'Req/s 1 process', `Req/s ${workers.workers} workers`, 'Scaling', 'p99 ms 1 process', `p99 ms ${workers.workers} workers`];
  const out = ['', `## Full pipeline with ${workers.workers} workers`, '', markdownTable(header, rows), '', `Command: \`${workers.command}\``];
  if (workers.pipeline) out.push('', pipelineTable(workers.pipeline));
  return out;
}

function soakSection(soak) {
  if (!soak) return [];
  if (unavailable(soak)) return ['', '## Soak', '', `**${unavailable(soak)}**`];
  return [
    '',
    `## Soak: ${soak.minutes} min at ${soak.rate} req/s (full pipeline)`,
    '',
    markdownTable(
      ['Sent', 'Completed', 'Rows', 'p50 ms', 'p99 ms', `RSS after ${soak.warmupS} s MB`, 'RSS at end MB', 'Growth', 'Peak RSS MB'],
      [[
        String(soak.sent),
        String(soak.completed),
        String(soak.rows),
        formatMs(soak.latencyMs.p50),
        formatMs(soak.latencyMs.p99),
        formatMb(soak.rssAfterWarmupKb),
        formatMb(soak.rssEndKb),
        soak.growthPct == null ? 'n/a' : `${soak.growthPct.toFixed(1)}%`,
        formatMb(soak.rssPeakKb),
      ]],
    ),
  ];
}

function targetsSection(targets) {
  if (!targets?.length) return [];
  const mark = { pass: 'pass', fail: '**FAIL**', 'not measured': 'not measured' };
  const rows = targets.map((t) => [t.target, mark[t.status], t.measured]);
  return ['', '## Targets (issue 7)', '', markdownTable(['Target', 'Result', 'Measured'], rows)];
}

function formatSections(report) {
  return [
    ...pacedSection(report.paced),
    ...ttftSection(report.ttft),
    ...streamsSection(report.streams),
    ...largeSection(report.large),
    ...pipelineSection(report.pipeline),
    ...workersSection(report.workers),
    ...soakSection(report.soak),
    ...targetsSection(report.targets),
  ];
}

module.exports = { machineCpuTable, formatSections };
