// Command-line options and the scenario catalogue of bench/run.js.
'use strict';

const USAGE = `Usage: node bench/run.js [options]

  --connections N        concurrent connections for the load scenarios (default 64)
  --duration S           measured seconds per scenario (default 10)
  --warmup S             warm-up seconds before each measured run (default 2)
  --smoke                quick CI run: duration 2 s, warm-up 0.5 s, 8 connections
                         (explicit flags still win)
  --scenarios LIST       comma-separated scenario names or groups (default all):
                         ${'{names}'}
                         groups: direct, gateway, json, stream, serial, all
  --gateway-cmd CMD      benchmark another gateway; {config} {port} {host} are substituted
                         (default: node bin/tollgate.js start --config {config} --port {port} --host {host})
  --upstream-latency MS  fake upstream delay before each answer (default 0)
  --chunks N             content chunks per streamed answer (default 20)
  --help                 show this text
`;

/**
 * pair links a direct scenario to its gateway twin for the overhead figures; serial runs one
 * request at a time, which shows pure added latency without queueing.
 */
const SCENARIOS = [
  { name: 'direct-json', target: 'direct', kind: 'json', pair: 'json' },
  { name: 'gateway-json', target: 'gateway', kind: 'json', pair: 'json' },
  { name: 'direct-stream', target: 'direct', kind: 'stream', pair: 'stream' },
  { name: 'gateway-stream', target: 'gateway', kind: 'stream', pair: 'stream' },
  { name: 'direct-serial', target: 'direct', kind: 'json', pair: 'serial', serial: true },
  { name: 'gateway-serial', target: 'gateway', kind: 'json', pair: 'serial', serial: true },
];

const NUMERIC_FLAGS = {
  '--connections': 'connections',
  '--duration': 'durationS',
  '--warmup': 'warmupS',
  '--upstream-latency': 'upstreamLatencyMs',
  '--chunks': 'chunks',
};

const SMOKE_DEFAULTS = { connections: 8, durationS: 2, warmupS: 0.5 };
const FULL_DEFAULTS = { connections: 64, durationS: 10, warmupS: 2 };

class UsageError extends Error {}

function usage() {
  return USAGE.replace('{names}', SCENARIOS.map((s) => s.name).join(', '));
}

function selectScenarios(list) {
  const tokens = list
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const token of tokens) {
    const known = token === 'all' || SCENARIOS.some((s) => [s.name, s.target, s.pair].includes(token));
    if (!known) throw new UsageError(`unknown scenario "${token}"`);
  }
  const wanted = (s) => tokens.some((t) => t === 'all' || t === s.name || t === s.target || t === s.pair);
  const selected = SCENARIOS.filter(wanted);
  if (selected.length === 0) throw new UsageError('no scenario selected');
  return selected;
}

function parseArgs(argv) {
  const given = {};
  let smoke = false;
  let scenarioList = 'all';
  let gatewayCommand = null;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inlineValue] = flag.includes('=') ? flag.split(/=(.*)/s, 2) : [flag, undefined];
    const takeValue = () => {
      const value = inlineValue ?? argv[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      return value;
    };
    if (name === '--smoke') smoke = true;
    else if (name === '--help' || name === '-h') help = true;
    else if (name === '--scenarios') scenarioList = takeValue();
    else if (name === '--gateway-cmd') gatewayCommand = takeValue();
    else if (NUMERIC_FLAGS[name]) {
      const value = Number(takeValue());
      if (!Number.isFinite(value) || value < 0) throw new UsageError(`${name} needs a non-negative number`);
      given[NUMERIC_FLAGS[name]] = value;
    } else throw new UsageError(`unknown option ${flag}`);
  }
  const options = {
    ...(smoke ? SMOKE_DEFAULTS : FULL_DEFAULTS),
    upstreamLatencyMs: 0,
    chunks: 20,
    ...given,
    smoke,
    help,
    gatewayCommand,
    scenarios: selectScenarios(scenarioList),
  };
  if (!Number.isInteger(options.connections) || options.connections < 1) {
    throw new UsageError('--connections needs a whole number of at least 1');
  }
  if (!(options.durationS > 0)) throw new UsageError('--duration must be more than 0');
  return options;
}

module.exports = { parseArgs, usage, UsageError, SCENARIOS };
