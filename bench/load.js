// Drives one scenario: a single correctness check, then autocannon under fixed concurrency.
'use strict';

const { performance } = require('node:perf_hooks');
const autocannon = require('autocannon');
const { summarizeLatencies } = require('./report');

const PROMPT = [{ role: 'user', content: 'Say hello to the benchmark.' }];

function requestBody(kind, model = 'bench-model') {
  const body = { model, messages: PROMPT };
  if (kind === 'stream') body.stream = true;
  return JSON.stringify(body);
}

function requestHeaders(apiKey) {
  const headers = { 'content-type': 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return headers;
}

/** Cheap per-response check run inside the load loop: catches a 200 that carries the wrong thing. */
function bodyLooksRight(kind) {
  return kind === 'stream' ? (body) => body.includes('data: [DONE]') : (body) => body.includes('"choices"');
}

function streamedContent(text) {
  let content = '';
  for (const line of text.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]' || data === '') continue;
    content += JSON.parse(data).choices?.[0]?.delta?.content ?? '';
  }
  return content;
}

/**
 * One full request, checked strictly (content must equal what the fake upstream sends), so a
 * misconfigured gateway fails in a second with its own error message instead of after a run of 401s.
 * @returns {Promise<string|null>} the problem, or null when the answer is right
 */
async function preflight({ url, kind, apiKey, model, expectedContent }) {
  let res;
  let text;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: requestHeaders(apiKey),
      body: requestBody(kind, model),
      signal: AbortSignal.timeout(15_000),
    });
    text = await res.text();
  } catch (err) {
    return `preflight request failed: ${err.cause?.code ?? err.message}`;
  }
  if (res.status !== 200) return `preflight got HTTP ${res.status}: ${text.slice(0, 300)}`;
  try {
    const content = kind === 'stream' ? streamedContent(text) : JSON.parse(text).choices?.[0]?.message?.content;
    if (content !== expectedContent) return `preflight got unexpected content: ${JSON.stringify(content).slice(0, 200)}`;
  } catch (err) {
    return `preflight could not parse the ${kind} answer (${err.message}): ${text.slice(0, 200)}`;
  }
  return null;
}

/**
 * A run is timed (durationS) or, when `amount` is set, a fixed number of requests: autocannon's clock
 * ticks in whole seconds, so a sub-second smoke run is only possible by count.
 */
function autocannonOptions({ url, kind, apiKey, model, connections, durationS, amount }) {
  return {
    ...(amount ? { amount } : { duration: durationS }),
    url,
    method: 'POST',
    headers: requestHeaders(apiKey),
    body: requestBody(kind, model),
    connections,
    pipelining: 1,
    timeout: 10,
    verifyBody: bodyLooksRight(kind),
  };
}

/** Requests written and answers read (any status): the full pipeline's row count is checked against them. */
function requestCounts(result) {
  return { sent: result.requests.sent, answered: result['2xx'] + result.non2xx, ok: result['2xx'] };
}

async function warmUp(target, durationS) {
  if (!(durationS > 0)) return { sent: 0, answered: 0, ok: 0 };
  return requestCounts(await autocannon(autocannonOptions({ ...target, durationS, amount: undefined })));
}

/**
 * autocannon's own histogram only resolves whole milliseconds, too coarse for sub-millisecond
 * overhead, so latencies are collected from its per-response events at full precision instead.
 */
async function measure(target) {
  const latencies = [];
  const started = performance.now();
  let lastResponseAt = started;
  const instance = autocannon(autocannonOptions(target));
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    lastResponseAt = performance.now();
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
  });
  const result = await instance;
  // Up to the last answer on our own clock: autocannon ends runs on a whole-second tick, which would make a
  // run of a fixed request count look as slow as the next full second.
  const elapsedS = ((target.amount ? lastResponseAt : performance.now()) - started) / 1000;
  const ok = result['2xx'];
  return {
    requests: ok,
    rps: elapsedS > 0 ? ok / elapsedS : 0,
    actualDurationS: elapsedS,
    latency: summarizeLatencies(latencies),
    errors: { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, mismatches: result.mismatches },
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
    counts: requestCounts(result),
  };
}

module.exports = { preflight, warmUp, measure, streamedContent, requestBody, requestHeaders };
