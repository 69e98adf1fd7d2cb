// Where the whole machine's CPU went during a measured run, by role: the measured process, Tollgate's log
// worker, Redis, PostgreSQL, the fake upstream, the load generator (this harness) and everything else.
// On a small machine every one of them competes with the gateway for the same cores, so a throughput
// figure can only be read together with what the other processes cost per request.
'use strict';

const fs = require('node:fs');
const os = require('node:os');

/** Report order; `other` is every process not named here, `kernel` the busy time charged to no process. */
const ROLES = ['measured', 'worker', 'redis', 'postgres', 'upstream', 'load', 'other', 'kernel'];

const ROLE_LABELS = {
  measured: 'measured process',
  worker: 'log worker',
  redis: 'Redis',
  postgres: 'PostgreSQL',
  upstream: 'fake upstream',
  load: 'load generator',
  other: 'other processes',
  kernel: 'not charged to a process',
};

/**
 * The role of a process that is neither the measured one nor the harness, from its command name and line.
 * Tollgate's worker and the upstream are node processes, told apart by their arguments.
 */
function roleOf(comm, cmdline) {
  if (comm === 'redis-server') return 'redis';
  if (comm === 'postgres' || comm === 'postmaster') return 'postgres';
  if (/\btollgate\.js worker\b/.test(cmdline)) return 'worker';
  if (/\bfake-upstream\.js\b/.test(cmdline)) return 'upstream';
  return 'other';
}

/** The machine's busy and idle CPU time (ms, summed over all cores) from the first line of /proc/stat. */
function parseProcStat(text, ticksPerSecond) {
  const fields = /^cpu\s+(.+)$/m.exec(text)?.[1].trim().split(/\s+/).map(Number);
  if (!fields || fields.length < 4) return null;
  // user nice system idle iowait irq softirq steal (guest time is already inside user and nice).
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const toMs = (ticks) => (ticks * 1000) / ticksPerSecond;
  return { busyMs: toMs(user + nice + system + irq + softirq + steal), idleMs: toMs(idle + iowait) };
}

/** A process's command name, parent pid and CPU time (user + system, ms) from its /proc/<pid>/stat text. */
function parsePidStat(text, ticksPerSecond) {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  return { comm, ppid: Number(fields[1]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond };
}

/** `rootPid` and all its descendants, from each process's parent pid (in any order: pids wrap). */
function processTree(rootPid, parentOf) {
  const childrenOf = new Map();
  for (const [pid, parent] of parentOf) {
    if (!childrenOf.has(parent)) childrenOf.set(parent, []);
    childrenOf.get(parent).push(pid);
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) tree.push(...(childrenOf.get(tree[i]) ?? []));
  return tree;
}

function readOrNull(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * One snapshot of the machine: its busy time and every live process's CPU time by role. Null without /proc
 * (macOS), so the report says n/a rather than a wrong figure. `measuredPid`'s whole tree (a gateway's
 * workers) is "measured", this harness "load" (autocannon runs in it).
 */
function takeMachineSnapshot({ measuredPid = null, harnessPid = process.pid, ticksPerSecond = 100, procDir = '/proc' } = {}) {
  const machine = parseProcStat(readOrNull(`${procDir}/stat`) ?? '', ticksPerSecond);
  if (!machine) return null;
  const processes = new Map();
  for (const entry of fs.readdirSync(procDir)) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readOrNull(`${procDir}/${entry}/stat`);
    const parsed = stat && parsePidStat(stat, ticksPerSecond);
    if (parsed) processes.set(Number(entry), parsed);
  }
  const parentOf = new Map([...processes].map(([pid, p]) => [pid, p.ppid]));
  const measured = new Set(measuredPid == null ? [] : processTree(measuredPid, parentOf));
  const byPid = new Map();
  for (const [pid, p] of processes) {
    let role;
    if (measured.has(pid)) role = 'measured';
    else if (pid === harnessPid) role = 'load';
    else role = roleOf(p.comm, (readOrNull(`${procDir}/${pid}/cmdline`) ?? '').replace(/\0/g, ' '));
    byPid.set(pid, { role, cpuMs: p.cpuMs });
  }
  return { atMs: performance.now(), busyMs: machine.busyMs, idleMs: machine.idleMs, byPid };
}

/**
 * CPU spent between two snapshots by role (ms), the machine's busy share and, per request, each role's
 * and the machine's cost. A process that started in between counts from zero; one that ended is lost
 * (its time cannot be read any more), which the kernel/other rest absorbs.
 */
function machineCpuBetween(before, after, requests, cores = os.availableParallelism?.() ?? os.cpus().length) {
  if (!before || !after) return null;
  const byRole = Object.fromEntries(ROLES.map((role) => [role, 0]));
  for (const [pid, now] of after.byPid) {
    const then = before.byPid.get(pid);
    byRole[now.role] += Math.max(0, now.cpuMs - (then?.cpuMs ?? 0));
  }
  const busyMs = after.busyMs - before.busyMs;
  const charged = ROLES.filter((r) => r !== 'kernel').reduce((sum, r) => sum + byRole[r], 0);
  byRole.kernel = Math.max(0, busyMs - charged);
  const elapsedMs = after.atMs - before.atMs;
  const perRequest = (ms) => (requests > 0 ? ms / requests : null);
  return {
    elapsedMs,
    cores,
    busyMs,
    busyShare: elapsedMs > 0 ? busyMs / (elapsedMs * cores) : null,
    byRole,
    msPerRequest: Object.fromEntries(ROLES.map((role) => [role, perRequest(byRole[role])])),
    machineMsPerRequest: perRequest(busyMs),
  };
}

module.exports = { ROLES, ROLE_LABELS, roleOf, parseProcStat, parsePidStat, processTree, takeMachineSnapshot, machineCpuBetween };
