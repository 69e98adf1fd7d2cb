// Streaming probes: many SSE streams opened at once (do they all finish, and does any stall?), and
// one stream at a time (time to first token without any queueing).
'use strict';

const { performance } = require('node:perf_hooks');
const { Pool } = require('undici');
const { summarize } = require('./percentiles');
const { splitUrl, jsonHeaders, encodeBody, errorLabel } = require('./request-parts');
const { SseReader } = require('./sse-reader');

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_STALL_MS = 5_000;

function streamRequest({ url, headers, body }) {
  const { origin, path } = splitUrl(url);
  return { origin, request: { path, method: 'POST', headers: jsonHeaders(headers), body: encodeBody(body, { stream: true }) } };
}

/**
 * Reads one stream to its end. Outcome 'stalled' when stallMs pass without a byte (headers included)
 * before [DONE]; 'failed' for a non-200, a socket error, an error event, a stream ending without
 * [DONE], or timeoutMs passing in total. Times are from the moment the request was sent.
 */
async function readOneStream(pool, request, { timeoutMs, stallMs }) {
  const startedAt = performance.now();
  const controller = new AbortController();
  let abortedFor = null;
  const abort = (reason) => {
    abortedFor ??= reason;
    controller.abort();
  };
  const stallTimer = setTimeout(abort, stallMs, 'stalled');
  const deadline = setTimeout(abort, timeoutMs, 'timeout');
  const reader = new SseReader();
  const outcome = (kind, label) => ({
    kind,
    label,
    chunks: reader.contentChunks,
    ttftMs: reader.firstContentAt === null ? null : reader.firstContentAt - startedAt,
    longestGapMs: reader.longestGapMs,
    totalMs: performance.now() - startedAt,
  });
  try {
    const res = await pool.request({ ...request, signal: controller.signal });
    stallTimer.refresh();
    if (res.statusCode !== 200) {
      await res.body.dump();
      return outcome('failed', String(res.statusCode));
    }
    let doneAt = null;
    for await (const part of res.body) {
      stallTimer.refresh();
      reader.push(part);
      if (reader.done && doneAt === null) {
        doneAt = performance.now();
        clearTimeout(stallTimer);
      }
    }
    reader.end();
    if (reader.error) return outcome('failed', 'error-event');
    if (!reader.done) return outcome('failed', 'incomplete-stream');
    return { ...outcome('completed', '200'), totalMs: doneAt - startedAt };
  } catch (err) {
    if (abortedFor === 'stalled') return outcome('stalled', 'stalled');
    return outcome('failed', abortedFor ?? errorLabel(err));
  } finally {
    clearTimeout(stallTimer);
    clearTimeout(deadline);
  }
}

/**
 * Opens `concurrency` streams at the same moment, one connection each. Percentiles cover completed
 * streams; `chunks` counts content deltas over all streams; `failures` names what failed streams met.
 * An object body gets `stream: true`; a string body is sent as it is.
 */
async function probeStreams({ url, headers, body, concurrency, timeoutMs = DEFAULT_TIMEOUT_MS, stallMs = DEFAULT_STALL_MS }) {
  if (!(concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
  const { origin, request } = streamRequest({ url, headers, body });
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  try {
    const outcomes = await Promise.all(Array.from({ length: concurrency }, () => readOneStream(pool, request, { timeoutMs, stallMs })));
    const done = outcomes.filter((o) => o.kind === 'completed');
    const failures = {};
    for (const o of outcomes) if (o.kind === 'failed') failures[o.label] = (failures[o.label] ?? 0) + 1;
    return {
      completed: done.length,
      stalled: outcomes.filter((o) => o.kind === 'stalled').length,
      failed: outcomes.filter((o) => o.kind === 'failed').length,
      ttftMs: summarize(done.filter((o) => o.ttftMs !== null).map((o) => o.ttftMs), [50, 99]),
      totalMs: summarize(done.map((o) => o.totalMs), [50, 99]),
      chunks: outcomes.reduce((sum, o) => sum + o.chunks, 0),
      failures,
    };
  } finally {
    await pool.destroy();
  }
}

/**
 * `count` streams one after another over one keep-alive connection, after `warmup` unmeasured ones
 * (default 1) so the first sample does not include connecting. Any stream that does not complete
 * throws: a serial latency figure with failures in it would mean nothing.
 */
async function serialTtft({ url, headers, body, count, timeoutMs = DEFAULT_TIMEOUT_MS, warmup = 1 }) {
  if (!(count >= 1)) throw new RangeError('count must be at least 1');
  const { origin, request } = streamRequest({ url, headers, body });
  const pool = new Pool(origin, { connections: 1, pipelining: 1 });
  const ttfts = [];
  const totals = [];
  const gaps = [];
  try {
    for (let i = 0; i < warmup + count; i++) {
      const o = await readOneStream(pool, request, { timeoutMs, stallMs: timeoutMs });
      if (o.kind !== 'completed') throw new Error(`serialTtft: stream ${i + 1} ${o.kind} (${o.label}) after ${Math.round(o.totalMs)} ms`);
      if (i < warmup) continue;
      if (o.ttftMs !== null) ttfts.push(o.ttftMs);
      totals.push(o.totalMs);
      gaps.push(o.longestGapMs);
    }
  } finally {
    await pool.destroy();
  }
  return { ttftMs: summarize(ttfts, [50, 90, 99]), totalMs: summarize(totals, [50, 90, 99]), longestGapMs: summarize(gaps, [50, 90, 99]) };
}

module.exports = { probeStreams, serialTtft };
