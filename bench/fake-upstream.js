#!/usr/bin/env node
// A deliberately cheap OpenAI-compatible upstream for benchmarks: every response body is built once at
// start-up, so the time measured "direct" is almost all HTTP + load-generator cost and the difference
// "through the gateway" is the gateway's own. A request may ask for another chunk count (header
// `x-bench-chunks` or body field `bench_chunks`); such streams are generated as they are sent, so even a
// million chunks never sit in memory at once.
'use strict';

const http = require('node:http');

const CREATED = 1700000000;
const MODEL = 'bench-model';
const PROMPT_TOKENS = 12;
const WORDS = ['Hello', 'from', 'the', 'fake', 'upstream,', 'a', 'fixed', 'reply', 'for', 'benchmarks.'];
/** Upper bound for a per-request chunk count: about 230 MB of SSE, far beyond any real answer. */
const MAX_CHUNKS = 1_000_000;
/** Request bodies above this are refused; large-prompt benchmarks send a few MiB. */
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Generated streams are written in batches of about this size, not one write per tiny event. */
const WRITE_BATCH_BYTES = 16 * 1024;

function pieceAt(index) {
  return (index === 0 ? '' : ' ') + WORDS[index % WORDS.length];
}

/** The content pieces one stream sends; joined they are exactly the non-streaming content. */
function contentPieces(chunks) {
  return Array.from({ length: Math.max(1, chunks) }, (_, i) => pieceAt(i));
}

function usageFor(completionTokens) {
  return { prompt_tokens: PROMPT_TOKENS, completion_tokens: completionTokens, total_tokens: PROMPT_TOKENS + completionTokens };
}

function buildCompletion(content, completionTokens) {
  return {
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: CREATED,
    model: MODEL,
    choices: [
      { index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' },
    ],
    usage: usageFor(completionTokens),
    system_fingerprint: 'fp_bench',
  };
}

function sseEvent(payload) {
  return Buffer.from(`data: ${JSON.stringify(payload)}\n\n`);
}

function chunkEvent(delta, finishReason) {
  return sseEvent({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    system_fingerprint: 'fp_bench',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
}

function usageEvent(completionTokens) {
  return sseEvent({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    system_fingerprint: 'fp_bench',
    choices: [],
    usage: usageFor(completionTokens),
  });
}

/** OpenAI's framing: a role-only first chunk, one chunk per content piece, a finish chunk, then usage. */
function buildStreamEvents(pieces) {
  const events = [chunkEvent({ role: 'assistant', content: '', refusal: null }, null)];
  for (const piece of pieces) events.push(chunkEvent({ content: piece }, null));
  events.push(chunkEvent({}, 'stop'));
  return { events, usage: usageEvent(pieces.length), done: Buffer.from('data: [DONE]\n\n') };
}

/**
 * Every event a generated stream can contain, built once: the content pieces repeat with period
 * WORDS.length, so a stream of any length is a sequence of these shared buffers.
 */
function buildEventParts() {
  return {
    role: chunkEvent({ role: 'assistant', content: '', refusal: null }, null),
    firstPiece: chunkEvent({ content: pieceAt(0) }, null),
    pieces: WORDS.map((_, i) => chunkEvent({ content: pieceAt(i + WORDS.length) }, null)),
    finish: chunkEvent({}, 'stop'),
    done: Buffer.from('data: [DONE]\n\n'),
  };
}

/** The same events buildStreamEvents would hold for `chunks` pieces, produced one at a time. */
function* generateStreamEvents(parts, chunks, includeUsage) {
  yield parts.role;
  yield parts.firstPiece;
  for (let i = 1; i < chunks; i++) yield parts.pieces[i % WORDS.length];
  yield parts.finish;
  if (includeUsage) yield usageEvent(chunks);
  yield parts.done;
}

function errorBody(message, type, code, param = null) {
  return Buffer.from(JSON.stringify({ error: { message, type, param, code } }));
}

function buildResponses(chunks) {
  const pieces = contentPieces(chunks);
  const content = pieces.join('');
  return {
    content,
    completion: Buffer.from(JSON.stringify(buildCompletion(content, pieces.length))),
    models: Buffer.from(
      JSON.stringify({ object: 'list', data: [{ id: MODEL, object: 'model', created: CREATED, owned_by: 'bench' }] }),
    ),
    stream: buildStreamEvents(pieces),
    notFound: errorBody('Unknown route on the fake upstream.', 'invalid_request_error', 'not_found'),
    badJson: errorBody('Request body is not valid JSON.', 'invalid_request_error', null),
    badChunks: errorBody(
      `bench_chunks / x-bench-chunks must be an integer from 1 to ${MAX_CHUNKS}.`,
      'invalid_request_error',
      'invalid_value',
      'bench_chunks',
    ),
    tooLarge: errorBody('Request body is larger than the fake upstream accepts.', 'invalid_request_error', 'request_too_large'),
    parts: buildEventParts(),
  };
}

/** A usable chunk count, NaN for anything else (the body field must be a JSON integer). */
function validChunks(count) {
  return Number.isInteger(count) && count >= 1 && count <= MAX_CHUNKS ? count : Number.NaN;
}

function headerChunks(value) {
  if (value === undefined) return undefined;
  return validChunks(/^\d+$/.test(value) ? Number(value) : Number.NaN);
}

/**
 * Reads only what decides the response shape. A body mentioning neither "stream" nor "bench_chunks"
 * cannot ask for anything special, so the common case skips JSON.parse entirely. The body field wins
 * over the header: it is the one a gateway forwards.
 * @returns {{ stream: boolean, includeUsage: boolean, chunks: number | undefined }} chunks NaN when invalid
 */
function readRequestShape(body, headers) {
  const fromHeader = headerChunks(headers['x-bench-chunks']);
  if (!body.includes('"stream"') && !body.includes('"bench_chunks"')) {
    return { stream: false, includeUsage: false, chunks: fromHeader };
  }
  const parsed = JSON.parse(body.toString('utf8'));
  return {
    stream: parsed.stream === true,
    includeUsage: parsed.stream === true && parsed.stream_options?.include_usage === true,
    chunks: parsed.bench_chunks === undefined ? fromHeader : validChunks(parsed.bench_chunks),
  };
}

function sendBuffer(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

/** One event per tick, so clients see chunks arrive spaced out as from a real model. */
function sendPaced(res, events, chunkIntervalMs) {
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    const next = events.next();
    if (next.done) {
      clearInterval(timer);
      res.end();
    } else {
      res.write(next.value);
    }
  }, chunkIntervalMs);
}

/** Writes as fast as the client reads: batches events and waits for 'drain' when the socket is full. */
function pumpEvents(res, events) {
  const pump = () => {
    let batch = [];
    let size = 0;
    for (let next = events.next(); !next.done; next = events.next()) {
      batch.push(next.value);
      size += next.value.length;
      if (size < WRITE_BATCH_BYTES) continue;
      if (res.destroyed) return;
      const flushed = res.write(Buffer.concat(batch, size));
      batch = [];
      size = 0;
      if (!flushed) return void res.once('drain', pump);
    }
    if (res.destroyed) return;
    if (size > 0) res.write(Buffer.concat(batch, size));
    res.end();
  };
  pump();
}

function sendStream(res, responses, shape, chunkIntervalMs) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  if (shape.chunks !== undefined) {
    const events = generateStreamEvents(responses.parts, shape.chunks, shape.includeUsage);
    return chunkIntervalMs > 0 ? sendPaced(res, events, chunkIntervalMs) : pumpEvents(res, events);
  }
  const { stream } = responses;
  const tail = shape.includeUsage ? [stream.usage, stream.done] : [stream.done];
  const events = stream.events.concat(tail);
  if (chunkIntervalMs > 0) return sendPaced(res, events.values(), chunkIntervalMs);
  for (const event of events) res.write(event);
  res.end();
}

function completionFor(chunks) {
  const content = contentPieces(chunks).join('');
  return Buffer.from(JSON.stringify(buildCompletion(content, chunks)));
}

function isChatPath(url) {
  return url === '/v1/chat/completions' || url === '/chat/completions';
}

function isModelsPath(url) {
  return url === '/v1/models' || url === '/models';
}

/**
 * @param {{ port?: number, host?: string, latencyMs?: number, chunks?: number, chunkIntervalMs?: number,
 *   maxBodyBytes?: number }} [options]
 */
function startFakeUpstream(options = {}) {
  const {
    port = 0,
    host = '127.0.0.1',
    latencyMs = 0,
    chunks = 20,
    chunkIntervalMs = 0,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
  } = options;
  const responses = buildResponses(chunks);
  const counters = { chatRequests: 0 };

  const respond = (req, res, body) => {
    const url = req.url.split('?', 1)[0];
    if (req.method === 'POST' && isChatPath(url)) {
      if (body === null) return sendBuffer(res, 413, responses.tooLarge);
      let shape;
      try {
        shape = readRequestShape(body, req.headers);
      } catch {
        return sendBuffer(res, 400, responses.badJson);
      }
      if (Number.isNaN(shape.chunks)) return sendBuffer(res, 400, responses.badChunks);
      // The configured count keeps the precomputed fast path.
      if (shape.chunks === Math.max(1, chunks)) shape.chunks = undefined;
      counters.chatRequests++;
      if (shape.stream) return sendStream(res, responses, shape, chunkIntervalMs);
      return sendBuffer(res, 200, shape.chunks === undefined ? responses.completion : completionFor(shape.chunks));
    }
    if (req.method === 'GET' && isModelsPath(url)) return sendBuffer(res, 200, responses.models);
    // Lets the harness check that a gateway really forwarded every request it answered.
    if (req.method === 'GET' && url === '/bench/stats') {
      return sendBuffer(res, 200, Buffer.from(JSON.stringify(counters)));
    }
    return sendBuffer(res, 404, responses.notFound);
  };

  const server = http.createServer((req, res) => {
    let parts = [];
    let received = 0;
    req.on('data', (part) => {
      received += part.length;
      // Past the limit the rest is read and dropped, so the 413 still reaches the client.
      if (received > maxBodyBytes) parts = null;
      else parts?.push(part);
    });
    req.on('end', () => {
      const body = parts === null ? null : parts.length === 1 ? parts[0] : Buffer.concat(parts, received);
      if (latencyMs > 0) setTimeout(respond, latencyMs, req, res, body);
      else respond(req, res, body);
    });
  });
  // Load generators and gateways keep connections open between runs; Node's 5 s default would
  // close idle sockets mid-benchmark and add reconnects to the measurement.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actualPort = server.address().port;
      resolve({
        url: `http://${host}:${actualPort}`,
        port: actualPort,
        content: responses.content,
        stats: () => ({ ...counters }),
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function parseCliOptions(argv, env) {
  const options = {
    port: Number(env.FAKE_UPSTREAM_PORT ?? 9000),
    host: env.FAKE_UPSTREAM_HOST ?? '127.0.0.1',
    latencyMs: Number(env.FAKE_UPSTREAM_LATENCY_MS ?? 0),
    chunks: Number(env.FAKE_UPSTREAM_CHUNKS ?? 20),
    chunkIntervalMs: Number(env.FAKE_UPSTREAM_CHUNK_INTERVAL_MS ?? 0),
  };
  const flags = { '--port': 'port', '--host': 'host', '--latency': 'latencyMs', '--chunks': 'chunks', '--chunk-interval': 'chunkIntervalMs' };
  for (let i = 0; i < argv.length; i++) {
    const key = flags[argv[i]];
    if (!key) throw new Error(`unknown option ${argv[i]} (known: ${Object.keys(flags).join(', ')})`);
    const value = argv[++i];
    options[key] = key === 'host' ? value : Number(value);
    if (key !== 'host' && !Number.isFinite(options[key])) throw new Error(`${argv[i - 1]} needs a number`);
  }
  return options;
}

if (require.main === module) {
  const options = parseCliOptions(process.argv.slice(2), process.env);
  startFakeUpstream(options).then(
    (upstream) => {
      // bench/run.js reads this exact line to learn the port when it asked for port 0.
      process.stdout.write(`fake upstream listening at ${upstream.url} (latency ${options.latencyMs} ms, ${options.chunks} chunks)\n`);
      const stop = () => upstream.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (err) => {
      process.stderr.write(`fake upstream failed to start: ${err.message}\n`);
      process.exit(1);
    },
  );
}

module.exports = { startFakeUpstream, contentPieces };
