// Command-line options and the scenario catalogue of bench/run.js.
'use strict';

const USAGE = `Usage: node bench/run.js [options]

  --connections N        concurrent connections for the load scenarios (default 64)
  --duration S           measured seconds per scenario (default 10)
  --requests N           send N requests per load scenario instead of a timed run (smoke: 200)
  --warmup S             warm-up seconds before each measured run (default 2)
  --smoke                quick CI run: every scenario and check briefly, no warm-up
                         (explicit flags still win)
  --scenarios LIST       comma-separated scenario names or groups (default all):
                         ${'{names}'}
                         groups: direct, nginx, floor, passthrough, full, peer, json, stream, serial,
                         load (every load scenario), checks (${'{checks}'}), all
  --embedded             run Tollgate embedded (in-process PostgreSQL, no Redis) even when
                         PostgreSQL and Redis are reachable
  --num-workers N        also run the full pipeline with \`--num_workers N\` and compare it with 1
  --peer-cmd CMD         another gateway to measure as "peer"; {config} {port} {host} are substituted
  --gateway-cmd CMD      same as --peer-cmd
  --rate N               requests/s of the paced (open-loop) runs (default 1000)
  --streams N            concurrent streams of the stream probe (default 100)
  --ttft-count N         serial streamed requests per TTFT measurement (default 200)
  --prompt-bytes N       size of the large prompt (default 1048576)
  --long-chunks N        chunks of the long stream (default 10000)
  --soak [MIN]           also run the full pipeline under paced load for MIN minutes (default 10)
  --soak-rate N          requests/s during the soak (default 500)
  --upstream-latency MS  fake upstream delay before each answer (default 0)
  --chunks N             content chunks per streamed answer (default 20)
  --chunk-interval MS    the fake upstream sends a streamed answer's events this far apart
                         (default 0: all at once)
  --limits-sync MS       run the full pipeline with TOLLGATE_LIMITS_SYNC_MS=MS: rate limits and
                         budgets decided in the gateway, exchanged with Redis every MS ms
                         (default: checked in Redis on every request)
  --cpu-prof DIR         write a V8 CPU profile of each Tollgate process and the floor proxy into DIR
  --help                 show this text
`;

const TARGETS = ['direct', 'nginx', 'floor', 'passthrough', 'full', 'peer'];
const KINDS = [
  { pair: 'json', kind: 'json', serial: false },
  { pair: 'stream', kind: 'stream', serial: false },
  { pair: 'serial', kind: 'json', serial: true },
];

/**
 * Every target runs the same three workloads; `pair` links a scenario to the direct one of the same
 * workload for the added-latency figures. serial is one request at a time: added latency without queueing.
 */
const SCENARIOS = TARGETS.flatMap((target) =>
  KINDS.map(({ pair, kind, serial }) => ({ name: `${target}-${pair}`, target, kind, pair, serial })),
);

/** Measurements that are not closed-loop load: each has its own module and its own report table. */
const CHECKS = ['paced', 'ttft', 'streams', 'large'];

const NUMERIC_FLAGS = {
  '--connections': 'connections',
  '--duration': 'durationS',
  '--warmup': 'warmupS',
  '--upstream-latency': 'upstreamLatencyMs',
  '--chunks': 'chunks',
  '--chunk-interval': 'chunkIntervalMs',
  '--num-workers': 'numWorkers',
  '--rate': 'rate',
  '--streams': 'streams',
  '--ttft-count': 'ttftCount',
  '--prompt-bytes': 'promptBytes',
  '--long-chunks': 'longChunks',
  '--soak-rate': 'soakRate',
  '--requests': 'requests',
  '--limits-sync': 'limitsSyncMs',
};
const WHOLE_NUMBERS = ['requests', 'connections', 'numWorkers', 'rate', 'streams', 'ttftCount', 'promptBytes', 'longChunks', 'soakRate'];

const COMMON_DEFAULTS = {
  upstreamLatencyMs: 0,
  chunks: 20,
  chunkIntervalMs: 0,
  numWorkers: 1,
  streams: 100,
  promptBytes: 1024 * 1024,
  longChunks: 10_000,
  soakRate: 500,
  limitsSyncMs: null,
};
// The smoke run keeps every scenario and probe but makes each one short, so CI proves the harness works.
// autocannon times runs in whole seconds, so the smoke's load scenarios send a fixed count instead.
const SMOKE_DEFAULTS = { connections: 8, durationS: 0.5, warmupS: 0, requests: 200, rate: 200, ttftCount: 10 };
const FULL_DEFAULTS = { connections: 64, durationS: 10, warmupS: 2, requests: null, rate: 1000, ttftCount: 200 };
const DEFAULT_SOAK_MINUTES = 10;

class UsageError extends Error {}

function usage() {
  return USAGE.replace('{names}', SCENARIOS.map((s) => s.name).join(', ')).replace('{checks}', CHECKS.join(', '));
}

function tokenSelects(token, scenario) {
  return token === 'all' || token === 'load' || [scenario.name, scenario.target, scenario.pair].includes(token);
}

/** @returns {{ scenarios: object[], checks: string[] }} */
function selectScenarios(list) {
  const tokens = list
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const token of tokens) {
    const known =
      ['all', 'load', 'checks'].includes(token) || CHECKS.includes(token) || SCENARIOS.some((s) => tokenSelects(token, s));
    if (!known) throw new UsageError(`unknown scenario "${token}"`);
  }
  const scenarios = SCENARIOS.filter((s) => tokens.some((t) => tokenSelects(t, s)));
  const checks = CHECKS.filter((c) => tokens.some((t) => t === 'all' || t === 'checks' || t === c));
  if (scenarios.length === 0 && checks.length === 0) throw new UsageError('no scenario selected');
  return { scenarios, checks };
}

function parseArgs(argv) {
  const given = {};
  let smoke = false;
  let scenarioList = 'all';
  let peerCommand = null;
  let embedded = false;
  let soakMinutes = null;
  let help = false;
  let cpuProfDir = null;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inlineValue] = flag.includes('=') ? flag.split(/=(.*)/s, 2) : [flag, undefined];
    const takeValue = () => {
      const value = inlineValue ?? argv[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      return value;
    };
    if (name === '--smoke') smoke = true;
    else if (name === '--embedded') embedded = true;
    else if (name === '--help' || name === '-h') help = true;
    else if (name === '--scenarios') scenarioList = takeValue();
    else if (name === '--gateway-cmd' || name === '--peer-cmd') peerCommand = takeValue();
    else if (name === '--cpu-prof') cpuProfDir = takeValue();
    else if (name === '--soak') {
      // The minutes are optional: `--soak`, `--soak 5`, `--soak=0.5`.
      const next = inlineValue ?? (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : undefined);
      soakMinutes = next === undefined ? DEFAULT_SOAK_MINUTES : Number(next);
      if (!(soakMinutes > 0)) throw new UsageError('--soak needs a number of minutes above 0');
    } else if (NUMERIC_FLAGS[name]) {
      const value = Number(takeValue());
      if (!Number.isFinite(value) || value < 0) throw new UsageError(`${name} needs a non-negative number`);
      given[NUMERIC_FLAGS[name]] = value;
    } else throw new UsageError(`unknown option ${flag}`);
  }
  const options = {
    ...COMMON_DEFAULTS,
    ...(smoke ? SMOKE_DEFAULTS : FULL_DEFAULTS),
    ...given,
    smoke,
    help,
    embedded,
    peerCommand,
    soakMinutes,
    cpuProfDir,
    ...selectScenarios(scenarioList),
  };
  if (options.limitsSyncMs !== null && !(Number.isInteger(options.limitsSyncMs) && options.limitsSyncMs >= 1 && options.limitsSyncMs <= 1000)) {
    throw new UsageError('--limits-sync needs a whole number of milliseconds from 1 to 1000');
  }
  for (const key of WHOLE_NUMBERS) {
    if (key === 'requests' && options.requests === null) continue;
    const flag = Object.keys(NUMERIC_FLAGS).find((f) => NUMERIC_FLAGS[f] === key);
    if (!Number.isInteger(options[key]) || options[key] < 1) throw new UsageError(`${flag} needs a whole number of at least 1`);
  }
  if (!(options.durationS > 0)) throw new UsageError('--duration must be more than 0');
  // A peer scenario without a peer command has nothing to measure; drop it rather than report a failure.
  if (!peerCommand) options.scenarios = options.scenarios.filter((s) => s.target !== 'peer');
  if (options.scenarios.length === 0 && options.checks.length === 0) throw new UsageError('peer scenarios need --peer-cmd');
  return options;
}

module.exports = { parseArgs, usage, UsageError, SCENARIOS, CHECKS };
