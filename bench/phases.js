// One function per kind of measurement, each against one endpoint (direct, nginx, passthrough, full or
// peer). An endpoint is { target, url, model, child (the measured process, null for direct), open(phase) }
// where open() returns the API key to use and a callback that records how many requests the phase made
// (the full pipeline counts its request-log rows against them).
'use strict';

const { preflight, warmUp, measure, requestBody, requestHeaders } = require('./load');
const processes = require('./processes');
const { cpuMsPerRequest } = require('./report');
const { RssSampler } = require('./rss-sampler');
const { takeMachineSnapshot, machineCpuBetween } = require('./machine-cpu');
const paced = require('./paced-load');
const probe = require('./stream-probe');
const large = require('./large-payloads');

const PROMPT = [{ role: 'user', content: 'Say hello to the benchmark.' }];

async function upstreamChatRequests(upstreamUrl) {
  const res = await fetch(`${upstreamUrl}/bench/stats`);
  return (await res.json()).chatRequests;
}

function processEnded(child) {
  const ended = child && (child.exitCode ?? child.signalCode);
  return ended == null ? null : `the measured process ended (${ended}); see its log in bench/results/`;
}

/** CPU time of the measured process tree while `fn` runs, and snapshots of the whole machine around it. */
async function withCpu(child, fn) {
  const machineOptions = { measuredPid: child?.pid ?? null, ticksPerSecond: processes.clockTicks() };
  const machineBefore = takeMachineSnapshot(machineOptions);
  const before = child ? processes.sampleProcessTree(child.pid) : null;
  const result = await fn();
  const after = child ? processes.sampleProcessTree(child.pid) : null;
  const machineAfter = takeMachineSnapshot(machineOptions);
  return { result, cpuMs: before && after ? after.cpuMs - before.cpuMs : null, machine: { before: machineBefore, after: machineAfter } };
}

function chatUrl(endpoint) {
  return `${endpoint.url}/v1/chat/completions`;
}

async function runLoadScenario(ctx, scenario, endpoint, nameOverride) {
  const { apiKey, record } = await endpoint.open(nameOverride ?? scenario.name);
  const target = {
    url: chatUrl(endpoint),
    kind: scenario.kind,
    apiKey,
    model: endpoint.model,
    connections: scenario.serial ? 1 : ctx.options.connections,
    durationS: ctx.options.durationS,
    amount: ctx.options.requests ?? undefined,
  };
  const summary = {
    name: nameOverride ?? scenario.name,
    target: scenario.target,
    kind: scenario.kind,
    pair: scenario.pair,
    connections: target.connections,
  };
  const problem = processEnded(endpoint.child) || (await preflight({ ...target, expectedContent: ctx.expectedContent }));
  record({ sent: 1, answered: 1, ok: problem ? 0 : 1 });
  if (problem) return { ...summary, failure: problem, requests: 0, rps: 0, latency: null };

  record(await warmUp(target, ctx.options.warmupS));
  const forwardedBefore = endpoint.child ? await upstreamChatRequests(ctx.upstreamUrl) : 0;
  // The measured process's own memory (Tollgate, nginx or the peer), sampled through the run.
  const sampler = endpoint.child ? new RssSampler(() => [endpoint.child.pid], 500).start() : null;
  const { result: measured, cpuMs, machine } = await withCpu(endpoint.child, () => measure(target));
  sampler?.stop();
  record(measured.counts);
  Object.assign(summary, measured);
  summary.machineCpu = machineCpuBetween(machine.before, machine.after, measured.requests);
  if (endpoint.child) {
    if (cpuMs != null) summary.gatewayCpu = { cpuMs, msPerRequest: cpuMsPerRequest(cpuMs, measured.requests) };
    const forwarded = (await upstreamChatRequests(ctx.upstreamUrl)) - forwardedBefore;
    summary.notForwarded = Math.max(0, measured.requests - forwarded);
    summary.peakRssKb = sampler.peak();
    summary.failure = processEnded(endpoint.child);
  }
  return summary;
}

/** Fixed arrival rate (open loop): the added-latency targets at 1,000 req/s are read from these runs. */
async function runPaced(ctx, endpoint, stream) {
  const { apiKey, record } = await endpoint.open(`paced-${stream ? 'stream' : 'json'}`);
  const { result, cpuMs, machine } = await withCpu(endpoint.child, () =>
    paced.pacedLoad({
      url: chatUrl(endpoint),
      headers: requestHeaders(apiKey),
      body: { model: endpoint.model, messages: PROMPT },
      ratePerSecond: ctx.options.rate,
      durationS: ctx.options.durationS,
      warmupS: ctx.options.warmupS,
      stream,
    }),
  );
  // The warm-up's requests wrote rows too.
  const warm = result.warmup ?? { sent: 0, completed: 0, statusCounts: {} };
  record({ sent: result.sent + warm.sent, answered: answeredOf(result.statusCounts) + answeredOf(warm.statusCounts), ok: result.completed + warm.completed });
  return {
    target: endpoint.target,
    stream,
    rate: ctx.options.rate,
    durationS: ctx.options.durationS,
    warmupS: ctx.options.warmupS,
    ...result,
    // CPU was sampled around the warm-up too, so it is shared by all the requests that completed.
    gatewayCpuMsPerRequest: cpuMs == null ? null : cpuMsPerRequest(cpuMs, result.completed + warm.completed),
    machineCpu: machineCpuBetween(machine.before, machine.after, result.completed + warm.completed),
  };
}

/** Requests that got an HTTP answer of any status: the labels that are numbers. */
// incomplete-stream and bad-body came with a 2xx status: the gateway answered them, so they must have rows too.
function answeredOf(statusCounts) {
  return Object.entries(statusCounts).reduce((sum, [label, n]) => (/^\d+$/.test(label) || label === 'incomplete-stream' || label === 'bad-body' ? sum + n : sum), 0);
}

/** Time to first token, one stream at a time, so no queueing hides in it. */
async function runTtft(ctx, endpoint) {
  const { apiKey, record } = await endpoint.open('ttft');
  const count = ctx.options.ttftCount;
  const warmup = 1;
  try {
    const result = await probe.serialTtft({
      url: chatUrl(endpoint),
      headers: requestHeaders(apiKey),
      body: JSON.parse(requestBody('stream', endpoint.model)),
      count,
      warmup,
    });
    record({ sent: count + warmup, answered: count + warmup, ok: count + warmup });
    return { target: endpoint.target, count, ...result };
  } catch (err) {
    // serialTtft stops at the first stream that does not complete; how many went before is unknown.
    record({ sent: null, answered: null, ok: null });
    return { target: endpoint.target, count, failure: err.message };
  }
}

/** Many streams open at once, each watched for a pause longer than stallMs. */
async function runStreams(ctx, endpoint) {
  const { apiKey, record } = await endpoint.open('streams');
  const concurrency = ctx.options.streams;
  const result = await probe.probeStreams({
    url: chatUrl(endpoint),
    headers: requestHeaders(apiKey),
    body: JSON.parse(requestBody('stream', endpoint.model)),
    concurrency,
    timeoutMs: 30_000,
    stallMs: 5_000,
  });
  record({ sent: concurrency, answered: result.completed + (result.failed ?? 0), ok: result.completed });
  return { target: endpoint.target, concurrency, ...result };
}

function memoryGrowth(baseline, sampler) {
  sampler.stop();
  const peak = sampler.peak();
  return { rssBeforeKb: baseline, rssPeakKb: peak, rssGrowthKb: baseline != null && peak != null ? peak - baseline : null };
}

/** A big prompt and a very long stream, with the gateway's memory sampled while each runs. */
async function runLarge(ctx, endpoint) {
  const { apiKey, record } = await endpoint.open('large');
  const headers = requestHeaders(apiKey);
  // A close sampling interval of its own: one large request can be over in less than the run's interval.
  const measureMemory = async (fn) => {
    const sampler = new RssSampler(() => [endpoint.child.pid], 50);
    const baseline = sampler.sample();
    sampler.start();
    try {
      const result = await fn();
      return { ...result, ...memoryGrowth(baseline, sampler) };
    } finally {
      sampler.stop();
    }
  };
  const url = chatUrl(endpoint);
  const bigPrompt = await measureMemory(() => large.bigPrompt({ url, headers, model: endpoint.model, bytes: ctx.options.promptBytes }));
  const longStream = await measureMemory(() => large.longStream({ url, headers, model: endpoint.model, chunks: ctx.options.longChunks }));
  record({ sent: 2, answered: 2, ok: [bigPrompt, longStream].filter((r) => r.status === 200).length });
  return {
    target: endpoint.target,
    bigPrompt: { bytes: ctx.options.promptBytes, ...bigPrompt },
    longStream: { requestedChunks: ctx.options.longChunks, ...longStream },
  };
}

module.exports = { runLoadScenario, runPaced, runTtft, runStreams, runLarge, withCpu, chatUrl, PROMPT };
