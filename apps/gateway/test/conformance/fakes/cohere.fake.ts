import type { ServerResponse } from 'node:http';
import { EMBEDDINGS, PLAIN_TEXT, TINY_PNG_BASE64, scenarioOf, type ConformanceFake, type Scenario } from '../conformance-contract';
import { pieces, sendJson, sendSse, startFakeServer, type FakeRequest } from '../fake-http';

/**
 * Cohere's v2 API (docs.cohere.com/reference/chat, /reference/chat-stream, /reference/embed): Bearer auth,
 * `POST /v2/chat` answering `{id, finish_reason, message: {role, content: [{type: 'text', text}], tool_plan,
 * tool_calls}, usage: {billed_units, tokens}}`, SSE streams of typed events (`event: content-delta` +
 * `data: {"type": "content-delta", ...}`) ending with `message-end`, `POST /v2/embed` answering
 * `{embeddings: {float: [...]}, meta: {billed_units}}`, and error bodies `{"id", "message"}`.
 */
const KEY = 'co-conformance-key-0123';
const MODEL = 'command-a-conf';
const EMBED_MODEL = 'embed-v4-conf';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const error = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
  sendJson(res, status, { id: 'err-conf', message }, headers);

/** OpenAI-only spellings that must never reach Cohere (the translation renames or drops them). */
const OPENAI_ONLY = ['top_p', 'stop', 'max_completion_tokens', 'stream_options', 'user', 'n', 'tool_choice'];

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p: Json) => (p.type === 'text' ? p.text : '')).join('');
  return '';
}

type Answer = { text: string; finish: string } | { calls: Array<{ id: string; name: string; args: string }> } | { problem: string };

function answer(body: Json, scenario: Scenario | undefined): Answer {
  const messages: Json[] = body.messages;
  const leaked = OPENAI_ONLY.filter((k) => k in body && !(k === 'tool_choice' && ['REQUIRED', 'NONE'].includes(body[k])));
  if (leaked.length > 0) return { problem: `OpenAI-only fields sent to Cohere: ${leaked.join(', ')}` };
  if (typeof body.stream !== 'boolean') return { problem: 'stream must be sent as a boolean' };
  switch (scenario) {
    case 'plain':
    case 'stream-text':
      return { text: PLAIN_TEXT, finish: 'COMPLETE' };
    case 'system':
      return messages[0]?.role === 'system' ? { text: `system=${textOf(messages[0].content)}`, finish: 'COMPLETE' } : { problem: 'no system message first' };
    case 'multi-turn': {
      const roles = messages.map((m) => m.role).join(',');
      return roles === 'user,assistant,user' ? { text: `turns=${messages.length}`, finish: 'COMPLETE' } : { problem: `roles were ${roles}` };
    }
    case 'image': {
      const part = Array.isArray(messages[0].content) ? messages[0].content.find((p: Json) => p.type === 'image_url') : undefined;
      const match = /^data:([^;]+);base64,(.*)$/.exec(part?.image_url?.url ?? '');
      return match && match[2] === TINY_PNG_BASE64 ? { text: `image=${match[1]}`, finish: 'COMPLETE' } : { problem: 'image_url part with the PNG data URL missing' };
    }
    case 'tool-call':
    case 'stream-tool':
    case 'parallel-tools': {
      const tool = body.tools?.[0];
      if (tool?.type !== 'function' || tool.function?.name !== 'get_weather' || tool.function?.parameters?.properties?.city?.type !== 'string') {
        return { problem: 'tool get_weather not declared in v2 function format' };
      }
      const cities = scenario === 'parallel-tools' ? ['Paris', 'London'] : ['Paris'];
      return { calls: cities.map((city, i) => ({ id: `get_weather_${i}ab12cd`, name: 'get_weather', args: JSON.stringify({ city }) })) };
    }
    case 'tool-result': {
      const [, assistant, tool] = messages;
      const call = assistant?.tool_calls?.[0];
      if (assistant?.role !== 'assistant' || 'content' in assistant || call?.id !== 'call_1' || call.function?.name !== 'get_weather' || call.function?.arguments !== '{"city":"Paris"}') {
        return { problem: 'assistant tool call call_1 not carried in v2 form' };
      }
      return tool?.role === 'tool' && tool.tool_call_id === 'call_1' ? { text: `tool=${textOf(tool.content)}`, finish: 'COMPLETE' } : { problem: 'tool result for call_1 missing' };
    }
    case 'json':
      return body.response_format?.type === 'json_object' ? { text: '{"ok":true}', finish: 'COMPLETE' } : { problem: 'response_format json_object missing' };
    case 'stop':
      return JSON.stringify(body.stop_sequences) === '["END"]' ? { text: 'partial', finish: 'STOP_SEQUENCE' } : { problem: 'stop_sequences missing' };
    case 'max-tokens':
      return body.max_tokens === 5 ? { text: 'cut', finish: 'MAX_TOKENS' } : { problem: 'max_tokens missing' };
    default:
      return { problem: `unknown scenario in "${textOf(messages[0]?.content)}"` };
  }
}

/** Billed units (what Cohere charges) differ from raw tokens, which include Cohere's own prompt scaffolding. */
const USAGE = { billed_units: { input_tokens: 10, output_tokens: 5 }, tokens: { input_tokens: 74, output_tokens: 5 } };

function stream(res: ServerResponse, result: Exclude<Answer, { problem: string }>): void {
  const ev = (type: string, rest: Json = {}) => ({ event: type, data: { type, ...rest } });
  const events = [ev('message-start', { id: 'conf-1', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } })];
  if ('text' in result) {
    events.push(ev('content-start', { index: 0, delta: { message: { content: { type: 'text', text: '' } } } }));
    for (const piece of pieces(result.text, 3)) events.push(ev('content-delta', { index: 0, delta: { message: { content: { text: piece } } }, logprobs: null }));
    events.push(ev('content-end', { index: 0 }));
    events.push(ev('message-end', { delta: { finish_reason: result.finish, usage: USAGE } }));
  } else {
    for (const piece of ['I will check', ' the weather.']) events.push(ev('tool-plan-delta', { delta: { message: { tool_plan: piece } } }));
    result.calls.forEach((c, index) => {
      events.push(ev('tool-call-start', { index, delta: { message: { tool_calls: { id: c.id, type: 'function', function: { name: c.name, arguments: '' } } } } }));
      for (const part of pieces(c.args, 2)) events.push(ev('tool-call-delta', { index, delta: { message: { tool_calls: { function: { arguments: part } } } } }));
      events.push(ev('tool-call-end', { index }));
    });
    events.push(ev('message-end', { delta: { finish_reason: 'TOOL_CALL', usage: USAGE } }));
  }
  sendSse(res, events);
}

function embed(req: FakeRequest, res: ServerResponse): void {
  const body = req.json;
  if (body?.model !== EMBED_MODEL || JSON.stringify(body.texts) !== '["alpha","beta"]') return error(res, 400, 'conformance fake: expected model and texts ["alpha","beta"]');
  if (body.input_type !== 'search_document') return error(res, 400, 'conformance fake: input_type must default to search_document');
  if (!Array.isArray(body.embedding_types) || !body.embedding_types.includes('float')) return error(res, 400, 'conformance fake: embedding_types must ask for float');
  sendJson(res, 200, {
    id: 'embed-conf',
    embeddings: { float: EMBEDDINGS },
    texts: body.texts,
    meta: { api_version: { version: '2' }, billed_units: { input_tokens: 4 } },
    response_type: 'embeddings_by_type',
  });
}

async function handle(req: FakeRequest, res: ServerResponse): Promise<void> {
  if (req.headers.authorization !== `Bearer ${KEY}`) return error(res, 401, 'invalid api token');
  if (req.path === '/v2/embed') return embed(req, res);
  if (req.path !== '/v2/chat') return error(res, 404, `Not Found: ${req.path}`);
  const body = req.json;
  if (body?.model !== MODEL) return error(res, 404, `model '${String(body?.model)}' not found, make sure the correct model ID was used and that you have access to the model.`);
  const firstUser = body.messages.find((m: Json) => m.role === 'user');
  const scenario = scenarioOf(textOf(firstUser?.content));
  switch (scenario) {
    case 'error-401':
      return error(res, 401, 'invalid api token');
    case 'error-429':
      return error(res, 429, 'You are using a Trial key, which is limited to 20 API calls / minute. You can continue to use the Trial key for free or upgrade to a Production key.', { 'retry-after': '7' });
    case 'error-context':
      return error(res, 400, 'too many tokens: size limit exceeded by 11223 tokens. Try using shorter or fewer inputs, or setting prompt_truncation=\'AUTO\'.');
    case 'error-500':
      return error(res, 500, 'internal server error, this has been reported to our developers. id conf-500');
    case 'error-overloaded':
      return error(res, 503, 'Service Unavailable: the model is currently overloaded, please try again later.');
  }
  const result = answer(body, scenario);
  if ('problem' in result) return error(res, 400, `conformance fake: ${result.problem}`);
  if (body.stream === true) return stream(res, result);
  const message =
    'text' in result
      ? { role: 'assistant', content: [{ type: 'text', text: result.text }] }
      : { role: 'assistant', tool_plan: 'I will check the weather.', tool_calls: result.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })) };
  sendJson(res, 200, { id: 'conf-1', finish_reason: 'text' in result ? result.finish : 'TOOL_CALL', message, usage: USAGE });
}

export async function startFake(): Promise<ConformanceFake> {
  const server = await startFakeServer(handle);
  return {
    provider: 'cohere',
    litellmParams: { model: `cohere/${MODEL}`, api_base: server.url, api_key: KEY },
    embeddingParams: { model: `cohere/${EMBED_MODEL}`, api_base: server.url, api_key: KEY },
    close: server.close,
  };
}
