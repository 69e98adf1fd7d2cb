import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PricingCatalog, countCompletionTokens, countPromptTokens, parseUsd } from '@tollgate/spend';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, MASTER_KEY, startTestGateway, type TestGateway } from './support/test-gateway';

// The tokenizer itself, straight from the package: what OpenAI would have counted for gpt-4o.
const o200k = (require('gpt-tokenizer/encoding/o200k_base') as { encode: (text: string) => number[] }).encode;
const tokens = (text: string) => o200k(text).length;

const UPSTREAM_KEY = 'sk-billing-upstream';
const ANSWER = 'Foxes are small omnivorous mammals of the family Canidae; the red fox lives on four continents.';
const PROVIDER_USAGE = { prompt_tokens: 1000, completion_tokens: 7, total_tokens: 1007 };

interface StreamRecord {
  /** Content the upstream wrote to the gateway, in order. */
  sent: string[];
  /** Resolves when the response closed, finished or not. */
  closed: Promise<void>;
  finished: boolean;
}

/**
 * A local server speaking OpenAI's streaming chat-completions format. Its behaviour is chosen by the path the
 * deployment's api_base points at: `/no-usage` streams the answer and never a usage chunk (whatever
 * `stream_options` says, as many OpenAI-compatible servers do), `/slow` streams numbered words every 25 ms
 * without usage until the caller leaves, `/usage` ends with OpenAI's usage-only chunk when asked for it,
 * `/tools` streams a tool call without usage.
 */
class BillingUpstream {
  readonly streams: StreamRecord[] = [];
  readonly requests: Array<Record<string, unknown>> = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    this.requests.push(body);
    if (req.headers.authorization !== `Bearer ${UPSTREAM_KEY}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
    }
    let markClosed: () => void = () => undefined;
    const record: StreamRecord = { sent: [], closed: new Promise((resolve) => (markClosed = resolve)), finished: false };
    this.streams.push(record);
    res.on('close', () => {
      record.finished = res.writableFinished;
      markClosed();
    });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const write = (delta: Record<string, unknown>, finish: string | null = null) => {
      if (typeof delta.content === 'string') record.sent.push(delta.content);
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-b', object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`);
    };
    const path = req.url ?? '';
    write({ role: 'assistant', content: '' });
    if (path.startsWith('/slow/')) {
      let n = 0;
      const timer = setInterval(() => write({ content: `word${n++} ` }), 25);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (path.startsWith('/tools/')) {
      write({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] });
      write({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] });
      write({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] });
      write({}, 'tool_calls');
      return void res.end('data: [DONE]\n\n');
    }
    for (const word of ANSWER.match(/\s*\S+/g) ?? []) write({ content: word });
    write({}, 'stop');
    const askedForUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    if (path.startsWith('/usage/') && askedForUsage) {
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-b', object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model, choices: [], usage: PROVIDER_USAGE })}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  }
}

interface LogRow {
  status: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  spend: string;
  error_type: string | null;
}

describe('stream billing: provider usage when given, else tokens counted from the prompt and the relayed text', () => {
  let upstream: BillingUpstream;
  let db: TestDatabase;
  let pg: Client;
  let t: TestGateway;
  // gpt-4o's catalog price, per token, in 10^-18 USD.
  const price = new PricingCatalog().priceFor({ id: 'price-check', provider: 'openai', upstreamModel: 'gpt-4o' });

  /** The exact cost, in 10^-12 USD (the spend column's unit), of `prompt` and `completion` tokens of gpt-4o. */
  const expectedSpend = (prompt: number, completion: number): bigint => {
    const atto = BigInt(prompt) * (price?.inputPerToken ?? 0n) + BigInt(completion) * (price?.outputPerToken ?? 0n);
    return (atto + 500_000n) / 1_000_000n;
  };

  const messages = [
    { role: 'system' as const, content: 'You are a zoologist. Answer in one sentence.' },
    { role: 'user' as const, content: 'What are foxes?' },
  ];
  // OpenAI's chat framing: 3 tokens per message plus its role and content, 3 more to prime the reply.
  const PROMPT_TOKENS = 3 + messages.reduce((sum, m) => sum + 3 + tokens(m.role) + tokens(m.content), 0);

  beforeAll(async () => {
    upstream = await new BillingUpstream().start();
    db = await createTestDatabase('stream_billing_e2e');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    const group = (name: string, path: string) => `  - model_name: ${name}
    litellm_params:
      model: openai/gpt-4o
      api_base: ${upstream.url}/${path}/v1
      api_key: os.environ/UPSTREAM_KEY
`;
    const yaml = `model_list:
${group('fox-no-usage', 'no-usage')}${group('fox-slow', 'slow')}${group('fox-usage', 'usage')}${group('fox-tools', 'tools')}general_settings:
  master_key: os.environ/TEST_MASTER_KEY
`;
    t = await startTestGateway(yaml, { DATABASE_URL: db.url, UPSTREAM_KEY, TEST_MASTER_KEY: MASTER_KEY });
  });

  afterAll(async () => {
    await t?.close();
    await pg?.end();
    await upstream?.stop();
    await db?.drop();
  });

  const logRow = (callId: string) =>
    eventually(async () => {
      const { rows } = await pg.query<LogRow>('SELECT status, prompt_tokens, completion_tokens, total_tokens, spend::text AS spend, error_type FROM request_logs WHERE call_id = $1', [callId]);
      return rows[0];
    }, 10_000, `request log ${callId}`);

  it('prices gpt-4o from the catalog (the figures below would prove nothing at price 0)', () => {
    expect(price?.inputPerToken).toBeGreaterThan(0n);
    expect(price?.outputPerToken).toBeGreaterThan(0n);
  });

  it('bills a stream whose upstream sent no usage for the counted prompt and streamed text', async () => {
    const { data: stream, response } = await t.client().chat.completions.create({ model: 'fox-no-usage', messages, stream: true }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(ANSWER);
    // The gateway asked for usage; this upstream just never sends it.
    expect(upstream.requests.at(-1)?.stream_options).toEqual({ include_usage: true });

    const row = await logRow(response.headers.get('x-litellm-call-id') as string);
    const completion = tokens(ANSWER);
    expect(row).toMatchObject({ status: 200, prompt_tokens: PROMPT_TOKENS, completion_tokens: completion, total_tokens: PROMPT_TOKENS + completion, error_type: null });
    expect(parseUsd(row.spend)).toBe(expectedSpend(PROMPT_TOKENS, completion));
    expect(parseUsd(row.spend)).toBeGreaterThan(0n);
  });

  it('bills a stream the client cut after a few chunks for the text relayed before the cut', async () => {
    const { data: stream, response } = await t.client().chat.completions.create({ model: 'fox-slow', messages, stream: true }).withResponse();
    let received = '';
    let chunks = 0;
    for await (const chunk of stream) {
      received += chunk.choices[0]?.delta?.content ?? '';
      if (++chunks === 6) break; // leaving the loop aborts the request
    }
    const upstreamStream = upstream.streams.at(-1) as StreamRecord;
    await upstreamStream.closed; // the gateway hung up on the upstream too
    expect(upstreamStream.finished).toBe(false);

    const row = await logRow(response.headers.get('x-litellm-call-id') as string);
    expect(row).toMatchObject({ status: 499, error_type: 'client_closed_request', prompt_tokens: PROMPT_TOKENS });
    // Between what reached the client and everything the upstream produced before the gateway hung up.
    expect(received.length).toBeGreaterThan(0);
    expect(row.completion_tokens).toBeGreaterThanOrEqual(tokens(received));
    expect(row.completion_tokens).toBeLessThanOrEqual(tokens(upstreamStream.sent.join('')));
    expect(row.total_tokens).toBe(PROMPT_TOKENS + row.completion_tokens);
    expect(parseUsd(row.spend)).toBe(expectedSpend(PROMPT_TOKENS, row.completion_tokens));
    expect(parseUsd(row.spend)).toBeGreaterThan(expectedSpend(PROMPT_TOKENS, 0));
  });

  it('uses the provider usage unchanged when the upstream reports it', async () => {
    const { data: stream, response } = await t.client().chat.completions.create({ model: 'fox-usage', messages, stream: true }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(ANSWER);
    const row = await logRow(response.headers.get('x-litellm-call-id') as string);
    expect(row).toMatchObject({ status: 200, prompt_tokens: 1000, completion_tokens: 7, total_tokens: 1007 });
    expect(parseUsd(row.spend)).toBe(expectedSpend(1000, 7));
  });

  it('counts tool definitions and the streamed tool call when there is no usage', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'get_weather', description: 'Current weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      },
    ];
    const request = { model: 'fox-tools', messages, tools, stream: true as const };
    const { data: stream, response } = await t.client().chat.completions.create(request).withResponse();
    let args = '';
    for await (const chunk of stream) args += chunk.choices[0]?.delta?.tool_calls?.[0]?.function?.arguments ?? '';
    expect(args).toBe('{"city":"Paris"}');

    const row = await logRow(response.headers.get('x-litellm-call-id') as string);
    const prompt = countPromptTokens({ messages, tools }, 'gpt-4o');
    const completion = countCompletionTokens({ content: '', reasoning: '', toolCallNames: ['get_weather'], toolCallArguments: args }, 'gpt-4o').completionTokens;
    expect(prompt).toBeGreaterThan(PROMPT_TOKENS); // the definitions are in the prompt
    expect(completion).toBe(tokens('get_weather') + tokens(args));
    expect(row).toMatchObject({ status: 200, prompt_tokens: prompt, completion_tokens: completion });
    expect(parseUsd(row.spend)).toBe(expectedSpend(prompt, completion));
  });
});
