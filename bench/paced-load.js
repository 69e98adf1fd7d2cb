// Open-loop load at a fixed arrival rate: request i starts at t0 + i / rate whether or not earlier ones
// have finished, the way independent users arrive. A closed loop (N connections, each waiting for its
// answer) slows down with the server and so hides its queueing; this one does not.
'use strict';

const { performance } = require('node:perf_hooks');
const { Pool } = require('undici');
const { summarize } = require('./percentiles');
const { splitUrl, jsonHeaders, encodeBody, errorLabel } = require('./request-parts');
const { SseReader } = require('./sse-reader');

const DEFAULT_MAX_IN_FLIGHT = 2000;
const DEFAULT_TIMEOUT_MS = 30_000;

/** Reads a JSON answer and checks it is a chat completion, not an error that came with a 2xx. */
async function readCompletion(body) {
  const parts = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts).includes('"choices"');
}

async function readStream(body) {
  const reader = new SseReader();
  for await (const part of body) reader.push(part);
  reader.end();
  return reader;
}

/**
 * Every duration is measured from the request's *scheduled* start, not from when the client got round to
 * sending it, so time a request waited inside an overloaded client counts as latency (no coordinated
 * omission). Percentiles cover completed requests only. `statusCounts` counts every scheduled request once:
 * by HTTP status when an answer arrived whole, else by what went wrong ('not-started' when maxInFlight
 * requests were already open, 'timeout', 'incomplete-stream', 'bad-body', or a socket error code).
 *
 * With `warmupS`, the same schedule first runs that many seconds unmeasured, on the same connections: a run's
 * first few hundred milliseconds (connections opening, code not yet optimised on either side) otherwise land in
 * its p99. Warm-up requests are tallied apart in `warmup`, so a caller can still count every request it sent.
 *
 * @param {{ url: string, headers?: Record<string, string>, body: string | object, ratePerSecond: number,
 *   durationS: number, warmupS?: number, stream?: boolean, maxInFlight?: number, timeoutMs?: number }} options
 *   An object body gets `stream` set to the `stream` option; a string body is sent as it is.
 */
async function pacedLoad(options) {
  const { url, headers, body, ratePerSecond, durationS, warmupS = 0, stream = false } = options;
  const { maxInFlight = DEFAULT_MAX_IN_FLIGHT, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  if (!(ratePerSecond > 0) || !(durationS > 0)) throw new RangeError('ratePerSecond and durationS must be positive');
  if (!(warmupS >= 0)) throw new RangeError('warmupS must be 0 or more');

  const { origin, path } = splitUrl(url);
  const request = { path, method: 'POST', headers: jsonHeaders(headers), body: encodeBody(body, { stream }) };
  // One keep-alive connection per request that may be open at once; undici opens them only as needed.
  const pool = new Pool(origin, { connections: maxInFlight, pipelining: 1, keepAliveTimeout: 60_000 });

  const warmupCount = Math.round(ratePerSecond * warmupS);
  const measuredCount = Math.round(ratePerSecond * durationS);
  const total = warmupCount + measuredCount;
  const intervalMs = 1000 / ratePerSecond;
  const warmup = { sent: 0, completed: 0, statusCounts: {} };
  const measured = { sent: 0, completed: 0, statusCounts: {} };
  const latencies = [];
  const ttfts = [];
  let inFlight = 0;
  let maxStartLagMs = 0;
  const count = (tally, label) => (tally.statusCounts[label] = (tally.statusCounts[label] ?? 0) + 1);
  // Resolved when the last open request finishes after the schedule ended. A soak run sends millions of
  // requests, so their promises are not kept in a list.
  let scheduleEnded = false;
  let allSettled;
  const settled = new Promise((resolve) => (allSettled = resolve));

  const send = async (scheduledAt, tally) => {
    const isMeasured = tally === measured;
    inFlight++;
    tally.sent++;
    try {
      const res = await pool.request({ ...request, signal: AbortSignal.timeout(timeoutMs) });
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump();
        return count(tally, String(res.statusCode));
      }
      if (stream) {
        const reader = await readStream(res.body);
        if (!reader.done || reader.error) return count(tally, 'incomplete-stream');
        if (reader.firstContentAt !== null && isMeasured) ttfts.push(reader.firstContentAt - scheduledAt);
      } else if (!(await readCompletion(res.body))) {
        return count(tally, 'bad-body');
      }
      if (isMeasured) latencies.push(performance.now() - scheduledAt);
      tally.completed++;
      count(tally, String(res.statusCode));
    } catch (err) {
      count(tally, errorLabel(err));
    } finally {
      inFlight--;
      if (scheduleEnded && inFlight === 0) allSettled();
    }
  };

  const t0 = performance.now();
  await new Promise((resolve) => {
    let next = 0;
    // Each wake-up starts every request whose time has come, so a late timer or a blocked event loop
    // delays requests but never drops them from the schedule.
    const tick = () => {
      const now = performance.now();
      for (; next < total && t0 + next * intervalMs <= now; next++) {
        const scheduledAt = t0 + next * intervalMs;
        const tally = next < warmupCount ? warmup : measured;
        if (tally === measured) maxStartLagMs = Math.max(maxStartLagMs, now - scheduledAt);
        if (inFlight >= maxInFlight) count(tally, 'not-started');
        else send(scheduledAt, tally);
      }
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, t0 + next * intervalMs - performance.now()));
    };
    tick();
  });
  scheduleEnded = true;
  if (inFlight > 0) await settled;
  await pool.destroy();

  const result = {
    sent: measured.sent,
    completed: measured.completed,
    errors: measuredCount - measured.completed,
    statusCounts: measured.statusCounts,
    latencyMs: summarize(latencies, [50, 90, 99], { max: true }),
    maxStartLagMs,
  };
  if (stream) result.ttftMs = summarize(ttfts, [50, 90, 99]);
  if (warmupCount > 0) result.warmup = warmup;
  return result;
}

module.exports = { pacedLoad };
