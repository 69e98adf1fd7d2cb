// Child-process plumbing for the benchmark: starting the fake upstream and the gateway, waiting for
// them, sampling their CPU and memory from /proc, and making sure none outlives the harness.
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { parsePidStat, processTree } = require('./machine-cpu');

const liveChildren = new Set();

/** Each child leads its own process group so a gateway's workers die with it. */
function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

process.on('exit', () => {
  for (const child of liveChildren) killGroup(child, 'SIGKILL');
});

// Work an interrupted run must still do (dropping its database and Redis keys); bounded so Ctrl-C never hangs.
const interruptCleanups = new Set();
const INTERRUPT_CLEANUP_MS = 15_000;
let interrupted = false;

/** Registers `cleanup` to run if the harness is interrupted; returns a function that unregisters it. */
function onInterrupt(cleanup) {
  interruptCleanups.add(cleanup);
  return () => interruptCleanups.delete(cleanup);
}

/** Called by run.js only: modules that merely require this file (specs) keep the default signal handling. */
function installInterruptHandlers() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => onSignal(signal));
}

function onSignal(signal) {
  // A second signal means "now": skip the cleanup.
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write(`\nbench: received ${signal}, stopping child processes and removing this run's data (again to skip)\n`);
  for (const child of liveChildren) killGroup(child, 'SIGKILL');
  const cleanups = Promise.allSettled([...interruptCleanups].map((cleanup) => Promise.resolve().then(cleanup)));
  const deadline = new Promise((resolve) => setTimeout(resolve, INTERRUPT_CLEANUP_MS).unref());
  void Promise.race([cleanups, deadline]).then(() => process.exit(130));
}

function track(child) {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  return child;
}

function hasExited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM first so the gateway can flush; SIGKILL if it is still there after graceMs. */
async function stopChild(child, graceMs = 5000) {
  if (hasExited(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  killGroup(child, 'SIGKILL'); // stragglers left in the group
}

function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs the fake upstream in its own process so it never competes with the load generator's event loop. */
function startUpstreamProcess({ latencyMs, chunks, chunkIntervalMs = 0 }) {
  const script = path.join(__dirname, 'fake-upstream.js');
  const args = [script, '--port', '0', '--latency', String(latencyMs), '--chunks', String(chunks), '--chunk-interval', String(chunkIntervalMs)];
  const child = track(spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (data) => {
      output += data;
      const match = /listening at (http:\/\/\S+)/.exec(output);
      if (!match) return;
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve({ url: match[1], child, stop: () => stopChild(child) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (data) => (output += data));
    child.once('exit', (code) => reject(new Error(`fake upstream exited with ${code}: ${output.trim()}`)));
    setTimeout(() => reject(new Error(`fake upstream did not start within 10 s: ${output.trim()}`)), 10_000).unref();
  });
}

function shellQuote(value) {
  return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

function defaultGatewayCommand() {
  return `${shellQuote(process.execPath)} bin/tollgate.js start --config {config} --port {port} --host {host}`;
}

function fillCommand(template, values) {
  return template.replace(/\{(config|port|host)\}/g, (_, key) => shellQuote(values[key]));
}

/**
 * `node bin/tollgate.js <args>` as a shell command line, with this harness's own node binary; with
 * cpuProfDir, node writes a CPU profile there when the process exits (NODE_OPTIONS refuses --cpu-prof).
 */
function tollgateCommand(args, { cpuProfDir = null } = {}) {
  return `${shellQuote(process.execPath)}${cpuProfFlags(cpuProfDir)} bin/tollgate.js ${args}`;
}

/** Node flags that write a CPU profile into dir when the process stops; '' when dir is null. */
function cpuProfFlags(dir) {
  return dir ? ` --cpu-prof --cpu-prof-dir=${shellQuote(path.resolve(dir))}` : '';
}

/**
 * Starts the gateway through `sh -c "exec ..."` so its pid is the gateway itself (CPU and RSS are read
 * from it) and any command line can be benchmarked the same way. Output goes to logPath.
 */
function startGatewayProcess({ template, values, env, cwd, logPath }) {
  const command = fillCommand(template, values);
  const log = fs.openSync(logPath, 'w');
  const child = track(spawn('/bin/sh', ['-c', `exec ${command}`], { cwd, env, detached: true, stdio: ['ignore', log, log] }));
  fs.closeSync(log);
  return { child, command };
}

/** Polls `url` until it answers 200; `what` names the process in errors. */
async function waitForHttpOk(url, child, { timeoutMs = 60_000, what = 'gateway' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`${what} exited (code ${child.exitCode ?? child.signalCode}) before it was live`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      lastProblem = `HTTP ${res.status}`;
    } catch (err) {
      lastProblem = err.cause?.code ?? err.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} was not live within ${timeoutMs / 1000} s (last: ${lastProblem})`);
}

function waitForLiveliness(baseUrl, child, timeoutMs = 60_000) {
  return waitForHttpOk(`${baseUrl}/health/liveliness`, child, { timeoutMs });
}

/** For a peer gateway whose health route is unknown: live once it accepts TCP connections. */
async function waitForPort(host, port, child, { timeoutMs = 60_000, what = 'peer gateway' } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`${what} exited (code ${child.exitCode ?? child.signalCode}) before it was live`);
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, host, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not listen on ${host}:${port} within ${timeoutMs / 1000} s`);
}

function tailOfFile(file, maxChars = 4000) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.length > maxChars ? `...${text.slice(-maxChars)}` : text;
  } catch {
    return '';
  }
}

let clockTicksPerSecond;
function clockTicks() {
  if (clockTicksPerSecond === undefined) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicksPerSecond = 100;
    }
  }
  return clockTicksPerSecond;
}

/** A process's command name, parent pid and CPU time from /proc/<pid>/stat; null when it is gone. */
function readPidStat(pid) {
  try {
    return parsePidStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'), clockTicks());
  } catch {
    return null;
  }
}

/** The root and every live descendant: a gateway may run workers in child processes. */
function liveProcessTree(rootPid) {
  const parentOf = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readPidStat(entry);
    if (stat) parentOf.set(Number(entry), stat.ppid);
  }
  return processTree(rootPid, parentOf);
}

function statusKb(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * CPU time (user + system, ms) and memory (kB) summed over the process tree; null when the process
 * is gone or there is no /proc (macOS), so the report says n/a instead of a misleading figure.
 */
function sampleProcessTree(rootPid) {
  if (!fs.existsSync('/proc/self/stat') || !readPidStat(rootPid)) return null;
  let cpuMs = 0;
  let rssKb = 0;
  let peakRssKb = 0;
  for (const pid of liveProcessTree(rootPid)) {
    const stat = readPidStat(pid);
    if (!stat) continue;
    cpuMs += stat.cpuMs;
    rssKb += statusKb(pid, 'VmRSS');
    peakRssKb += statusKb(pid, 'VmHWM');
  }
  return { cpuMs, rssKb, peakRssKb };
}

module.exports = {
  freePort,
  startUpstreamProcess,
  startGatewayProcess,
  defaultGatewayCommand,
  tollgateCommand,
  cpuProfFlags,
  shellQuote,
  onInterrupt,
  installInterruptHandlers,
  waitForLiveliness,
  waitForHttpOk,
  waitForPort,
  stopChild,
  tailOfFile,
  sampleProcessTree,
  clockTicks,
};
