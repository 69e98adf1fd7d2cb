#!/usr/bin/env node
// A deliberately cheap OpenAI-compatible upstream for benchmarks: every response body is built once at
// start-up, so the time measured "direct" is almost all HTTP + load-generator cost and the difference
// "through the gateway" is the gateway's own.
'use strict';

const http = require('node:http');

const CREATED = 1700000000;
const MODEL = 'bench-model';
const PROMPT_TOKENS = 12;
const WORDS = ['Hello', 'from', 'the', 'fake', 'upstream,', 'a', 'fixed', 'reply', 'for', 'benchmarks.'];

/** The content pieces one stream sends; joined they are exactly the non-streaming content. */
function contentPieces(chunks) {
  const count = Math.max(1, chunks);
  return Array.from({ length: count }, (_, i) => (i === 0 ? '' : ' ') + WORDS[i % WORDS.length]);
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

/** OpenAI's framing: a role-only first chunk, one chunk per content piece, a finish chunk, then usage. */
function buildStreamEvents(pieces) {
  const events = [chunkEvent({ role: 'assistant', content: '', refusal: null }, null)];
  for (const piece of pieces) events.push(chunkEvent({ content: piece }, null));
  events.push(chunkEvent({}, 'stop'));
  const usage = sseEvent({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    system_fingerprint: 'fp_bench',
    choices: [],
    usage: usageFor(pieces.length),
  });
  return { events, usage, done: Buffer.from('data: [DONE]\n\n') };
}

function errorBody(message, type, code) {
  return Buffer.from(JSON.stringify({ error: { message, type, param: null, code } }));
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
  };
}

/**
 * Reads only what decides the response shape. A body without the word "stream" cannot ask for
 * streaming, so the common case skips JSON.parse entirely.
 */
function readStreamFlags(body) {
  if (!body.includes('"stream"')) return { stream: false, includeUsage: false };
  const parsed = JSON.parse(body.toString('utf8'));
  return {
    stream: parsed.stream === true,
    includeUsage: parsed.stream === true && parsed.stream_options?.include_usage === true,
  };
}

function sendBuffer(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

function sendStream(res, stream, includeUsage, chunkIntervalMs) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const tail = includeUsage ? [stream.usage, stream.done] : [stream.done];
  const events = stream.events.concat(tail);
  if (chunkIntervalMs <= 0) {
    for (const event of events) res.write(event);
    res.end();
    return;
  }
  let next = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write(events[next++]);
    if (next === events.length) {
      clearInterval(timer);
      res.end();
    }
  }, chunkIntervalMs);
}

function isChatPath(url) {
  return url === '/v1/chat/completions' || url === '/chat/completions';
}

function isModelsPath(url) {
  return url === '/v1/models' || url === '/models';
}

/**
 * @param {{ port?: number, host?: string, latencyMs?: number, chunks?: number, chunkIntervalMs?: number }} [options]
 */
function startFakeUpstream(options = {}) {
  const { port = 0, host = '127.0.0.1', latencyMs = 0, chunks = 20, chunkIntervalMs = 0 } = options;
  const responses = buildResponses(chunks);
  const counters = { chatRequests: 0 };

  const respond = (req, res, body) => {
    const url = req.url.split('?', 1)[0];
    if (req.method === 'POST' && isChatPath(url)) {
      let flags;
      try {
        flags = readStreamFlags(body);
      } catch {
        return sendBuffer(res, 400, responses.badJson);
      }
      counters.chatRequests++;
      if (flags.stream) return sendStream(res, responses.stream, flags.includeUsage, chunkIntervalMs);
      return sendBuffer(res, 200, responses.completion);
    }
    if (req.method === 'GET' && isModelsPath(url)) return sendBuffer(res, 200, responses.models);
    // Lets the harness check that a gateway really forwarded every request it answered.
    if (req.method === 'GET' && url === '/bench/stats') {
      return sendBuffer(res, 200, Buffer.from(JSON.stringify(counters)));
    }
    return sendBuffer(res, 404, responses.notFound);
  };

  const server = http.createServer((req, res) => {
    const parts = [];
    req.on('data', (part) => parts.push(part));
    req.on('end', () => {
      const body = parts.length === 1 ? parts[0] : Buffer.concat(parts);
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
