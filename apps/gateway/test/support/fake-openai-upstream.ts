import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server speaking OpenAI's chat-completions wire format (JSON, SSE framing, error bodies; embeddings too), written
 * from OpenAI's public API reference. Tests script its behaviour per model name and inspect what it
 * received, including whether the gateway hung up on it.
 */
export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** Resolves when the gateway closed the connection before the response ended. */
  aborted: Promise<void>;
  /** When the request arrived (Date.now()), to check how long the gateway waited between attempts. */
  at: number;
}

export type Behaviour =
  /** `delayMs` holds the answer back (JSON or SSE), as a busy upstream would; a caller hanging up ends it. */
  | { kind: 'answer'; content?: string; toolCalls?: Array<{ id: string; name: string; arguments: string }>; delayMs?: number }
  | { kind: 'error'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'hang' }
  /** `headersFirst` sends the 200 and its headers at once, before the first (late) chunk. */
  | { kind: 'slow-stream'; chunkDelayMs: number; chunks: number; headersFirst?: boolean }
  | { kind: 'die-mid-stream'; chunksBeforeDeath: number }
  | { kind: 'html-error'; status: number };

export const DEFAULT_CONTENT = 'The quick brown fox jumps over the lazy dog.';

export class FakeOpenAIUpstream {
  readonly received: ReceivedRequest[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly queued = new Map<string, Behaviour[]>();
  private server: Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly inFlight = new Map<string, { now: number; peak: number }>();
  url = '';

  /** Requests for upstream `model` being answered right now, and the most ever answered at the same time. */
  concurrency(model: string): { now: number; peak: number } {
    return { ...(this.inFlight.get(model) ?? { now: 0, peak: 0 }) };
  }

  /** Behaviour for requests whose upstream `model` equals `model` (default: answer). */
  script(model: string, behaviour: Behaviour): void {
    this.behaviours.set(model, behaviour);
  }

  /**
   * One-off behaviours for the next requests for `model`, used in order, one per request; after them the
   * scripted behaviour applies again (e.g. a 500 once, then answers).
   */
  queue(model: string, ...behaviours: Behaviour[]): void {
    this.queued.set(model, [...(this.queued.get(model) ?? []), ...behaviours]);
  }

  /** The requests received so far for upstream `model`. */
  requestsFor(model: string): ReceivedRequest[] {
    return this.received.filter((request) => request.body.model === model);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return this.json(res, 400, { error: { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', param: null, code: null } });
    }
    let markAborted: () => void = () => undefined;
    const aborted = new Promise<void>((resolve) => (markAborted = resolve));
    res.on('close', () => {
      if (!res.writableFinished) markAborted();
    });
    this.received.push({ path: req.url ?? '', headers: req.headers, body, aborted, at: Date.now() });
    this.countInFlight(String(body.model), res);

    if (req.url !== '/v1/chat/completions' && req.url !== '/v1/embeddings') return this.json(res, 404, { error: { message: `Unknown path ${req.url}`, type: 'invalid_request_error', param: null, code: 'unknown_url' } });
    if (req.headers.authorization !== 'Bearer sk-upstream-secret-key') {
      return this.json(res, 401, {
        error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
      });
    }
    const behaviour = this.queued.get(String(body.model))?.shift() ?? this.behaviours.get(String(body.model)) ?? { kind: 'answer' };
    if (req.url === '/v1/embeddings') return this.embeddings(res, body, behaviour);
    switch (behaviour.kind) {
      case 'error':
        return this.json(res, behaviour.status, behaviour.body, behaviour.headers);
      case 'html-error':
        res.writeHead(behaviour.status, { 'content-type': 'text/html' });
        return void res.end('<html><body>Bad gateway</body></html>');
      case 'hang':
        return; // never answers; the gateway's timeout or the caller must end it
      case 'answer':
        if (behaviour.delayMs !== undefined && !(await this.waitUnlessClosed(res, behaviour.delayMs))) return;
        return body.stream === true ? this.stream(res, body, behaviour) : this.complete(res, body, behaviour);
      case 'slow-stream':
        return this.slowStream(res, body, behaviour);
      case 'die-mid-stream':
        return this.dieMidStream(res, body, behaviour.chunksBeforeDeath);
    }
  }

  /** Embeddings answer with one small vector per input; errors and hangs behave as for chat, streams do not apply. */
  private embeddings(res: ServerResponse, body: Record<string, unknown>, behaviour: Behaviour): void {
    if (behaviour.kind === 'error') return this.json(res, behaviour.status, behaviour.body, behaviour.headers);
    if (behaviour.kind === 'hang') return;
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const vector = [0.1, -0.2, 0.3];
    // `encoding_format: base64` (what the official SDKs ask for) is the float32 little-endian bytes in base64.
    const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    this.json(res, 200, {
      object: 'list',
      data: inputs.map((_, index) => ({ object: 'embedding', index, embedding })),
      model: body.model,
      usage: { prompt_tokens: 4 * inputs.length, total_tokens: 4 * inputs.length },
    });
  }

  /** Counts the request from now until its response closes (finished, failed or abandoned by the caller). */
  private countInFlight(model: string, res: ServerResponse): void {
    const count = this.inFlight.get(model) ?? { now: 0, peak: 0 };
    this.inFlight.set(model, count);
    count.now += 1;
    count.peak = Math.max(count.peak, count.now);
    res.once('close', () => (count.now -= 1));
  }

  /** Resolves true after `ms`, or false as soon as the caller hangs up. */
  private waitUnlessClosed(res: ServerResponse, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const onClose = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        res.off('close', onClose);
        resolve(true);
      }, ms);
      res.once('close', onClose);
    });
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  private complete(res: ServerResponse, body: Record<string, unknown>, behaviour: Extract<Behaviour, { kind: 'answer' }>): void {
    const message = behaviour.toolCalls
      ? {
          role: 'assistant',
          content: null,
          tool_calls: behaviour.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
        }
      : { role: 'assistant', content: behaviour.content ?? DEFAULT_CONTENT };
    this.json(res, 200, {
      id: 'chatcmpl-fake-1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: body.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: behaviour.toolCalls ? 'tool_calls' : 'stop' }],
      usage: { prompt_tokens: 11, completion_tokens: 9, total_tokens: 20 },
      system_fingerprint: 'fp_fake',
    });
  }

  private chunk(body: Record<string, unknown>, delta: object, finish: string | null, withUsageNull: boolean): string {
    const chunk: Record<string, unknown> = {
      id: 'chatcmpl-fake-stream',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: body.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
    if (withUsageNull) chunk.usage = null;
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  private stream(res: ServerResponse, body: Record<string, unknown>, behaviour: Extract<Behaviour, { kind: 'answer' }>): void {
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(this.chunk(body, { role: 'assistant', content: '' }, null, includeUsage));
    if (behaviour.toolCalls) {
      behaviour.toolCalls.forEach((call, index) => {
        res.write(this.chunk(body, { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, null, includeUsage));
        const half = Math.ceil(call.arguments.length / 2);
        for (const part of [call.arguments.slice(0, half), call.arguments.slice(half)]) {
          res.write(this.chunk(body, { tool_calls: [{ index, function: { arguments: part } }] }, null, includeUsage));
        }
      });
      res.write(this.chunk(body, {}, 'tool_calls', includeUsage));
    } else {
      for (const word of (behaviour.content ?? DEFAULT_CONTENT).match(/\s*\S+/g) ?? []) res.write(this.chunk(body, { content: word }, null, includeUsage));
      res.write(this.chunk(body, {}, 'stop', includeUsage));
    }
    if (includeUsage) {
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-fake-stream', object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model, choices: [], usage: { prompt_tokens: 11, completion_tokens: 9, total_tokens: 20 } })}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  }

  private slowStream(res: ServerResponse, body: Record<string, unknown>, behaviour: Extract<Behaviour, { kind: 'slow-stream' }>): void {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (behaviour.headersFirst) res.flushHeaders();
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      if (sent >= behaviour.chunks) {
        clearInterval(timer);
        res.write(this.chunk(body, {}, 'stop', false));
        return void res.end('data: [DONE]\n\n');
      }
      res.write(this.chunk(body, { content: `w${sent++} ` }, null, false));
    }, behaviour.chunkDelayMs);
    res.on('close', () => clearInterval(timer));
  }

  private dieMidStream(res: ServerResponse, body: Record<string, unknown>, chunksBeforeDeath: number): void {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let i = 0; i < chunksBeforeDeath; i++) res.write(this.chunk(body, { content: `part${i} ` }, null, false));
    setTimeout(() => res.socket?.destroy(), 20);
  }
}
