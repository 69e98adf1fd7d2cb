// The measured endpoints of a run: which servers it needs, starting them, and how each is called
// (its URL, model, the process to measure, and the API key per phase; the full pipeline makes a new
// virtual key per phase so each phase's request-log rows can be counted).
'use strict';

const { prepareBackends } = require('./backends');
const { PASSTHROUGH_MODEL, ROUTED_MODEL } = require('./gateway-config');
const servers = require('./servers');
const processes = require('./processes');
const { findExecutable } = require('./nginx');
const { createTeam, createKey } = require('./pipeline');

/** Which servers this run needs, from the selected scenarios and checks. */
function neededTargets(options) {
  const targets = new Set(options.scenarios.map((s) => s.target));
  if (options.checks.length) {
    for (const t of ['direct', 'passthrough', 'full']) targets.add(t);
    if (options.peerCommand) targets.add('peer');
  }
  if (options.soakMinutes || options.numWorkers > 1) targets.add('full');
  return targets;
}

/** An endpoint whose requests need no per-phase bookkeeping. */
function plainEndpoint(target, server, apiKey, model) {
  const open = async () => ({ apiKey, record: () => {} });
  return { target, url: server.url, model, child: server.child ?? null, open };
}

/** The full pipeline: a fresh virtual key of the bench team per phase, so each phase's rows are countable. */
function fullEndpoint(server, teamId, ledger) {
  const open = async (phase) => {
    const { key, keyHash } = await createKey(server.url, servers.MASTER_KEY, teamId, `bench-${phase}-${ledger.entries.length}`);
    return { apiKey: key, keyHash, record: ledger.open(phase, keyHash).record };
  };
  return { target: 'full', url: server.url, model: ROUTED_MODEL, child: server.child, open };
}

/** Where request-log rows are counted: SQL on an external database, the spend API on the embedded one. */
function rowSource(backends, gateway) {
  return backends.mode === 'production' ? { databaseUrl: backends.databaseUrl } : { gatewayUrl: gateway.url, masterKey: servers.MASTER_KEY };
}

async function startTargets(ctx, targets) {
  const { options, workDir, configPath } = ctx;
  if (targets.has('passthrough') || targets.has('full')) {
    const backends = await prepareBackends({ embedded: options.embedded, log: ctx.log });
    // Once only, whether the run ends normally or is interrupted (Ctrl-C) while it is cleaning up.
    let cleaning;
    const cleanup = () => (cleaning ??= backends.cleanup());
    ctx.backends = { ...backends, cleanup };
    processes.onInterrupt(cleanup);
    ctx.gateway = await servers.startTollgate({ configPath, workDir, backends: ctx.backends, label: 'gateway', cpuProfDir: options.cpuProfDir, limitsSyncMs: options.limitsSyncMs });
    ctx.owned.push(ctx.gateway);
    ctx.log(`Tollgate (${ctx.backends.mode}) live at ${ctx.gateway.url}`);
    if (ctx.backends.mode === 'production') {
      ctx.worker = await servers.startWorker({ configPath, workDir, backends: ctx.backends, cpuProfDir: options.cpuProfDir });
      ctx.owned.push(ctx.worker);
    }
    ctx.rowSource = rowSource(ctx.backends, ctx.gateway);
    ctx.teamId = await createTeam(ctx.gateway.url, servers.MASTER_KEY);
    ctx.endpoints.passthrough = plainEndpoint('passthrough', ctx.gateway, servers.MASTER_KEY, PASSTHROUGH_MODEL);
    ctx.endpoints.full = fullEndpoint(ctx.gateway, ctx.teamId, ctx.ledger);
  }
  if (targets.has('nginx')) {
    const binary = findExecutable('nginx');
    if (!binary) ctx.skipped.nginx = 'nginx is not on PATH';
    else {
      const nginx = await servers.startNginx({ binary, workDir, upstreamUrl: ctx.upstreamUrl, connections: options.connections });
      ctx.owned.push(nginx);
      ctx.endpoints.nginx = plainEndpoint('nginx', nginx, null, PASSTHROUGH_MODEL);
    }
  }
  if (targets.has('floor')) {
    const floor = await servers.startFloor({ workDir, upstreamUrl: ctx.upstreamUrl, cpuProfDir: options.cpuProfDir });
    ctx.owned.push(floor);
    ctx.endpoints.floor = plainEndpoint('floor', floor, null, PASSTHROUGH_MODEL);
  }
  if (targets.has('peer') && options.peerCommand) {
    const peer = await servers.startPeer({ template: options.peerCommand, configPath, workDir });
    ctx.owned.push(peer);
    ctx.log(`peer live: ${peer.command}`);
    ctx.endpoints.peer = plainEndpoint('peer', peer, servers.MASTER_KEY, PASSTHROUGH_MODEL);
  }
}

module.exports = { neededTargets, plainEndpoint, fullEndpoint, rowSource, startTargets };
