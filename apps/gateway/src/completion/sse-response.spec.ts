import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError } from '@tollgate/common';
import type { ChatCompletionStream, TokenUsage } from '@tollgate/providers';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestLogRecorder } from './request-log-recorder';
import { sendSseResponse } from './sse-response';

const event = (content: string) => `data: {"choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}}}]}\n\n`;
const DONE = 'data: [DONE]\n\n';

/** What the writer told the request log, and a charge promise the test settles when it likes. */
class RecorderProbe {
  readonly outcomes: Array<{ status: number | 'ok'; usage?: TokenUsage }> = [];
  firstTokens = 0;
  private settle!: () => void;
  readonly charged = new Promise<void>((resolve) => (this.settle = resolve));
  settleCharges(): void {
    this.settle();
  }
  firstToken(): void {
    this.firstTokens++;
  }
  succeeded(usage: TokenUsage | undefined): Promise<void> {
    this.outcomes.push({ status: 'ok', usage });
    return this.charged;
  }
  failed(error: GatewayError, usage?: TokenUsage): Promise<void> {
    this.outcomes.push({ status: error.status, usage });
    return this.charged;
  }
}

/** A stream the test feeds by hand; notes when the writer asks for more and whether it let go of the stream. */
class ScriptedStream implements ChatCompletionStream {
  pulls = 0;
  released = false;
  private waiting: Array<(result: IteratorResult<Buffer>) => void> = [];
  private failures: Array<(error: unknown) => void> = [];
  private queued: Array<IteratorResult<Buffer> | { error: unknown }> = [];
  usage = (): TokenUsage | undefined => ({ promptTokens: 3, completionTokens: 2, totalTokens: 5 });
  readonly events: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => ({
      next: () => {
        this.pulls++;
        const queued = this.queued.shift();
        if (queued) return 'error' in queued ? Promise.reject(queued.error) : Promise.resolve(queued);
        return new Promise<IteratorResult<Buffer>>((resolve, reject) => {
          this.waiting.push(resolve);
          this.failures.push(reject);
        });
      },
      return: () => {
        this.released = true;
        return Promise.resolve({ done: true as const, value: undefined });
      },
    }),
  };
  send(text: string): void {
    this.deliver({ done: false, value: Buffer.from(text) });
  }
  end(): void {
    this.deliver({ done: true, value: undefined });
  }
  fail(error: unknown): void {
    const reject = this.failures.shift();
    this.waiting.shift();
    if (reject) reject(error);
    else this.queued.push({ error });
  }
  private deliver(result: IteratorResult<Buffer>): void {
    const resolve = this.waiting.shift();
    this.failures.shift();
    if (resolve) resolve(result);
    else this.queued.push(result);
  }
}

interface Served {
  stream: ScriptedStream;
  recorder: RecorderProbe;
  /** Every `res.end` argument and every `res.write` chunk, in order, as the writer issued them. */
  calls: string[];
  done: Promise<void>;
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A real Fastify server whose one route answers with sendSseResponse over `stream`. */
async function serve(callerGone: () => boolean = () => false): Promise<{ url: string; served: Promise<Served> }> {
  app = Fastify();
  let handed!: (served: Served) => void;
  const served = new Promise<Served>((resolve) => (handed = resolve));
  app.post('/stream', async (_request, reply) => {
    const stream = new ScriptedStream();
    const recorder = new RecorderProbe();
    const calls: string[] = [];
    const raw = reply.raw;
    const write = raw.write.bind(raw) as (chunk: Buffer) => boolean;
    const end = raw.end.bind(raw) as (chunk?: Buffer) => typeof raw;
    raw.write = ((chunk: Buffer) => {
      calls.push(`write ${String(chunk)}`);
      return write(chunk);
    }) as typeof raw.write;
    raw.end = ((chunk?: Buffer) => {
      calls.push(`end ${chunk ? String(chunk) : ''}`);
      return end(chunk);
    }) as typeof raw.end;
    reply.header('x-litellm-call-id', 'call-1');
    const done = sendSseResponse(reply, stream, recorder as unknown as RequestLogRecorder, callerGone, {
      request: { messages: [{ role: 'user', content: 'hi' }] },
      deployment: { upstreamModel: 'gpt-4o' },
    });
    handed({ stream, recorder, calls, done });
    await done;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/stream`, served };
}

function post(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST' }, resolve);
    req.once('error', reject);
    req.end();
  });
}

async function textOf(response: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of response) text += String(chunk);
  return text;
}

/** Sends `batch` again each time the writer asks for more, until it stops asking for 100 ms; returns how many were sent. */
async function feedUntilHeldBack(stream: ScriptedStream, batch: string): Promise<number> {
  for (let sent = 1; sent <= 2000; sent++) {
    const pulls = stream.pulls;
    stream.send(batch);
    const asked = Date.now();
    while (stream.pulls === pulls && Date.now() - asked < 100) await sleep(1);
    if (stream.pulls === pulls) return sent;
  }
  throw new Error('the writer never stopped asking for events while the caller did not read');
}

describe('sendSseResponse', () => {
  it("answers 200 with the reply's headers and the SSE ones, and relays each batch as it comes", async () => {
    const { url, served } = await serve();
    const responding = post(url);
    const { stream, calls, recorder, done } = await served;
    stream.send(event('a'));
    const response = await responding;
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-litellm-call-id']).toBe('call-1');
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['x-accel-buffering']).toBe('no');
    const first = await new Promise<string>((resolve) => response.once('data', (chunk: Buffer) => resolve(String(chunk))));
    expect(first).toBe(event('a'));
    stream.send(event('b') + event('c'));
    stream.end();
    recorder.settleCharges();
    await done;
    expect(calls).toEqual([`write ${event('a')}`, `write ${event('b') + event('c')}`, 'end ']);
    expect(recorder.outcomes).toEqual([{ status: 'ok', usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 } }]);
    expect(recorder.firstTokens).toBe(2);
  });

  it('writes [DONE] as it comes, and ends the response once the charges have left', async () => {
    const { url, served } = await serve();
    const responding = post(url);
    const { stream, calls, recorder, done } = await served;
    stream.send(event('a') + event('b') + DONE);
    stream.end();
    const response = await responding;
    const body = textOf(response);
    await sleep(50);
    expect(calls).toEqual([`write ${event('a') + event('b') + DONE}`]);
    expect(response.complete).toBe(false);
    recorder.settleCharges();
    await done;
    expect(calls).toEqual([`write ${event('a') + event('b') + DONE}`, 'end ']);
    expect(await body).toBe(event('a') + event('b') + DONE);
  });

  it('asks for no more events while the caller is not reading, and loses none', async () => {
    const { url, served } = await serve();
    const responding = post(url);
    const { stream, recorder, done } = await served;
    const response = await (stream.send(event('start')), responding);
    response.pause();
    const big = event('dolor sit '.repeat(6000));
    const sentBatches = await feedUntilHeldBack(stream, big);
    const pullsWhilePaused = stream.pulls;
    await sleep(100);
    expect(stream.pulls).toBe(pullsWhilePaused);
    const body = textOf(response);
    response.resume();
    stream.end();
    recorder.settleCharges();
    await done;
    expect(await body).toBe(event('start') + big.repeat(sentBatches));
    expect(recorder.outcomes).toHaveLength(1);
    expect(recorder.outcomes[0].status).toBe('ok');
  });

  it('stops, releases the stream and records 499 when the caller leaves while writes wait', async () => {
    let gone = false;
    const { url, served } = await serve(() => gone);
    const responding = post(url);
    const { stream, recorder, done } = await served;
    stream.send(event('start'));
    const response = await responding;
    response.pause();
    await feedUntilHeldBack(stream, event('lorem ipsum '.repeat(5000)));
    gone = true;
    response.destroy();
    recorder.settleCharges();
    await done;
    expect(stream.released).toBe(true);
    expect(recorder.outcomes.map((o) => o.status)).toEqual([499]);
  });

  it('ends a stream that fails after its first event with an error event after what was relayed', async () => {
    const { url, served } = await serve();
    const responding = post(url);
    const { stream, recorder, done } = await served;
    stream.send(event('part'));
    const body = textOf(await responding);
    await sleep(10);
    stream.fail(new GatewayError(502, 'api_error', 'Deployment "d" failed mid-response.', { code: 'upstream_failed' }));
    recorder.settleCharges();
    await done;
    const text = await body;
    expect(text.startsWith(event('part'))).toBe(true);
    const errorEvent = JSON.parse(text.slice(event('part').length).replace(/^data: /, '')) as { error: { message: string; code: string } };
    expect(errorEvent.error).toMatchObject({ message: 'Deployment "d" failed mid-response.', code: 'upstream_failed' });
    expect(recorder.outcomes.map((o) => o.status)).toEqual([502]);
  });
});
