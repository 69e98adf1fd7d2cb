import type { ServerResponse } from 'node:http';
import { PLAIN_TEXT, TINY_PNG_BASE64, EMBEDDINGS, scenarioOf, type ConformanceFake, type Scenario } from '../conformance-contract';
import { pieces, sendJson, sendSse, startFakeServer, type FakeRequest } from '../fake-http';

/**
 * OpenAI's chat-completions and embeddings API (platform.openai.com/docs/api-reference): Bearer auth,
 * `chat.completion` JSON, SSE `chat.completion.chunk` events ending with `data: [DONE]`, error bodies
 * `{"error":{"message","type","param","code"}}`.
 */
const KEY = 'sk-openai-conformance';

const error = (res: ServerResponse, status: number, message: string, type: string, code: string | null = null, headers: Record<string, string> = {}) =>
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p: { type?: string; text?: string }) => (p.type === 'text' ? p.text : '')).join('');
  return '';
}

function answer(body: { messages: Array<Record<string, any>>; tools?: Array<Record<string, any>>; stop?: unknown; max_tokens?: number; response_format?: { type?: string } }, scenario: Scenario | undefined):
  | { text: string; finish: string }
  | { calls: Array<{ id: string; name: string; args: string }> }
  | { problem: string } {
  const messages = body.messages;
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
      return { calls: cities.map((city, i) => ({ id: `call_${i + 1}`, name: 'get_weather', args: JSON.stringify({ city }) })) };
    }
    case 'tool-result': {
      const result = messages.find((m) => m.role === 'tool' && m.tool_call_id === 'call_1');
      return result ? { text: `tool=${textOf(result.content)}`, finish: 'stop' } : { problem: 'tool result for call_1 missing' };
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

async function handle(req: FakeRequest, res: ServerResponse): Promise<void> {
  if (req.headers.authorization !== `Bearer ${KEY}`) return error(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
  if (req.path === '/v1/embeddings') {
    if (JSON.stringify(req.json?.input) !== '["alpha","beta"]') return error(res, 400, 'conformance fake: unexpected input', 'invalid_request_error');
    return sendJson(res, 200, {
      object: 'list',
      data: EMBEDDINGS.map((embedding, index) => ({ object: 'embedding', index, embedding })),
      model: req.json.model,
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
  }
  if (req.path !== '/v1/chat/completions') return error(res, 404, `Unknown path ${req.path}`, 'invalid_request_error');
  const body = req.json;
  const firstUser = body.messages.find((m: { role: string }) => m.role === 'user');
  const scenario = scenarioOf(textOf(firstUser?.content));
  switch (scenario) {
    case 'error-401':
      return error(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    case 'error-429':
      return error(res, 429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded', { 'retry-after': '7' });
    case 'error-context':
      return error(res, 400, "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.", 'invalid_request_error', 'context_length_exceeded');
    case 'error-500':
      return error(res, 500, 'The server had an error while processing your request.', 'server_error');
    case 'error-overloaded':
      return error(res, 503, 'The engine is currently overloaded, please try again later.', 'server_error');
  }
  const result = answer(body, scenario);
  if ('problem' in result) return error(res, 400, `conformance fake: ${result.problem}`, 'invalid_request_error');
  const base = { id: 'chatcmpl-conf', created: 1_700_000_000, model: body.model };
  const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
  if (body.stream === true) {
    const chunk = (delta: object, finish: string | null) => ({ data: { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] } });
    const events: Array<{ data: unknown }> = [chunk({ role: 'assistant', content: '' }, null)];
    if ('text' in result) {
      for (const piece of pieces(result.text, 3)) events.push(chunk({ content: piece }, null));
      events.push(chunk({}, result.finish));
    } else {
      result.calls.forEach((c, index) => {
        events.push(chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }, null));
        for (const part of pieces(c.args, 2)) events.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }, null));
      });
      events.push(chunk({}, 'tool_calls'));
    }
    if (body.stream_options?.include_usage) events.push({ data: { ...base, object: 'chat.completion.chunk', choices: [], usage } });
    return sendSse(res, events, 'data: [DONE]\n\n');
  }
  const message =
    'text' in result
      ? { role: 'assistant', content: result.text }
      : { role: 'assistant', content: null, tool_calls: result.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })) };
  sendJson(res, 200, {
    ...base,
    object: 'chat.completion',
    choices: [{ index: 0, message, finish_reason: 'text' in result ? result.finish : 'tool_calls' }],
    usage,
  });
}

export async function startFake(): Promise<ConformanceFake> {
  const server = await startFakeServer(handle);
  return {
    provider: 'openai',
    litellmParams: { model: 'openai/gpt-conf', api_base: `${server.url}/v1`, api_key: KEY },
    embeddingParams: { model: 'openai/text-embedding-conf', api_base: `${server.url}/v1`, api_key: KEY },
    close: server.close,
  };
}
