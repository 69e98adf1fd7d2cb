#!/usr/bin/env node
// Benchmarks the gateway against a fake OpenAI upstream: the same load is sent straight to the upstream
// and through the gateway, and the difference is the gateway's cost. See bench/README.md.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs, usage, UsageError } = require('./options');
const { preflight, warmUp, measure } = require('./load');
const processes = require('./processes');
const { compareScenarios, cpuMsPerRequest, scenarioProblems, formatReport } = require('./report');

const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const MASTER_KEY = 'sk-bench-master';
const HOST = '127.0.0.1';

function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

function machineFacts() {
  let cpuModel = 'unknown CPU';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1].trim() ?? cpuModel;
  } catch {
    cpuModel = os.cpus()[0]?.model ?? cpuModel;
  }
  return {
    cpuModel,
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    nodeVersion: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

/** LiteLLM's config.yaml shape, so the same file also drives LiteLLM through --gateway-cmd. */
function gatewayConfigYaml(upstreamUrl) {
  return [
    'model_list:',
    '  - model_name: bench-model',
    '    litellm_params:',
    '      model: openai/bench-model',
    `      api_base: ${upstreamUrl}/v1`,
    '      api_key: sk-fake',
    'general_settings:',
    '  master_key: os.environ/LITELLM_MASTER_KEY',
    '',
  ].join('\n');
}

function gatewayEnv(dataDir) {
  const env = { ...process.env, LITELLM_MASTER_KEY: MASTER_KEY, TOLLGATE_DATA_DIR: dataDir };
  // Without these the gateway runs embedded (in-process Postgres, in-memory queues): the default install.
  // BENCH_DATABASE_URL / BENCH_REDIS_URL select the production setup instead.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  if (process.env.BENCH_DATABASE_URL) env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
  if (process.env.BENCH_REDIS_URL) env.REDIS_URL = process.env.BENCH_REDIS_URL;
  return env;
}

async function startGateway(options, upstreamUrl, workDir) {
  const configPath = path.join(workDir, 'config.yaml');
  fs.writeFileSync(configPath, gatewayConfigYaml(upstreamUrl));
  const port = await processes.freePort(HOST);
  const logPath = path.join(workDir, 'gateway.log');
  const { child, command } = processes.startGatewayProcess({
    template: options.gatewayCommand ?? processes.defaultGatewayCommand(),
    values: { config: configPath, port, host: HOST },
    env: gatewayEnv(path.join(workDir, 'data')),
    cwd: ROOT,
    logPath,
  });
  const url = `http://${HOST}:${port}`;
  log(`starting gateway: ${command}`);
  const startedAt = Date.now();
  try {
    await processes.waitForLiveliness(url, child);
  } catch (err) {
    await processes.stopChild(child);
    keepGatewayLog(logPath);
    const failure = new Error(`${err.message}\n--- gateway log (tail) ---\n${processes.tailOfFile(logPath)}`);
    failure.explained = true;
    throw failure;
  }
  log(`gateway live after ${Date.now() - startedAt} ms at ${url}`);
  return { url, child, command, logPath, startupRssKb: processes.sampleProcessTree(child.pid)?.rssKb ?? null };
}

function keepGatewayLog(logPath) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.copyFileSync(logPath, path.join(RESULTS_DIR, 'gateway.log'));
}

async function upstreamChatRequests(upstreamUrl) {
  const res = await fetch(`${upstreamUrl}/bench/stats`);
  return (await res.json()).chatRequests;
}

function gatewayExitProblem(child) {
  const ended = child.exitCode ?? child.signalCode;
  return ended === null ? null : `the gateway process ended (${ended}); see bench/results/gateway.log`;
}

async function runScenario(scenario, options, env) {
  const isGateway = scenario.target === 'gateway';
  const base = isGateway ? env.gateway.url : env.upstream.url;
  const target = {
    url: `${base}/v1/chat/completions`,
    kind: scenario.kind,
    apiKey: isGateway ? MASTER_KEY : null,
    connections: scenario.serial ? 1 : options.connections,
    durationS: options.durationS,
  };
  const summary = { name: scenario.name, target: scenario.target, kind: scenario.kind, pair: scenario.pair };
  summary.connections = target.connections;

  const problem =
    (isGateway && gatewayExitProblem(env.gateway.child)) ||
    (await preflight({ ...target, expectedContent: env.expectedContent }));
  if (problem) return { ...summary, failure: problem, requests: 0, rps: 0, latency: null };

  await warmUp(target, options.warmupS);
  const cpuBefore = isGateway ? processes.sampleProcessTree(env.gateway.child.pid) : null;
  const forwardedBefore = isGateway ? await upstreamChatRequests(env.upstream.url) : 0;
  const measured = await measure(target);
  Object.assign(summary, measured);
  if (isGateway) {
    const cpuAfter = processes.sampleProcessTree(env.gateway.child.pid);
    if (cpuBefore && cpuAfter) {
      const cpuMs = cpuAfter.cpuMs - cpuBefore.cpuMs;
      summary.gatewayCpu = { cpuMs, msPerRequest: cpuMsPerRequest(cpuMs, measured.requests) };
    }
    const forwarded = (await upstreamChatRequests(env.upstream.url)) - forwardedBefore;
    summary.notForwarded = Math.max(0, measured.requests - forwarded);
    summary.failure = gatewayExitProblem(env.gateway.child);
  }
  return summary;
}

function pairComparisons(scenarios) {
  const comparisons = [];
  for (const direct of scenarios.filter((s) => s.target === 'direct')) {
    const gateway = scenarios.find((s) => s.target === 'gateway' && s.pair === direct.pair);
    if (!gateway || !direct.latency || !gateway.latency) continue;
    comparisons.push({ name: direct.pair, ...compareScenarios(direct, gateway) });
  }
  return comparisons;
}

function writeResults(report) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const markdown = formatReport(report);
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.md'), markdown);
  return markdown;
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

  // A run that fails before the end must not leave the previous run's figures looking current.
  for (const name of ['latest.json', 'latest.md', 'gateway.log']) fs.rmSync(path.join(RESULTS_DIR, name), { force: true });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollgate-bench-'));
  // Also covers Ctrl-C, which exits without running the finally block below.
  process.on('exit', () => {
    try {
      fs.rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      log(`could not remove ${workDir}`);
    }
  });
  const env = { upstream: null, gateway: null, expectedContent: null };
  try {
    env.upstream = await processes.startUpstreamProcess({ latencyMs: options.upstreamLatencyMs, chunks: options.chunks });
    env.expectedContent = await fetchExpectedContent(env.upstream.url);
    log(`fake upstream at ${env.upstream.url}`);
    if (options.scenarios.some((s) => s.target === 'gateway')) {
      env.gateway = await startGateway(options, env.upstream.url, workDir);
    }

    const scenarios = [];
    for (const scenario of options.scenarios) {
      log(`running ${scenario.name} (${options.warmupS} s warm-up + ${options.durationS} s)`);
      const summary = await runScenario(scenario, options, env);
      const problems = scenarioProblems(summary);
      if (problems.length) log(`!!!!! ${scenario.name} FAILED: ${problems.join('; ')} !!!!!`);
      scenarios.push(summary);
    }

    const report = {
      machine: machineFacts(),
      options: {
        connections: options.connections,
        durationS: options.durationS,
        warmupS: options.warmupS,
        upstreamLatencyMs: options.upstreamLatencyMs,
        chunks: options.chunks,
        smoke: options.smoke,
      },
      scenarios,
      comparisons: pairComparisons(scenarios),
      gateway: env.gateway && {
        command: env.gateway.command,
        startupRssKb: env.gateway.startupRssKb,
        peakRssKb: processes.sampleProcessTree(env.gateway.child.pid)?.peakRssKb ?? null,
      },
    };
    process.stdout.write(writeResults(report));
    log(`results written to ${path.relative(process.cwd(), RESULTS_DIR)}/latest.{json,md}`);

    const failed = scenarios.filter((s) => scenarioProblems(s).length);
    if (failed.length) {
      log(`${failed.length} scenario(s) had errors: ${failed.map((s) => s.name).join(', ')}`);
      return 1;
    }
    return 0;
  } finally {
    if (env.gateway) {
      await processes.stopChild(env.gateway.child);
      keepGatewayLog(env.gateway.logPath);
    }
    if (env.upstream) await env.upstream.stop();
  }
}

/** The fake upstream decides the reply text; preflight checks both paths return exactly that. */
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
