// Size probes: one chat request with a very large prompt, and one stream with a very large number of
// chunks. Each answers "did the whole thing make it through, and how long did it take".
'use strict';

const { performance } = require('node:perf_hooks');
const { Pool } = require('undici');
const { splitUrl, jsonHeaders, errorLabel } = require('./request-parts');
const { SseReader } = require('./sse-reader');

const MIB = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 120_000;
/** Enough of an error body to say what went wrong, without holding a large one. */
const ERROR_EXCERPT_BYTES = 300;

async function errorExcerpt(body) {
  let text = '';
  for await (const part of body) {
    if (text.length < ERROR_EXCERPT_BYTES) text += part.toString('utf8');
  }
  return text.slice(0, ERROR_EXCERPT_BYTES);
}

/** Sends one request on a fresh single-connection pool and hands the response to `read`. */
async function once(url, { headers, body, timeoutMs }, read) {
  const { origin, path } = splitUrl(url);
  const pool = new Pool(origin, { connections: 1 });
  const startedAt = performance.now();
  try {
    const res = await pool.request({ path, method: 'POST', headers: jsonHeaders(headers), body, signal: AbortSignal.timeout(timeoutMs) });
    return await read(res, startedAt);
  } catch (err) {
    return { status: 0, ms: performance.now() - startedAt, error: errorLabel(err) };
  } finally {
    await pool.destroy();
  }
}

/**
 * A chat request whose user message is `bytes` ASCII characters (so the JSON body is a little larger).
 * ok when the answer is a 200 carrying a chat.completion with string content. ms runs from sending the
 * request to the last byte of the answer.
 */
async function bigPrompt({ url, headers, model, bytes = MIB, timeoutMs = DEFAULT_TIMEOUT_MS }) {
  // Varied text, not one repeated byte, so nothing on the path can compress it to almost nothing.
  const sentence = 'The quick brown fox jumps over the lazy dog while the benchmark measures the gateway. ';
  const content = sentence.repeat(Math.ceil(bytes / sentence.length)).slice(0, bytes);
  const body = JSON.stringify({ model, messages: [{ role: 'user', content }] });
  const result = await once(url, { headers, body, timeoutMs }, async (res, startedAt) => {
    const parts = [];
    for await (const part of res.body) parts.push(part);
    const ms = performance.now() - startedAt;
    const text = Buffer.concat(parts).toString('utf8');
    if (res.statusCode !== 200) return { status: res.statusCode, ms, ok: false, error: text.slice(0, ERROR_EXCERPT_BYTES) };
    let completion;
    try {
      completion = JSON.parse(text);
    } catch {
      return { status: res.statusCode, ms, ok: false, error: 'answer is not JSON' };
    }
    const ok = completion?.object === 'chat.completion' && typeof completion.choices?.[0]?.message?.content === 'string';
    return ok ? { status: 200, ms, ok } : { status: 200, ms, ok, error: 'answer is not a chat.completion' };
  });
  return { ok: false, ...result };
}

/**
 * Asks for a stream of `chunks` content chunks, both with the body field `bench_chunks` and the header
 * `x-bench-chunks` (bench/fake-upstream.js honours either; a gateway may forward only one). Reads the
 * stream as it arrives. complete when [DONE] came, no error event did, and exactly `chunks` content
 * deltas were counted.
 */
async function longStream({ url, headers, model, chunks, timeoutMs = DEFAULT_TIMEOUT_MS }) {
  if (!(Number.isInteger(chunks) && chunks >= 1)) throw new RangeError('chunks must be a positive integer');
  const body = JSON.stringify({
    model,
    messages: [{ role: 'user', content: `Send ${chunks} chunks.` }],
    stream: true,
    bench_chunks: chunks,
  });
  const result = await once(url, { headers: { ...headers, 'x-bench-chunks': String(chunks) }, body, timeoutMs }, async (res, startedAt) => {
    if (res.statusCode !== 200) {
      const error = await errorExcerpt(res.body);
      return { status: res.statusCode, chunks: 0, ms: performance.now() - startedAt, error };
    }
    const reader = new SseReader();
    for await (const part of res.body) reader.push(part);
    reader.end();
    const complete = reader.done && reader.error === null && reader.contentChunks === chunks;
    const summary = { status: 200, chunks: reader.contentChunks, ms: performance.now() - startedAt, complete };
    return reader.error ? { ...summary, error: reader.error } : summary;
  });
  return { chunks: 0, complete: false, ...result };
}

module.exports = { bigPrompt, longStream };
