// Figures derived from a run before it is reported: the machine, each target's overhead over direct,
// and which checks broke (as opposed to missed a target).
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const { compareScenarios } = require('./report');

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

/** Every measured non-direct scenario against the direct one of the same workload. */
function comparisons(scenarios) {
  const out = [];
  for (const other of scenarios) {
    if (other.target === 'direct' || !other.latency) continue;
    const direct = scenarios.find((s) => s.target === 'direct' && s.pair === other.pair && s.latency);
    if (!direct) continue;
    out.push({ name: other.name, target: other.target, pair: other.pair, ...compareScenarios(direct, other) });
  }
  return out;
}

/**
 * Checks that could not measure at all: a thrown error, or nothing completed. These fail the run (the
 * harness or the gateway is broken); figures that merely miss a target do not.
 */
function checkProblems(report) {
  const broken = [];
  for (const p of report.paced ?? []) {
    if (p.failure || (!p.skipped && !(p.completed > 0))) broken.push(`paced-${p.target}-${p.stream ? 'stream' : 'json'}`);
  }
  for (const t of report.ttft ?? []) if (t.failure) broken.push(`ttft-${t.target}`);
  for (const s of report.streams ?? []) if (s.failure || (!s.skipped && !(s.completed > 0))) broken.push(`streams-${s.target}`);
  for (const l of report.large ?? []) if (l.failure) broken.push(`large-${l.target}`);
  if (report.soak?.failure) broken.push('soak');
  if (report.pipeline?.failure || report.workers?.pipeline?.failure) broken.push('request-log rows');
  if (report.workers?.failure) broken.push('workers');
  return broken;
}

module.exports = { machineFacts, comparisons, checkProblems };
