import type { ServerResponse } from 'node:http';
import { EMBEDDINGS, PLAIN_TEXT, TINY_PNG_BASE64, scenarioOf, type Scenario } from './conformance-contract';
import { pieces, sendJson, startFakeServer, type FakeRequest } from './fake-http';

/**
 * A fake upstream speaking OpenAI's chat-completions wire format (platform.openai.com/docs/api-reference):
 * `chat.completion` JSON, SSE `chat.completion.chunk` events ending with `data: [DONE]`, and native error
 * bodies. OpenAI itself and every OpenAI-compatible provider (Azure, Groq, Mistral, ...) are fakes built
 * from it with their own paths, credential check, request checks, error bodies and response extras.
 */

/** One native HTTP reply (an error body the provider really sends, with its status and headers). */
export interface NativeReply {
  status: number;
  /** A JSON body; or `text` for upstreams that answer some errors with an HTML page. */
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export type ErrorScenario = 'error-401' | 'error-429' | 'error-context' | 'error-500' | 'error-overloaded';

/** OpenAI's error body `{"error":{"message","type","param","code"}}`. */
export function openAIError(status: number, message: string, type: string | null, code: string | null = null, headers: Record<string, string> = {}): NativeReply {
  return { status, body: { error: { message, type, param: null, code } }, headers };
}

const OPENAI_ERRORS: Record<ErrorScenario, NativeReply> = {
  'error-401': openAIError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'),
  'error-429': openAIError(429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded', { 'retry-after': '7' }),
  'error-context': openAIError(
    400,
    "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
    'invalid_request_error',
    'context_length_exceeded',
  ),
  'error-500': openAIError(500, 'The server had an error while processing your request.', 'server_error'),
  'error-overloaded': openAIError(503, 'The engine is currently overloaded, please try again later.', 'server_error'),
};

export interface OpenAIWireFakeOptions {
  /** Path of the chat endpoint, e.g. `/v1/chat/completions`. */
  chatPath: string;
  /** Path of the embeddings endpoint; the fake serves embeddings only when set. */
  embeddingsPath?: string;
  /** True when the request carries the credential the fake expects (header, query key, ...). */
  authorized(req: FakeRequest): boolean;
  /** Provider-specific request checks (query string, headers, model, forbidden fields); returns what is wrong. */
  check?(req: FakeRequest): string | undefined;
  /** How this upstream reports a bad request; default OpenAI's 400 `invalid_request_error`. */
  badRequest?(message: string): NativeReply;
  /** This provider's own error replies, by scenario (`error-401` also answers a wrong credential). */
  errors?: Partial<Record<ErrorScenario, NativeReply>>;
  /** Scenarios the real upstream refuses natively (e.g. an image sent to a text-only API). */
  refuse?: Partial<Record<Scenario, NativeReply>>;
  /** Extra top-level fields of a completion and of the last stream chunk (Perplexity's `citations`, ...). */
  extraFields?: Record<string, unknown>;
  /** Extra fields of the assistant message and its first stream delta (DeepSeek's `reasoning_content`). */
  messageFields?: Record<string, unknown>;
  /** Extra fields of each choice (Azure's `content_filter_results`). */
  choiceFields?: Record<string, unknown>;
  /**
   * Where a stream reports usage: `usage-chunk` (OpenAI: a `choices: []` chunk, only when
   * `stream_options.include_usage`), `finish-chunk` (always, on the chunk carrying `finish_reason`: Mistral,
   * Together, Fireworks, Perplexity, Cerebras).
   */
  streamUsage?: 'usage-chunk' | 'finish-chunk';
  /** Raw SSE text written before the first chunk (OpenRouter's `: OPENROUTER PROCESSING` comments, Azure's filter chunk). */
  streamPreamble?: string;
  /** Extra fields of the chunk carrying `finish_reason` (Groq's `x_groq`). */
  finishChunkFields?: Record<string, unknown>;
  /** Ids the upstream gives the tool calls it answers, in order; default `call_1`, `call_2`. */
  toolCallIds?: readonly string[];
  /** The tool-call ids the upstream accepts in requests; default only the caller's own `call_1`, unchanged. */
  acceptsCallId?(id: string): boolean;
}

/** Checks `Authorization: Bearer <key>`. */
export const bearer = (key: string) => (req: FakeRequest) => req.headers.authorization === `Bearer ${key}`;

/** Checks one request header's exact value. */
export const headerEquals = (name: string, value: string) => (req: FakeRequest) => req.headers[name.toLowerCase()] === value;

function reply(res: ServerResponse, answer: NativeReply): void {
  if (answer.text === undefined) return sendJson(res, answer.status, answer.body, answer.headers ?? {});
  res.writeHead(answer.status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(answer.text), ...answer.headers });
  res.end(answer.text);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p: { type?: string; text?: string }) => (p.type === 'text' ? p.text : '')).join('');
  return '';
}

type Answer = { text: string; finish: string } | { calls: Array<{ id: string; name: string; args: string }> } | { problem: string };

/* eslint-disable @typescript-eslint/no-explicit-any */
function answer(body: Record<string, any>, scenario: Scenario | undefined, options: OpenAIWireFakeOptions): Answer {
  const callIds = options.toolCallIds ?? ['call_1', 'call_2'];
  const acceptsCallId = options.acceptsCallId ?? ((id: string) => id === 'call_1');
  const messages = body.messages as Array<Record<string, any>>;
  switch (scenario) {
    case 'plain':
    case 'stream-text':
      return { text: PLAIN_TEXT, finish: 'stop' };
    case 'system': {
      const system = messages.find((m) => m.role === 'system');
      return system ? { text: `system=${textOf(system.content)}`, finish: 'stop' } : { problem: 'no system message' };
    }
    case 'multi-turn':
      return { text: `turns=${messages.filter((m) => m.role !== 'system').length}`, finish: 'stop' };
    case 'image': {
      const part = (messages[0].content as Array<Record<string, any>>).find((p) => p.type === 'image_url');
      return part?.image_url?.url === `data:image/png;base64,${TINY_PNG_BASE64}` ? { text: 'image=image/png', finish: 'stop' } : { problem: 'image part missing' };
    }
    case 'tool-call':
    case 'stream-tool':
    case 'parallel-tools': {
      if (body.tools?.[0]?.function?.name !== 'get_weather') return { problem: 'tool get_weather not declared' };
      const cities = scenario === 'parallel-tools' ? ['Paris', 'London'] : ['Paris'];
      return { calls: cities.map((city, i) => ({ id: callIds[i], name: 'get_weather', args: JSON.stringify({ city }) })) };
    }
    case 'tool-result': {
      // The caller's id is `call_1`; an upstream with its own id rules gets it translated, consistently.
      const call = messages.find((m) => m.role === 'assistant')?.tool_calls?.[0];
      if (call?.function?.name !== 'get_weather' || call?.function?.arguments !== '{"city":"Paris"}') return { problem: 'the earlier get_weather call is missing' };
      if (!acceptsCallId(call.id)) return { problem: `tool call id ${call.id} is not one this upstream accepts` };
      const result = messages.find((m) => m.role === 'tool' && m.tool_call_id === call.id);
      return result ? { text: `tool=${textOf(result.content)}`, finish: 'stop' } : { problem: `tool result for ${call.id} missing` };
    }
    case 'json':
      return body.response_format?.type === 'json_object' ? { text: '{"ok":true}', finish: 'stop' } : { problem: 'response_format missing' };
    case 'stop':
      return JSON.stringify(body.stop) === '["END"]' ? { text: 'partial', finish: 'stop' } : { problem: 'stop sequence missing' };
    case 'max-tokens':
      return body.max_tokens === 5 ? { text: 'cut', finish: 'length' } : { problem: 'max_tokens missing' };
    default:
      return { problem: `unknown scenario in "${textOf(messages[0]?.content)}"` };
  }
}

const ERROR_SCENARIOS = new Set<string>(['error-401', 'error-429', 'error-context', 'error-500', 'error-overloaded']);

/** Starts a loopback server answering the conformance scenarios in OpenAI's wire format, shaped by `options`. */
export async function startOpenAIWireFake(options: OpenAIWireFakeOptions): Promise<{ url: string; close(): Promise<void> }> {
  const errors = { ...OPENAI_ERRORS, ...options.errors };
  const badRequest = options.badRequest ?? ((message: string) => openAIError(400, message, 'invalid_request_error'));

  function embeddings(req: FakeRequest, res: ServerResponse): void {
    if (JSON.stringify(req.json?.input) !== '["alpha","beta"]') return reply(res, badRequest('conformance fake: unexpected input'));
    sendJson(res, 200, {
      object: 'list',
      data: EMBEDDINGS.map((embedding, index) => ({ object: 'embedding', index, embedding })),
      model: req.json.model,
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
  }

  function chat(req: FakeRequest, res: ServerResponse): void {
    const body = req.json as Record<string, any>;
    const firstUser = (body.messages as Array<{ role: string; content: unknown }>).find((m) => m.role === 'user');
    const scenario = scenarioOf(textOf(firstUser?.content));
    if (scenario && ERROR_SCENARIOS.has(scenario)) return reply(res, errors[scenario as ErrorScenario]);
    const refusal = scenario && options.refuse?.[scenario];
    if (refusal) return reply(res, refusal);
    const result = answer(body, scenario, options);
    if ('problem' in result) return reply(res, badRequest(`conformance fake: ${result.problem}`));
    const base = { id: 'chatcmpl-conf', created: 1_700_000_000, model: body.model };
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    const finish = 'text' in result ? result.finish : 'tool_calls';
    if (body.stream === true) return stream(res, body, result, base, usage, finish);
    const message =
      'text' in result
        ? { role: 'assistant', content: result.text, ...options.messageFields }
        : { role: 'assistant', content: null, tool_calls: result.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })) };
    sendJson(res, 200, {
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message, finish_reason: finish, ...options.choiceFields }],
      usage,
      ...options.extraFields,
    });
  }

  function stream(res: ServerResponse, body: Record<string, any>, result: Exclude<Answer, { problem: string }>, base: object, usage: object, finish: string): void {
    const chunk = (delta: object, finishReason: string | null, extra: object = {}) => ({
      ...base,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason: finishReason, ...(finishReason ? options.choiceFields : {}) }],
      ...extra,
    });
    const chunks: object[] = [chunk({ role: 'assistant', content: '', ...options.messageFields }, null)];
    if ('text' in result) {
      for (const piece of pieces(result.text, 3)) chunks.push(chunk({ content: piece }, null));
    } else {
      result.calls.forEach((c, index) => {
        chunks.push(chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }, null));
        for (const part of pieces(c.args, 2)) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }, null));
      });
    }
    const usageOnFinish = options.streamUsage === 'finish-chunk' ? { usage } : {};
    chunks.push(chunk({}, finish, { ...usageOnFinish, ...options.finishChunkFields, ...options.extraFields }));
    if (options.streamUsage !== 'finish-chunk' && body.stream_options?.include_usage) {
      chunks.push({ ...base, object: 'chat.completion.chunk', choices: [], usage });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (options.streamPreamble) res.write(options.streamPreamble);
    for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  const server = await startFakeServer((req, res) => {
    if (!options.authorized(req)) return reply(res, errors['error-401']);
    const isChat = req.path === options.chatPath;
    const isEmbeddings = options.embeddingsPath !== undefined && req.path === options.embeddingsPath;
    if (!isChat && !isEmbeddings) return reply(res, { status: 404, body: { error: { message: `Unknown path ${req.path}`, type: 'invalid_request_error' } } });
    const problem = options.check?.(req);
    if (problem) return reply(res, badRequest(`conformance fake: ${problem}`));
    return isChat ? chat(req, res) : embeddings(req, res);
  });
  return server;
}
