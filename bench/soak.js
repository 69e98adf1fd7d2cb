// The soak: the full pipeline under a steady paced load for minutes, with the gateway's memory sampled
// every few seconds, then the request-log rows written for the soak's key counted against the requests
// sent. Shows slow leaks and lost spend events that a 10-second run cannot.
'use strict';

const { requestHeaders } = require('./load');
const { RssSampler } = require('./rss-sampler');
const { waitForRows } = require('./pipeline');
const { chatUrl, PROMPT } = require('./phases');
const paced = require('./paced-load');

const WARMUP_MAX_MS = 60_000;

/** The first minute is warm-up (caches, JIT, pools filling); a short soak uses its first fifth instead. */
function warmupMs(totalMs) {
  return Math.min(WARMUP_MAX_MS, totalMs * 0.2);
}

/**
 * Memory after warm-up and at the end, from samples taken during the load.
 * @param {Array<{ atMs: number, rssKb: number }>} samples
 */
function memoryGrowth(samples, startedAt, endedAt, warmupEndsAt) {
  const during = samples.filter((s) => s.atMs >= startedAt && s.atMs <= endedAt);
  const afterWarmup = during.find((s) => s.atMs >= warmupEndsAt) ?? null;
  const end = during.length ? during[during.length - 1] : null;
  const peak = during.reduce((max, s) => Math.max(max, s.rssKb), 0) || null;
  const growthPct = afterWarmup && end && afterWarmup.rssKb > 0 ? ((end.rssKb - afterWarmup.rssKb) / afterWarmup.rssKb) * 100 : null;
  return { rssAfterWarmupKb: afterWarmup?.rssKb ?? null, rssEndKb: end?.rssKb ?? null, rssPeakKb: peak, growthPct };
}

/**
 * @param {{ endpoint: object, minutes: number, rate: number, rowSource: object, log: (line: string) => void }} options
 */
async function runSoak({ endpoint, minutes, rate, rowSource, log }) {
  const { apiKey, keyHash } = await endpoint.open('soak');
  const totalMs = minutes * 60_000;
  const intervalMs = Math.min(5_000, Math.max(100, totalMs / 60));
  const sampler = new RssSampler(() => [endpoint.child.pid], intervalMs).start();
  const startedAt = Date.now();
  log(`soak: ${minutes} min at ${rate} req/s, memory sampled every ${(intervalMs / 1000).toFixed(1)} s`);
  let result;
  try {
    result = await paced.pacedLoad({
      url: chatUrl(endpoint),
      headers: requestHeaders(apiKey),
      body: { model: endpoint.model, messages: PROMPT },
      ratePerSecond: rate,
      durationS: totalMs / 1000,
    });
  } finally {
    sampler.stop();
  }
  const endedAt = Date.now();
  const counted = await waitForRows(rowSource, [keyHash], result.sent);
  const rows = counted.perKey[keyHash];
  return {
    minutes,
    rate,
    sent: result.sent,
    completed: result.completed,
    errors: result.errors,
    statusCounts: result.statusCounts,
    latencyMs: result.latencyMs,
    rows: rows.rows,
    rowsByStatus: rows.byStatus,
    warmupS: warmupMs(totalMs) / 1000,
    ...memoryGrowth(sampler.samples, startedAt, endedAt, startedAt + warmupMs(totalMs)),
    samples: sampler.samples.map((s) => ({ tS: Math.round((s.atMs - startedAt) / 100) / 10, rssKb: s.rssKb })),
  };
}

module.exports = { runSoak, memoryGrowth, warmupMs };
