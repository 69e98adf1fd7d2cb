// Issue 7's performance targets, evaluated from a finished run's report: each is pass, fail or
// "not measured" (with why), always with the measured figure. Pure, so the rules are unit-tested.
'use strict';

const PACED_RATE = 1000;
const STREAMS = 100;
const MIB = 1024 * 1024;
const RSS_LIMIT_KB = 300 * 1024;
// "Bounded memory" for one large request: far below what buffering a big stream many times over would take.
const LARGE_GROWTH_LIMIT_KB = 64 * 1024;

const ms = (v) => (v == null ? 'n/a' : `${v.toFixed(2)} ms`);
const mb = (kb) => (kb == null ? 'n/a' : `${(kb / 1024).toFixed(1)} MB`);
const sub = (a, b) => (a == null || b == null ? null : a - b);
const signed = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(2)} ms`;

/**
 * The floor proxy's own added figure from the same run, or '' when it did not run: a bare Fastify + undici proxy
 * on the same cores shows how much of a latency target the runtime and the machine leave to Tollgate.
 */
function floorAdded(floorValue, directValue) {
  const added = sub(floorValue, directValue);
  return added == null ? '' : `; floor ${signed(added)}`;
}

function result(id, target, status, measured) {
  return { id, target, status, measured };
}

/** pass/fail from a comparison, or not measured when the figure is missing. */
function judge(id, target, value, ok, measured, missing) {
  if (value == null) return result(id, target, 'not measured', missing);
  return result(id, target, ok(value) ? 'pass' : 'fail', measured);
}

function unavailableText(x) {
  return x.skipped ?? x.failure ?? 'unknown';
}

function find(list, predicate) {
  return (list ?? []).find((x) => predicate(x) && !x.skipped && !x.failure) ?? null;
}

function throughputTarget(report) {
  const scenario = (name) => find(report.scenarios, (s) => s.name === name && s.latency);
  const full = scenario('full-json');
  const nginx = scenario('nginx-json');
  const direct = scenario('direct-json');
  const ratio = (a, b) => (a && b && b.rps > 0 ? a.rps / b.rps : null);
  const vsDirect = ratio(full, direct);
  const directText = vsDirect == null ? '' : `full/direct ${(vsDirect * 100).toFixed(1)}% (${Math.round(full.rps)} vs ${Math.round(direct.rps)} req/s)`;
  const vsNginx = ratio(full, nginx);
  // The floor (bare Fastify + undici) shows how much of the gap is the runtime's rather than Tollgate's.
  const floor = scenario('floor-json');
  const floorText = [ratio(floor, nginx), ratio(full, floor)].every((v) => v != null)
    ? `floor/nginx ${(ratio(floor, nginx) * 100).toFixed(1)}%, full/floor ${(ratio(full, floor) * 100).toFixed(1)}%`
    : '';
  const why = !full ? 'full-json did not run' : `nginx did not run (${report.skipped?.nginx ?? 'not selected'}); ${directText}`;
  return judge('throughput', 'full pipeline req/s ≥ 30% of nginx (one process)', vsNginx, (v) => v >= 0.3,
    [`full/nginx ${((vsNginx ?? 0) * 100).toFixed(1)}%`, directText, floorText].filter(Boolean).join('; '), why);
}

function workersTarget(report) {
  const json = report.workers?.rows?.find((r) => r.pair === 'json');
  const single = json?.single?.rps;
  const multi = json?.multi?.rps;
  const value = single > 0 && multi != null ? multi / single : null;
  return judge('workers', '--num_workers N above one process (full-json req/s)', value, (v) => v > 1,
    `${Math.round(multi ?? 0)} req/s with ${report.workers?.workers} workers vs ${Math.round(single ?? 0)} with 1 (${(value ?? 0).toFixed(2)}x)`,
    report.workers ? (report.workers.failure ?? 'full-json did not run at both sizes') : 'run with --num-workers N');
}

function pacedTargets(report) {
  const direct = find(report.paced, (p) => p.target === 'direct' && !p.stream);
  const full = find(report.paced, (p) => p.target === 'full' && !p.stream);
  const floor = find(report.paced, (p) => p.target === 'floor' && !p.stream && p.rate === direct?.rate);
  const rate = full?.rate ?? direct?.rate;
  const missing = !direct || !full ? 'paced runs of direct and full are needed' : `ran at ${rate} req/s, the target is at ${PACED_RATE}; measured`;
  const usable = direct && full && rate === PACED_RATE;
  const errorsNote = full?.errors ? ` (${full.errors} of ${full.sent} requests failed)` : '';
  const at = (key) => (usable ? sub(full.latencyMs[key], direct.latencyMs[key]) : null);
  const shown = (key) =>
    `+${ms(sub(full?.latencyMs[key], direct?.latencyMs[key]))} (full ${ms(full?.latencyMs[key])}, direct ${ms(direct?.latencyMs[key])})${errorsNote}` +
    floorAdded(floor?.latencyMs[key], direct?.latencyMs[key]);
  const clean = (limit) => (v) => v <= limit && !full.errors;
  return [
    judge('paced-p50', `added p50 at ${PACED_RATE} req/s ≤ 1 ms`, at('p50'), clean(1), shown('p50'), direct && full ? `${missing} ${shown('p50')}` : missing),
    judge('paced-p99', `added p99 at ${PACED_RATE} req/s ≤ 5 ms`, at('p99'), clean(5), shown('p99'), direct && full ? `${missing} ${shown('p99')}` : missing),
  ];
}

function serialTargets(report) {
  const direct = find(report.scenarios, (s) => s.name === 'direct-serial' && s.latency);
  const full = find(report.scenarios, (s) => s.name === 'full-serial' && s.latency);
  const floor = find(report.scenarios, (s) => s.name === 'floor-serial' && s.latency);
  const at = (key) => (direct && full ? sub(full.latency[key], direct.latency[key]) : null);
  const shown = (key) => `+${ms(at(key))} (full ${ms(full?.latency[key])}, direct ${ms(direct?.latency[key])})${floorAdded(floor?.latency[key], direct?.latency[key])}`;
  return [
    judge('serial-p50', 'added p50 one request at a time ≤ 0.5 ms', at('p50'), (v) => v <= 0.5, shown('p50'), 'direct-serial and full-serial are needed'),
    judge('serial-p99', 'added p99 one request at a time ≤ 1.5 ms', at('p99'), (v) => v <= 1.5, shown('p99'), 'direct-serial and full-serial are needed'),
  ];
}

function ttftTarget(report) {
  const direct = find(report.ttft, (t) => t.target === 'direct');
  const full = find(report.ttft, (t) => t.target === 'full');
  const floor = find(report.ttft, (t) => t.target === 'floor');
  const value = direct && full ? sub(full.ttftMs.p50, direct.ttftMs.p50) : null;
  return judge('ttft', 'stream time-to-first-token added p50 ≤ 1 ms', value, (v) => v <= 1,
    `+${ms(value)} (full ${ms(full?.ttftMs.p50)}, direct ${ms(direct?.ttftMs.p50)})${floorAdded(floor?.ttftMs.p50, direct?.ttftMs.p50)}`,
    'serial TTFT of direct and full is needed');
}

function streamsTarget(report) {
  const probe = find(report.streams, (s) => s.target === 'full');
  const text = probe && `${probe.completed}/${probe.concurrency} completed, ${probe.stalled} stalled, ${probe.failed} failed`;
  if (probe && probe.concurrency < STREAMS) return result('streams', `${STREAMS} concurrent streams complete without a stall`, 'not measured', `only ${text}`);
  const clean = probe ? probe.completed === probe.concurrency && probe.stalled === 0 && probe.failed === 0 : null;
  return judge('streams', `${STREAMS} concurrent streams complete without a stall`, clean, (v) => v, text, 'the full pipeline stream probe did not run');
}

function soakTargets(report) {
  const soak = report.soak && !report.soak.skipped && !report.soak.failure ? report.soak : null;
  const missing = report.soak ? `the soak failed: ${unavailableText(report.soak)}` : 'run with --soak [minutes]';
  return [
    judge('soak-rows', 'soak: request-log rows == requests sent', soak ? soak.rows === soak.sent : null, (v) => v,
      `${soak?.rows} rows for ${soak?.sent} requests (${soak?.completed} completed)`, missing),
    judge('soak-memory', 'soak: RSS growth after warm-up < 10%', soak?.growthPct ?? null, (v) => v < 10,
      `${(soak?.growthPct ?? 0).toFixed(1)}% (${mb(soak?.rssAfterWarmupKb)} after ${soak?.warmupS} s → ${mb(soak?.rssEndKb)} at ${soak?.minutes} min)`, missing),
  ];
}

function rssTarget(report) {
  const peak = Math.max(report.gateway?.peakRssKb ?? 0, report.soak?.rssPeakKb ?? 0) || null;
  const embedded = report.gateway?.mode === 'embedded' ? ' (embedded: includes the in-process PostgreSQL)' : '';
  return judge('rss', 'gateway RSS < 300 MB', peak, (v) => v < RSS_LIMIT_KB, `peak ${mb(peak)}${embedded}`, 'Tollgate did not run');
}

function largeTargets(report) {
  const large = find(report.large, () => true);
  const bounded = (r) => r?.rssGrowthKb != null && r.rssGrowthKb < LARGE_GROWTH_LIMIT_KB;
  const prompt = large?.bigPrompt;
  const stream = large?.longStream;
  const promptOk = prompt ? prompt.ok && prompt.bytes >= MIB && bounded(prompt) : null;
  const streamOk = stream ? stream.complete && stream.requestedChunks >= 10_000 && bounded(stream) : null;
  return [
    judge('large-prompt', '1 MB prompt passes, RSS growth < 64 MB', promptOk, (v) => v,
      `HTTP ${prompt?.status}, ${prompt?.bytes} bytes, ${ms(prompt?.ms)}, RSS +${mb(prompt?.rssGrowthKb)}${prompt?.error ? `: ${prompt.error}` : ''}`,
      'the large payload check did not run'),
    judge('long-stream', '10,000-chunk stream passes, RSS growth < 64 MB', streamOk, (v) => v,
      `HTTP ${stream?.status}, ${stream?.chunks}/${stream?.requestedChunks} chunks, ${ms(stream?.ms)}, RSS +${mb(stream?.rssGrowthKb)}${stream?.error ? `: ${stream.error}` : ''}`,
      'the large payload check did not run'),
  ];
}

/** @returns {Array<{ id: string, target: string, status: 'pass'|'fail'|'not measured', measured: string }>} */
function evaluateTargets(report) {
  return [
    throughputTarget(report),
    workersTarget(report),
    ...pacedTargets(report),
    ...serialTargets(report),
    ttftTarget(report),
    streamsTarget(report),
    ...soakTargets(report),
    rssTarget(report),
    ...largeTargets(report),
  ];
}

module.exports = { evaluateTargets };
