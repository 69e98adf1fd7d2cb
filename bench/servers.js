// Starts the measured servers besides the fake upstream: Tollgate (gateway and, in production shape, its
// worker), a peer gateway from a command template, and nginx. Each comes back as
// { url, child, command, logPath, stop } with the process running and answering.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const processes = require('./processes');
const { prepareNginx } = require('./nginx');
const { readImageNodeOptions } = require('./image-node-options');

const ROOT = path.resolve(__dirname, '..');
const HOST = '127.0.0.1';
const MASTER_KEY = 'sk-bench-master';

/**
 * Node options for Tollgate's processes, not the load generator: the container image's (so the bench measures
 * Tollgate as deployed), then BENCH_TOLLGATE_NODE_OPTIONS for experiments (a later flag wins over an earlier one).
 */
function tollgateNodeOptions() {
  return [readImageNodeOptions(), process.env.BENCH_TOLLGATE_NODE_OPTIONS ?? ''].map((o) => o.trim()).filter(Boolean).join(' ');
}

function tollgateEnv(backends, dataDir, limitsSyncMs = null) {
  const env = { ...process.env, LITELLM_MASTER_KEY: MASTER_KEY, TOLLGATE_DATA_DIR: dataDir };
  // Inherited settings would silently change which install is measured.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.TOLLGATE_REDIS_PREFIX;
  delete env.TOLLGATE_LIMITS_SYNC_MS;
  if (limitsSyncMs) env.TOLLGATE_LIMITS_SYNC_MS = String(limitsSyncMs);
  const nodeOptions = [env.NODE_OPTIONS ?? '', tollgateNodeOptions()].filter(Boolean).join(' ');
  if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
  if (backends.mode === 'production') {
    env.DATABASE_URL = backends.databaseUrl;
    env.REDIS_URL = backends.redisUrl;
    env.TOLLGATE_REDIS_PREFIX = backends.redisPrefix;
  }
  return env;
}

/** Starts a command and waits until `ready` resolves; on failure the log's tail is in the error. */
async function launch({ template, values, env, logPath, ready, what }) {
  const { child, command } = processes.startGatewayProcess({ template, values, env, cwd: ROOT, logPath });
  try {
    await ready(child);
  } catch (err) {
    await processes.stopChild(child);
    const failure = new Error(`${what}: ${err.message}\n--- ${path.basename(logPath)} (tail) ---\n${processes.tailOfFile(logPath)}`);
    failure.explained = true;
    throw failure;
  }
  return { child, command, logPath, stop: () => processes.stopChild(child) };
}

/**
 * @param {{ configPath: string, workDir: string, backends: object, numWorkers?: number, label: string, cpuProfDir?: string|null, limitsSyncMs?: number|null }} options
 */
async function startTollgate({ configPath, workDir, backends, numWorkers = 1, label, cpuProfDir = null, limitsSyncMs = null }) {
  const port = await processes.freePort(HOST);
  const workers = numWorkers > 1 ? ` --num_workers ${numWorkers}` : '';
  const url = `http://${HOST}:${port}`;
  const started = await launch({
    template: processes.tollgateCommand(`start --config {config} --port {port} --host {host}${workers}`, { cpuProfDir }),
    values: { config: configPath, port, host: HOST },
    env: tollgateEnv(backends, path.join(workDir, 'data'), limitsSyncMs),
    logPath: path.join(workDir, `${label}.log`),
    ready: (child) => processes.waitForLiveliness(url, child),
    what: `Tollgate (${label})`,
  });
  return { ...started, url, nodeOptions: tollgateNodeOptions(), startupRssKb: processes.sampleProcessTree(started.child.pid)?.rssKb ?? null };
}

/** `tollgate worker`: moves request logs from the Redis queue to PostgreSQL (production shape only). */
async function startWorker({ configPath, workDir, backends, cpuProfDir = null }) {
  const logPath = path.join(workDir, 'worker.log');
  return launch({
    template: processes.tollgateCommand('worker --config {config}', { cpuProfDir }),
    values: { config: configPath },
    env: tollgateEnv(backends, path.join(workDir, 'data')),
    logPath,
    // The worker serves no HTTP; it is ready once it says so or has run a moment without dying.
    ready: (child) => waitForLogLine(logPath, child, /Worker started/, 15_000),
    what: 'tollgate worker',
  });
}

async function waitForLogLine(logPath, child, pattern, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.exitCode ?? child.signalCode})`);
    if (pattern.test(processes.tailOfFile(logPath))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no start-up line within ${timeoutMs / 1000} s`);
}

/** Any gateway given as a command template; it reads the same LiteLLM-format config. */
async function startPeer({ template, configPath, workDir }) {
  const port = await processes.freePort(HOST);
  const started = await launch({
    template,
    values: { config: configPath, port, host: HOST },
    env: { ...process.env, LITELLM_MASTER_KEY: MASTER_KEY },
    logPath: path.join(workDir, 'peer.log'),
    ready: (child) => processes.waitForPort(HOST, port, child),
    what: 'peer gateway',
  });
  return { ...started, url: `http://${HOST}:${port}` };
}

async function startNginx({ binary, workDir, upstreamUrl, connections }) {
  const port = await processes.freePort(HOST);
  const { args } = prepareNginx({ binary, workDir, host: HOST, port, upstreamUrl, connections });
  const url = `http://${HOST}:${port}`;
  const started = await launch({
    template: args.map(processes.shellQuote).join(' '),
    values: {},
    env: process.env,
    logPath: path.join(workDir, 'nginx.log'),
    // Proxied to the fake upstream, so a 200 here proves the whole hop works.
    ready: (child) => processes.waitForHttpOk(`${url}/v1/models`, child, { what: 'nginx', timeoutMs: 15_000 }),
    what: 'nginx',
  });
  return { ...started, url };
}

/** The bare Fastify + undici proxy of bench/floor-proxy.js in front of the fake upstream. */
async function startFloor({ workDir, upstreamUrl, cpuProfDir = null }) {
  const port = await processes.freePort(HOST);
  const url = `http://${HOST}:${port}`;
  const script = path.join(__dirname, 'floor-proxy.js');
  const started = await launch({
    template: `${processes.shellQuote(process.execPath)}${processes.cpuProfFlags(cpuProfDir)} ${processes.shellQuote(script)} --host {host} --port {port} --upstream ${processes.shellQuote(upstreamUrl)}`,
    values: { host: HOST, port },
    env: process.env,
    logPath: path.join(workDir, 'floor.log'),
    ready: (child) => processes.waitForHttpOk(`${url}/v1/models`, child, { what: 'floor proxy', timeoutMs: 15_000 }),
    what: 'floor proxy',
  });
  return { ...started, url };
}

/** Keeps a process's log with the results (they are removed with the temp dir otherwise). */
function keepLog(logPath, resultsDir) {
  if (!fs.existsSync(logPath)) return;
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.copyFileSync(logPath, path.join(resultsDir, path.basename(logPath)));
}

module.exports = { startTollgate, startWorker, startPeer, startNginx, startFloor, keepLog, MASTER_KEY, HOST };
