import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '@tollgate/common';
import type { ChatCompletionStream, Deployment } from '../provider.types';
import { BedrockProvider } from './bedrock.provider';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: 'string' as const, value });
const event = (type: string, payload: unknown) =>
  Buffer.from(codec.encode({ headers: { ':event-type': str(type), ':content-type': str('application/json'), ':message-type': str('event') }, body: fromUtf8(JSON.stringify(payload)) }));
const exception = (type: string, message: string) =>
  Buffer.from(codec.encode({ headers: { ':exception-type': str(type), ':content-type': str('application/json'), ':message-type': str('exception') }, body: fromUtf8(JSON.stringify({ message })) }));

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let respond: (req: Seen, res: ServerResponse) => void | Promise<void>;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') };
      seen.push(entry);
      void respond(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
});

const provider = new BedrockProvider();
const context = () => ({ callId: 'c', signal: new AbortController().signal });

function deployment(model: string, params: Record<string, unknown> = {}, timeoutMs = 5_000): Deployment {
  return {
    id: 'dep-1',
    modelName: 'claude',
    provider: 'bedrock',
    upstreamModel: model,
    timeoutMs,
    streamTimeoutMs: timeoutMs,
    params: { model: `bedrock/${model}`, api_base: baseUrl, aws_bearer_token: 'bedrock-api-key-test', ...params },
  };
}

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
const chat = { model: 'claude', messages: [{ role: 'user', content: 'hi' }] };

function stream(res: ServerResponse, frames: Buffer[]): void {
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
  res.end(Buffer.concat(frames));
}

async function drain(s: ChatCompletionStream): Promise<{ text: string; error?: GatewayError }> {
  let text = '';
  try {
    for await (const e of s.events) text += e.toString('utf8');
  } catch (err) {
    return { text, error: err as GatewayError };
  }
  return { text };
}

describe('BedrockProvider chat', () => {
  it('posts the Converse body with deployment defaults but never the AWS settings', async () => {
    respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'end_turn', usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 } }));
    };
    const d = deployment(`converse/${CLAUDE}`, { aws_region_name: 'us-west-2', top_k: 5, max_tokens: 100 });
    const result = await provider.chatCompletion(d, chat, context());
    expect(seen[0].path).toBe('/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
    expect(seen[0].headers.authorization).toBe('Bearer bedrock-api-key-test');
    expect(seen[0].body).toEqual({ messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { maxTokens: 100 }, additionalModelRequestFields: { top_k: 5 } });
    expect(JSON.parse(result.body.toString('utf8'))).toMatchObject({ model: CLAUDE, choices: [{ message: { content: 'ok' } }] });
    expect(result.usage).toEqual({ promptTokens: 3, completionTokens: 1, totalTokens: 4 });
  });

  it('signs with SigV4 when given a key pair', async () => {
    respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ output: { message: { role: 'assistant', content: [] } }, stopReason: 'end_turn' }));
    };
    await provider.chatCompletion(deployment(CLAUDE, { aws_bearer_token: undefined, aws_access_key_id: 'AKIDTEST', aws_secret_access_key: 'secret-test-value', aws_region_name: 'eu-west-1' }), chat, context());
    expect(seen[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
  });

  it('maps a 403 for bad credentials to 401 and fails without credentials before calling', async () => {
    respond = (_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/' });
      res.end(JSON.stringify({ message: 'The security token included in the request is invalid.' }));
    };
    await expect(provider.chatCompletion(deployment(CLAUDE), chat, context())).rejects.toMatchObject({ status: 401, type: 'authentication_error' });
    const saved = { ...process.env };
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_BEARER_TOKEN_BEDROCK']) delete process.env[name];
    try {
      seen = [];
      await expect(provider.chatCompletion(deployment(CLAUDE, { aws_bearer_token: undefined }), chat, context())).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/no AWS credentials/) });
      expect(seen).toHaveLength(0);
    } finally {
      Object.assign(process.env, saved);
    }
  });
});

describe('BedrockProvider streaming', () => {
  it('relays ConverseStream events as OpenAI chunks', async () => {
    respond = (_req, res) =>
      stream(res, [
        event('messageStart', { role: 'assistant' }),
        event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hi' } }),
        event('messageStop', { stopReason: 'end_turn' }),
        event('metadata', { usage: { inputTokens: 2, outputTokens: 1, totalTokens: 3 } }),
      ]);
    const s = await provider.chatCompletionStream(deployment(CLAUDE), { ...chat, stream: true, stream_options: { include_usage: true } }, context());
    const { text, error } = await drain(s);
    expect(error).toBeUndefined();
    expect(seen[0].path).toBe('/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream');
    expect(seen[0].headers.accept).toBe('application/vnd.amazon.eventstream');
    expect(text).toContain('"content":"Hi"');
    expect(text).toContain('"finish_reason":"stop"');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(s.usage()).toEqual({ promptTokens: 2, completionTokens: 1, totalTokens: 3 });
  });

  it('fails the call itself when the first frame is an exception', async () => {
    respond = (_req, res) => stream(res, [exception('throttlingException', 'Too many tokens, please wait before trying again.')]);
    await expect(provider.chatCompletionStream(deployment(CLAUDE), { ...chat, stream: true }, context())).rejects.toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      message: expect.stringMatching(/ThrottlingException: Too many tokens/),
    });
  });

  it('ends the stream with the mapped error when an exception arrives mid-stream', async () => {
    respond = (_req, res) =>
      stream(res, [event('messageStart', { role: 'assistant' }), event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } }), exception('modelStreamErrorException', 'The model stream failed.')]);
    const { text, error } = await drain(await provider.chatCompletionStream(deployment(CLAUDE), { ...chat, stream: true }, context()));
    expect(text).toContain('"content":"Hel"');
    expect(error).toBeInstanceOf(GatewayError);
    expect(error?.status).toBe(500);
    expect(error?.message).toMatch(/ModelStreamErrorException/);
  });

  it('reports a connection cut in the middle of a frame as a broken upstream', async () => {
    respond = (_req, res) => {
      const start = event('messageStart', { role: 'assistant' });
      const delta = event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } });
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      res.end(Buffer.concat([start, delta.subarray(0, 10)]));
    };
    const { error } = await drain(await provider.chatCompletionStream(deployment(CLAUDE), { ...chat, stream: true }, context()));
    expect(error).toMatchObject({ status: 502, options: { code: 'upstream_failed' } });
  });

  it('releases the upstream connection when the stream is cancelled before being read', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      res.write(event('messageStart', { role: 'assistant' }));
      res.on('close', closed);
    };
    const s = await provider.chatCompletionStream(deployment(CLAUDE), { ...chat, stream: true }, context());
    s.cancel?.();
    await upstreamClosed;
  });

  it('times out when no first byte arrives in time', async () => {
    respond = async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      res.flushHeaders();
      await sleep(500);
      res.end();
    };
    await expect(provider.chatCompletionStream(deployment(CLAUDE, {}, 100), { ...chat, stream: true }, context())).rejects.toMatchObject({ status: 504 });
  });
});

describe('BedrockProvider embeddings', () => {
  it('calls Titan once per input in order and sums the token counts', async () => {
    respond = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ embedding: [req.body.inputText.length], inputTextTokenCount: req.body.inputText.length }));
    };
    const result = await provider.embeddings(deployment('amazon.titan-embed-text-v2:0'), { model: 'e', input: ['a', 'bbb', 'cc'], dimensions: 256 }, context());
    expect(seen.map((s) => s.path)).toEqual(Array(3).fill('/model/amazon.titan-embed-text-v2%3A0/invoke'));
    expect(seen.every((s) => s.body.dimensions === 256)).toBe(true);
    expect(JSON.parse(result.body.toString('utf8')).data.map((d: { embedding: number[] }) => d.embedding)).toEqual([[1], [3], [2]]);
    expect(result.usage).toEqual({ promptTokens: 6, completionTokens: 0, totalTokens: 6 });
  });

  it('batches Cohere inputs by 96 and estimates tokens when Bedrock does not count them', async () => {
    respond = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', embeddings: req.body.texts.map(() => [0.5]), texts: req.body.texts, response_type: 'embeddings_floats' }));
    };
    const input = Array.from({ length: 100 }, () => 'eightchr');
    const result = await provider.embeddings(deployment('cohere.embed-english-v3'), { model: 'e', input, input_type: 'search_query' }, context());
    expect(seen.map((s) => s.body.texts.length)).toEqual([96, 4]);
    expect(seen[0].body.input_type).toBe('search_query');
    expect(JSON.parse(result.body.toString('utf8')).data).toHaveLength(100);
    expect(result.usage?.promptTokens).toBe(200);
  });

  it('refuses models it cannot embed with', async () => {
    await expect(provider.embeddings(deployment(CLAUDE), { model: 'e', input: 'x' }, context())).rejects.toMatchObject({ status: 400 });
  });
});

describe('BedrockProvider settings', () => {
  it('validates endpoints, region and key pairs', () => {
    expect(provider.validate({ model: 'bedrock/x', aws_region_name: 'us-east-1', api_base: 'https://bedrock.example.com' })).toEqual([]);
    expect(provider.validate({ model: 'bedrock/x', aws_region_name: 'Virginia', aws_access_key_id: 'AKID', api_base: 'nope' }).map((p) => p.path)).toEqual([
      'api_base',
      'aws_region_name',
      'aws_secret_access_key',
    ]);
    expect(provider.displayApiBase({ model: 'bedrock/x', aws_region_name: 'eu-west-1' })).toBe('https://bedrock-runtime.eu-west-1.amazonaws.com');
  });
});
