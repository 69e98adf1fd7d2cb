// Drives one scenario: a single correctness check, then autocannon under fixed concurrency.
'use strict';

const autocannon = require('autocannon');
const { summarizeLatencies } = require('./report');

const PROMPT = [{ role: 'user', content: 'Say hello to the benchmark.' }];

function requestBody(kind) {
  const body = { model: 'bench-model', messages: PROMPT };
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
async function preflight({ url, kind, apiKey, expectedContent }) {
  let res;
  let text;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: requestHeaders(apiKey),
      body: requestBody(kind),
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

function autocannonOptions({ url, kind, apiKey, connections, durationS }) {
  return {
    url,
    method: 'POST',
    headers: requestHeaders(apiKey),
    body: requestBody(kind),
    connections,
    duration: durationS,
    pipelining: 1,
    timeout: 10,
    verifyBody: bodyLooksRight(kind),
  };
}

async function warmUp(target, durationS) {
  if (durationS > 0) await autocannon(autocannonOptions({ ...target, durationS }));
}

/**
 * autocannon's own histogram only resolves whole milliseconds, too coarse for sub-millisecond
 * overhead, so latencies are collected from its per-response events at full precision instead.
 */
async function measure(target) {
  const latencies = [];
  const instance = autocannon(autocannonOptions(target));
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
  });
  const result = await instance;
  const ok = result['2xx'];
  return {
    requests: ok,
    rps: result.duration > 0 ? ok / result.duration : 0,
    actualDurationS: result.duration,
    latency: summarizeLatencies(latencies),
    errors: { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, mismatches: result.mismatches },
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
  };
}

module.exports = { preflight, warmUp, measure, streamedContent };
