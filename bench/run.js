#!/usr/bin/env node
// Benchmarks the gateway against a fake OpenAI upstream: the same load is sent straight to the upstream,
// through nginx, through Tollgate (pass-through and full pipeline) and through an optional peer gateway,
// and the differences are each hop's cost. See bench/README.md.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs, usage, UsageError, SCENARIOS } = require('./options');
const processes = require('./processes');
const { scenarioProblems, formatReport } = require('./report');
const { gatewayConfigYaml, PASSTHROUGH_MODEL } = require('./gateway-config');
const servers = require('./servers');
const { waitForRows } = require('./pipeline');
const { neededTargets, plainEndpoint, fullEndpoint, rowSource, startTargets } = require('./endpoints');
const { Ledger, reconcile } = require('./ledger');
const { RssSampler } = require('./rss-sampler');
const phases = require('./phases');
const { runSoak } = require('./soak');
const { evaluateTargets } = require('./targets');
const { machineFacts, comparisons, checkProblems } = require('./summary');

// Overridable so a test run does not replace the figures of a real one.
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ? path.resolve(process.env.BENCH_RESULTS_DIR) : path.join(__dirname, 'results');

const startedAt = Date.now();
function log(message) {
  process.stderr.write(`bench +${((Date.now() - startedAt) / 1000).toFixed(1)}s: ${message}\n`);
}

function writeResults(report) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const markdown = formatReport(report);
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.md'), markdown);
  return markdown;
}

async function runLoadScenarios(ctx) {
  const results = [];
  for (const scenario of ctx.options.scenarios) {
    const endpoint = ctx.endpoints[scenario.target];
    if (!endpoint) {
      results.push({ ...scenario, connections: 0, requests: 0, rps: 0, latency: null, skipped: ctx.skipped[scenario.target] ?? 'not started' });
      continue;
    }
    log(`running ${scenario.name} (${ctx.options.warmupS} s warm-up + ${ctx.options.durationS} s)`);
    const summary = await phases.runLoadScenario(ctx, scenario, endpoint).catch((err) => ({
      ...scenario,
      connections: 0,
      requests: 0,
      rps: 0,
      latency: null,
      failure: err.message,
    }));
    const problems = scenarioProblems(summary);
    if (problems.length) log(`!!!!! ${scenario.name} FAILED: ${problems.join('; ')} !!!!!`);
    results.push(summary);
  }
  return results;
}

/** A step that fails is reported as `{ failure }` so the rest of the report is still written. */
async function orFailure(label, fn) {
  try {
    return await fn();
  } catch (err) {
    log(`!!!!! ${label} FAILED: ${err.message} !!!!!`);
    return { failure: err.message };
  }
}

/** Each check against every endpoint it applies to, in the order direct first so overheads can be read. */
async function runChecks(ctx) {
  const { checks } = ctx.options;
  const present = (names) => names.map((n) => ctx.endpoints[n]).filter(Boolean);
  const out = { paced: [], ttft: [], streams: [], large: [] };
  const step = (label, fn) => {
    log(label);
    return orFailure(label, fn);
  };
  if (checks.includes('paced')) {
    for (const e of present(['direct', 'nginx', 'floor', 'passthrough', 'full', 'peer'])) {
      out.paced.push({ target: e.target, ...(await step(`paced ${e.target} json at ${ctx.options.rate} req/s`, () => phases.runPaced(ctx, e, false))) });
    }
    for (const e of present(['direct', 'full'])) {
      out.paced.push({ target: e.target, ...(await step(`paced ${e.target} stream at ${ctx.options.rate} req/s`, () => phases.runPaced(ctx, e, true))) });
    }
  }
  if (checks.includes('ttft')) {
    for (const e of present(['direct', 'nginx', 'floor', 'passthrough', 'full', 'peer'])) {
      out.ttft.push({ target: e.target, ...(await step(`serial TTFT ${e.target}`, () => phases.runTtft(ctx, e))) });
    }
  }
  if (checks.includes('streams')) {
    for (const e of present(['direct', 'passthrough', 'full'])) {
      out.streams.push({ target: e.target, ...(await step(`${ctx.options.streams} concurrent streams ${e.target}`, () => phases.runStreams(ctx, e))) });
    }
  }
  if (checks.includes('large')) {
    const e = ctx.endpoints.full ?? ctx.endpoints.passthrough;
    if (e) out.large.push({ target: e.target, ...(await step(`large payloads ${e.target}`, () => phases.runLarge(ctx, e))) });
  }
  return out;
}

async function countPipelineRows(ctx, phaseNames) {
  const hashes = ctx.ledger.keyHashes(phaseNames);
  if (!hashes.length) return null;
  log(`waiting for the request logs of ${hashes.length} full-pipeline phase(s) to be written`);
  const counted = await waitForRows(ctx.rowSource, hashes, ctx.ledger.expectedRows(hashes));
  const entries = ctx.ledger.entries.filter((e) => hashes.includes(e.keyHash));
  return reconcile(entries, counted);
}

/** The full pipeline again with --num_workers N, against the single process's figures from this run. */
async function runWorkersComparison(ctx, singleScenarios) {
  const n = ctx.options.numWorkers;
  await ctx.gateway.stop();
  servers.keepLog(ctx.gateway.logPath, RESULTS_DIR);
  let gateway;
  try {
    gateway = await servers.startTollgate({ configPath: ctx.configPath, workDir: ctx.workDir, backends: ctx.backends, numWorkers: n, label: 'gateway-workers', cpuProfDir: ctx.options.cpuProfDir, limitsSyncMs: ctx.options.limitsSyncMs });
  } catch (err) {
    // `--num_workers` is newer than this harness; a gateway without it must not cost the rest of the report.
    log(`!!!!! Tollgate with ${n} workers did not start: ${err.message} !!!!!`);
    servers.keepLog(path.join(ctx.workDir, 'gateway-workers.log'), RESULTS_DIR);
    const [first, ...logLines] = err.message.split('\n');
    const logError = logLines.find((line) => /error/i.test(line));
    return { workers: n, failure: logError ? `${first}: ${logError.trim()}` : first, rows: [] };
  }
  ctx.owned.push(gateway);
  ctx.rowSource = rowSource(ctx.backends, gateway);
  const endpoint = fullEndpoint(gateway, ctx.teamId, ctx.ledger);
  const rows = [];
  const before = ctx.ledger.entries.length;
  for (const scenario of SCENARIOS.filter((s) => s.target === 'full' && !s.serial)) {
    log(`running ${scenario.name} with ${n} workers`);
    const multi = await phases.runLoadScenario(ctx, scenario, endpoint, `${scenario.name}-w${n}`);
    rows.push({ pair: scenario.pair, single: singleScenarios.find((s) => s.name === scenario.name) ?? null, multi });
  }
  const pipeline = await orFailure('counting request-log rows', () => countPipelineRows(ctx, ctx.ledger.entries.slice(before).map((e) => e.phase)));
  await gateway.stop();
  servers.keepLog(gateway.logPath, RESULTS_DIR);
  return { workers: n, command: gateway.command, rows, pipeline };
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`bench: ${err.message}\n\n${usage()}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(usage());
    return 0;
  }

  processes.installInterruptHandlers();
  // A run that fails before the end must not leave the previous run's figures looking current.
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollgate-bench-'));
  // Also covers Ctrl-C, which exits without running the finally block below.
  process.on('exit', () => {
    try {
      fs.rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      log(`could not remove ${workDir}`);
    }
  });
  const ctx = { options, log, workDir, configPath: path.join(workDir, 'config.yaml'), endpoints: {}, skipped: {}, owned: [], ledger: new Ledger() };
  let upstream = null;
  try {
    upstream = await processes.startUpstreamProcess({ latencyMs: options.upstreamLatencyMs, chunks: options.chunks, chunkIntervalMs: options.chunkIntervalMs });
    ctx.upstreamUrl = upstream.url;
    ctx.expectedContent = await fetchExpectedContent(upstream.url);
    log(`fake upstream at ${upstream.url}`);
    fs.writeFileSync(ctx.configPath, gatewayConfigYaml(upstream.url));
    ctx.endpoints.direct = plainEndpoint('direct', { url: upstream.url }, null, PASSTHROUGH_MODEL);
    await startTargets(ctx, neededTargets(options));
    ctx.sampler = new RssSampler(() => (ctx.gateway ? [ctx.gateway.child.pid] : []), 500).start();

    const scenarios = await runLoadScenarios(ctx);
    const checks = await runChecks(ctx);
    const pipeline = await orFailure('counting request-log rows', () => countPipelineRows(ctx));
    const soak = options.soakMinutes && ctx.endpoints.full
      ? await orFailure('soak', () => runSoak({ endpoint: ctx.endpoints.full, minutes: options.soakMinutes, rate: options.soakRate, rowSource: ctx.rowSource, log }))
      : null;
    ctx.sampler.stop();
    const gateway = ctx.gateway && {
      command: ctx.gateway.command,
      nodeOptions: ctx.gateway.nodeOptions,
      mode: ctx.backends.mode,
      modeReason: ctx.backends.reason,
      startupRssKb: ctx.gateway.startupRssKb,
      peakRssKb: Math.max(ctx.sampler.peak() ?? 0, ctx.gateway.startupRssKb ?? 0) || null,
      peakRssHwmKb: processes.sampleProcessTree(ctx.gateway.child.pid)?.peakRssKb ?? null,
      worker: ctx.worker ? { command: ctx.worker.command, peakRssKb: processes.sampleProcessTree(ctx.worker.child.pid)?.peakRssKb ?? null } : null,
    };
    const workers = options.numWorkers > 1 && ctx.endpoints.full ? await runWorkersComparison(ctx, scenarios) : null;

    const report = {
      machine: machineFacts(),
      options: {
        connections: options.connections,
        durationS: options.durationS,
        requests: options.requests,
        warmupS: options.warmupS,
        upstreamLatencyMs: options.upstreamLatencyMs,
        chunks: options.chunks,
        chunkIntervalMs: options.chunkIntervalMs,
        rate: options.rate,
        streams: options.streams,
        numWorkers: options.numWorkers,
        soakMinutes: options.soakMinutes,
        limitsSyncMs: options.limitsSyncMs,
        smoke: options.smoke,
      },
      scenarios,
      comparisons: comparisons(scenarios),
      ...checks,
      pipeline,
      soak,
      workers,
      gateway,
      skipped: ctx.skipped,
    };
    report.targets = evaluateTargets(report);
    process.stdout.write(writeResults(report));
    log(`results written to ${path.relative(process.cwd(), RESULTS_DIR)}/latest.{json,md}`);

    const failed = scenarios.filter((s) => scenarioProblems(s).length).map((s) => s.name);
    failed.push(...checkProblems(report));
    if (failed.length) {
      log(`${failed.length} measurement(s) broke: ${failed.join(', ')}`);
      return 1;
    }
    return 0;
  } finally {
    ctx.sampler?.stop();
    for (const server of ctx.owned.reverse()) {
      await server.stop();
      servers.keepLog(server.logPath, RESULTS_DIR);
    }
    if (upstream) await upstream.stop();
    if (ctx.backends) await ctx.backends.cleanup().catch((err) => log(`cleanup failed: ${err.message}`));
  }
}

/** The fake upstream decides the reply text; preflight checks every path returns exactly that. */
async function fetchExpectedContent(upstreamUrl) {
  const res = await fetch(`${upstreamUrl}/v1/chat/completions`, { method: 'POST', body: '{"model":"bench-model"}' });
  return (await res.json()).choices[0].message.content;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log(`failed: ${err.explained ? err.message : (err.stack ?? err)}`);
    process.exit(1);
  },
);
