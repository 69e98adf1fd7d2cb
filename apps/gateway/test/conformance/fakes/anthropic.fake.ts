import type { ServerResponse } from 'node:http';
import { PLAIN_TEXT, TINY_PNG_BASE64, scenarioOf, type ConformanceFake, type Scenario } from '../conformance-contract';
import { pieces, sendJson, sendSse, startFakeServer, type FakeRequest } from '../fake-http';

/**
 * Anthropic's Messages API (docs.anthropic.com/en/api/messages, /en/docs/build-with-claude/streaming,
 * /en/api/errors): `POST /v1/messages` with `x-api-key` and `anthropic-version` headers, `message` JSON,
 * SSE with named events (message_start, content_block_start/delta/stop, message_delta, message_stop, ping),
 * error bodies `{"type":"error","error":{"type","message"},"request_id"}`.
 */
const KEY = 'sk-ant-conformance';
const MODEL = 'claude-conf';

type Block = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Answer = { text: string; stop: 'end_turn' | 'stop_sequence' | 'max_tokens'; stopSequence?: string } | { calls: Array<{ id: string; input: object }> } | { problem: string };

const requestId = () => `req_conf${Date.now().toString(36)}`;

const error = (res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}) => {
  const id = requestId();
  sendJson(res, status, { type: 'error', error: { type, message }, request_id: id }, { 'request-id': id, ...headers });
};

function blocksOf(content: unknown): Block[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? content : [];
}

function textOf(content: unknown): string {
  return blocksOf(content)
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('');
}

/** What the real API would refuse in any request: a body shaped like OpenAI's rather than Anthropic's. */
function shapeProblem(body: Record<string, any>): string | undefined {
  if (body.model !== MODEL) return `model should be ${MODEL}, got ${JSON.stringify(body.model)}`;
  if (typeof body.max_tokens !== 'number') return 'max_tokens is required';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages must be a non-empty array';
  for (const key of ['response_format', 'stop', 'max_completion_tokens', 'user', 'stream_options', 'n', 'parallel_tool_calls', 'reasoning_effort']) {
    if (key in body) return `${key}: Extra inputs are not permitted`;
  }
  for (const [i, m] of body.messages.entries()) {
    if (m.role !== 'user' && m.role !== 'assistant') return `messages.${i}.role: unexpected role ${JSON.stringify(m.role)}`;
    if (i > 0 && body.messages[i - 1].role === m.role) return `messages.${i}: roles must alternate between "user" and "assistant"`;
  }
  if (body.messages[0].role !== 'user') return 'messages.0.role: first message must use the "user" role';
  return undefined;
}

const isWeatherTool = (tool: Block | undefined) =>
  tool?.name === 'get_weather' && tool.input_schema?.type === 'object' && tool.input_schema?.properties?.city?.type === 'string' && !('function' in tool);

function answer(body: Record<string, any>, scenario: Scenario | undefined): Answer {
  const messages: Block[] = body.messages;
  switch (scenario) {
    case 'plain':
    case 'stream-text':
      return { text: PLAIN_TEXT, stop: 'end_turn' };
    case 'system':
      return typeof body.system === 'string' ? { text: `system=${body.system}`, stop: 'end_turn' } : { problem: `system should be a string, got ${JSON.stringify(body.system)}` };
    case 'multi-turn': {
      const roles = messages.map((m) => m.role).join(',');
      return roles === 'user,assistant,user' && body.system === undefined ? { text: `turns=${messages.length}`, stop: 'end_turn' } : { problem: `unexpected turns ${roles}` };
    }
    case 'image': {
      const image = blocksOf(messages[0].content).find((b) => b.type === 'image');
      const ok = image?.source?.type === 'base64' && image.source.media_type === 'image/png' && image.source.data === TINY_PNG_BASE64;
      return ok ? { text: `image=${image.source.media_type}`, stop: 'end_turn' } : { problem: `no base64 image block in ${JSON.stringify(messages[0].content)}` };
    }
    case 'tool-call':
    case 'stream-tool':
    case 'parallel-tools': {
      if (!isWeatherTool(body.tools?.[0])) return { problem: `tool get_weather not declared natively: ${JSON.stringify(body.tools)}` };
      const cities = scenario === 'parallel-tools' ? ['Paris', 'London'] : ['Paris'];
      return { calls: cities.map((city, i) => ({ id: `toolu_conf${i + 1}`, input: { city } })) };
    }
    case 'tool-result': {
      const call = blocksOf(messages[1]?.content).find((b) => b.type === 'tool_use');
      if (messages[1]?.role !== 'assistant' || call?.id !== 'call_1' || call.name !== 'get_weather' || call.input?.city !== 'Paris') {
        return { problem: `assistant tool_use call_1 missing: ${JSON.stringify(messages[1])}` };
      }
      const result = blocksOf(messages[2]?.content).find((b) => b.type === 'tool_result');
      if (messages[2]?.role !== 'user' || result?.tool_use_id !== 'call_1') return { problem: `tool_result for call_1 missing: ${JSON.stringify(messages[2])}` };
      const content = typeof result.content === 'string' ? result.content : textOf(result.content);
      return { text: `tool=${content}`, stop: 'end_turn' };
    }
    case 'json':
      // Anthropic has no JSON-mode switch: json_object must arrive as a plain request.
      return { text: '{"ok":true}', stop: 'end_turn' };
    case 'stop':
      return JSON.stringify(body.stop_sequences) === '["END"]' ? { text: 'partial', stop: 'stop_sequence', stopSequence: 'END' } : { problem: `stop_sequences ${JSON.stringify(body.stop_sequences)}` };
    case 'max-tokens':
      return body.max_tokens === 5 ? { text: 'cut', stop: 'max_tokens' } : { problem: `max_tokens ${body.max_tokens}` };
    default:
      return { problem: `unknown scenario in "${textOf(messages[0]?.content)}"` };
  }
}

const USAGE = { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5 };

function message(result: Exclude<Answer, { problem: string }>) {
  const content = 'text' in result ? [{ type: 'text', text: result.text }] : result.calls.map((c) => ({ type: 'tool_use', id: c.id, name: 'get_weather', input: c.input }));
  return {
    id: 'msg_conf01',
    type: 'message',
    role: 'assistant',
    model: MODEL,
    content,
    stop_reason: 'text' in result ? result.stop : 'tool_use',
    stop_sequence: 'text' in result ? (result.stopSequence ?? null) : null,
    usage: USAGE,
  };
}

function streamEvents(result: Exclude<Answer, { problem: string }>): Array<{ event: string; data: unknown }> {
  const ev = (event: string, data: object) => ({ event, data: { type: event, ...data } });
  const start = { ...message(result), content: [], stop_reason: null, stop_sequence: null, usage: { ...USAGE, output_tokens: 1 } };
  const events = [ev('message_start', { message: start }), ev('ping', {})];
  if ('text' in result) {
    events.push(ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
    for (const piece of pieces(result.text, 3)) events.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }));
    events.push(ev('content_block_stop', { index: 0 }));
  } else {
    result.calls.forEach((c, index) => {
      events.push(ev('content_block_start', { index, content_block: { type: 'tool_use', id: c.id, name: 'get_weather', input: {} } }));
      events.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } }));
      for (const part of pieces(JSON.stringify(c.input), 2)) events.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } }));
      events.push(ev('content_block_stop', { index }));
    });
  }
  const stop = 'text' in result ? result.stop : 'tool_use';
  events.push(ev('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: USAGE.output_tokens } }));
  events.push(ev('message_stop', {}));
  return events;
}

async function handle(req: FakeRequest, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST' || req.path !== '/v1/messages') return error(res, 404, 'not_found_error', `Not found: ${req.method} ${req.path}`);
  if (req.headers['x-api-key'] !== KEY) return error(res, 401, 'authentication_error', 'invalid x-api-key');
  if (req.headers['anthropic-version'] !== '2023-06-01') return error(res, 400, 'invalid_request_error', 'conformance fake: anthropic-version header must be 2023-06-01');
  if (!String(req.headers['content-type']).startsWith('application/json') || !req.json) return error(res, 400, 'invalid_request_error', 'conformance fake: body must be JSON');
  const body = req.json as Record<string, any>;
  const problem = shapeProblem(body);
  if (problem) return error(res, 400, 'invalid_request_error', `conformance fake: ${problem}`);
  const scenario = scenarioOf(textOf(body.messages[0].content));
  switch (scenario) {
    case 'error-401':
      return error(res, 401, 'authentication_error', 'invalid x-api-key');
    case 'error-429':
      return error(res, 429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { 'retry-after': '7' });
    case 'error-context':
      return error(res, 400, 'invalid_request_error', 'prompt is too long: 210443 tokens > 200000 maximum');
    case 'error-500':
      return error(res, 500, 'api_error', 'Internal server error');
    case 'error-overloaded':
      return error(res, 529, 'overloaded_error', 'Overloaded');
  }
  const result = answer(body, scenario);
  if ('problem' in result) return error(res, 400, 'invalid_request_error', `conformance fake: ${result.problem}`);
  if (scenario === 'stream-text' || scenario === 'stream-tool') {
    if (body.stream !== true) return error(res, 400, 'invalid_request_error', 'conformance fake: stream should be true');
    res.setHeader('request-id', requestId());
    return sendSse(res, streamEvents(result));
  }
  if ('stream' in body) return error(res, 400, 'invalid_request_error', `conformance fake: unexpected stream ${JSON.stringify(body.stream)}`);
  sendJson(res, 200, message(result), { 'request-id': requestId() });
}

export async function startFake(): Promise<ConformanceFake> {
  const server = await startFakeServer(handle);
  return {
    provider: 'anthropic',
    litellmParams: { model: `anthropic/${MODEL}`, api_base: server.url, api_key: KEY },
    close: server.close,
  };
}
