import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { EMBEDDINGS, PLAIN_TEXT, TINY_PNG_BASE64, scenarioOf, type ConformanceFake, type Scenario } from '../conformance-contract';
import { pieces, sendJson, startFakeServer, type FakeRequest } from '../fake-http';

/**
 * Ollama's native API (github.com/ollama/ollama/blob/main/docs/api.md), `/api/chat` flavour: JSON bodies,
 * `stream` defaulting to true (so a client that wants one JSON object must say `stream: false`), NDJSON
 * streams (`application/x-ndjson`, one object per line, the last with `done: true` and the token counts),
 * tool calls with arguments as objects, `options` for sampling, `format` for JSON output, `/api/embed`, and
 * error bodies `{"error": "..."}`. Ollama itself has no auth; this fake stands for a deployment behind a
 * Bearer-token check (Ollama's cloud, or an auth proxy), which answers 401 `{"error": "unauthorized"}`.
 * The helpers are shared with the `/api/generate` fake.
 */
export const OLLAMA_KEY = 'ollama-conformance-key';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const ollamaError = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
  sendJson(res, status, { error: message }, headers);

/** OpenAI spellings that must not reach Ollama: they belong in `options` / `format` or nowhere. */
const OPENAI_ONLY = ['max_tokens', 'max_completion_tokens', 'stop', 'temperature', 'top_p', 'seed', 'response_format', 'stream_options', 'user', 'tool_choice'];

/** A problem with the common parts of a native request, or undefined. */
export function commonProblem(body: Json): string | undefined {
  const leaked = OPENAI_ONLY.filter((k) => k in body);
  if (leaked.length > 0) return `OpenAI-only fields sent to Ollama: ${leaked.join(', ')}`;
  return undefined;
}

/** Native errors for the error scenarios; true when one was sent. */
export function sendScenarioError(res: ServerResponse, scenario: Scenario | undefined): boolean {
  switch (scenario) {
    case 'error-401':
      ollamaError(res, 401, 'unauthorized');
      return true;
    case 'error-429':
      ollamaError(res, 429, 'too many requests: you have reached your usage limit, please try again later', { 'retry-after': '7' });
      return true;
    case 'error-context':
      ollamaError(res, 400, 'the input length exceeds the context length');
      return true;
    case 'error-500':
      ollamaError(res, 500, 'llama runner process has terminated: exit status 2');
      return true;
    case 'error-overloaded':
      ollamaError(res, 503, 'server busy, please try again.  maximum pending requests exceeded');
      return true;
    default:
      return false;
  }
}

/** The media type of base64 image data, told by its magic bytes (Ollama takes raw base64, no data URL). */
export function imageType(base64: unknown): string | undefined {
  if (typeof base64 !== 'string' || base64 !== TINY_PNG_BASE64) return undefined;
  return Buffer.from(base64, 'base64').subarray(1, 4).toString('latin1') === 'PNG' ? 'image/png' : undefined;
}

/**
 * Writes NDJSON lines the way a real connection may deliver them: each line cut in two, the halves written
 * apart, so the client must reassemble lines that span network chunks.
 */
export async function sendNdjson(res: ServerResponse, lines: Json[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const line of lines) {
    const text = `${JSON.stringify(line)}\n`;
    const cut = Math.floor(text.length / 2);
    res.write(text.slice(0, cut));
    await sleep(1);
    res.write(text.slice(cut));
  }
  res.end();
}

export const FINAL_STATS = { total_duration: 5_043_500_667, load_duration: 5_025_959, prompt_eval_count: 10, prompt_eval_duration: 325_953_000, eval_count: 5, eval_duration: 4_709_213_000 };

export function sendEmbed(req: FakeRequest, res: ServerResponse, model: string): void {
  if (req.json?.model !== model || JSON.stringify(req.json.input) !== '["alpha","beta"]') return ollamaError(res, 400, 'conformance fake: expected the model and input ["alpha","beta"]');
  sendJson(res, 200, { model, embeddings: EMBEDDINGS, total_duration: 14_143_917, load_duration: 1_019_500, prompt_eval_count: 4 });
}

const MODEL = 'llama-conf:8b';
const EMBED_MODEL = 'nomic-embed-conf';
const CREATED = '2024-07-22T20:33:28.123648Z';

type Answer = { text: string; reason: string } | { calls: Json[] } | { problem: string };

function answer(body: Json, scenario: Scenario | undefined): Answer {
  const messages: Json[] = body.messages;
  const problem = commonProblem(body);
  if (problem) return { problem };
  if (messages.some((m) => typeof m.content !== 'string')) return { problem: 'message content must be a string' };
  switch (scenario) {
    case 'plain':
    case 'stream-text':
      return { text: PLAIN_TEXT, reason: 'stop' };
    case 'system':
      return messages[0]?.role === 'system' ? { text: `system=${messages[0].content}`, reason: 'stop' } : { problem: 'no system message first' };
    case 'multi-turn': {
      const roles = messages.map((m) => m.role).join(',');
      return roles === 'user,assistant,user' ? { text: `turns=${messages.length}`, reason: 'stop' } : { problem: `roles were ${roles}` };
    }
    case 'image': {
      const type = imageType(messages[0]?.images?.[0]);
      return type && messages[0].content === '[[image]] what is this?' ? { text: `image=${type}`, reason: 'stop' } : { problem: 'images[0] with the PNG base64 data missing' };
    }
    case 'tool-call':
    case 'stream-tool':
    case 'parallel-tools': {
      const tool = body.tools?.[0];
      if (tool?.type !== 'function' || tool.function?.name !== 'get_weather' || tool.function?.parameters?.properties?.city?.type !== 'string') return { problem: 'tool get_weather not declared' };
      const cities = scenario === 'parallel-tools' ? ['Paris', 'London'] : ['Paris'];
      // Older servers send no call ids; the gateway must make them up.
      return { calls: cities.map((city, index) => ({ function: { index, name: 'get_weather', arguments: { city } } })) };
    }
    case 'tool-result': {
      const [, assistant, tool] = messages;
      const call = assistant?.tool_calls?.[0]?.function;
      if (assistant?.role !== 'assistant' || call?.name !== 'get_weather' || JSON.stringify(call.arguments) !== '{"city":"Paris"}') {
        return { problem: 'assistant tool call with object arguments {"city":"Paris"} missing' };
      }
      return tool?.role === 'tool' && tool.tool_name === 'get_weather' ? { text: `tool=${tool.content}`, reason: 'stop' } : { problem: 'tool result with tool_name get_weather missing' };
    }
    case 'json':
      return body.format === 'json' ? { text: '{"ok":true}', reason: 'stop' } : { problem: 'format "json" missing' };
    case 'stop':
      return JSON.stringify(body.options?.stop) === '["END"]' ? { text: 'partial', reason: 'stop' } : { problem: 'options.stop missing' };
    case 'max-tokens':
      return body.options?.num_predict === 5 ? { text: 'cut', reason: 'length' } : { problem: 'options.num_predict missing' };
    default:
      return { problem: `unknown scenario in "${String(messages[0]?.content)}"` };
  }
}

async function handle(req: FakeRequest, res: ServerResponse): Promise<void> {
  if (req.headers.authorization !== `Bearer ${OLLAMA_KEY}`) return ollamaError(res, 401, 'unauthorized');
  if (req.path === '/api/embed') return sendEmbed(req, res, EMBED_MODEL);
  if (req.path !== '/api/chat') return ollamaError(res, 404, '404 page not found');
  const body = req.json;
  if (body?.model !== MODEL) return ollamaError(res, 404, `model "${String(body?.model)}" not found, try pulling it first`);
  const firstUser = body.messages.find((m: Json) => m.role === 'user');
  const scenario = scenarioOf(String(firstUser?.content ?? ''));
  if (sendScenarioError(res, scenario)) return;
  const result = answer(body, scenario);
  if ('problem' in result) return ollamaError(res, 400, `conformance fake: ${result.problem}`);
  const base = { model: MODEL, created_at: CREATED };
  const final = { ...base, message: { role: 'assistant', content: '' }, done_reason: 'text' in result ? result.reason : 'stop', done: true, ...FINAL_STATS };
  if (body.stream !== false) {
    const lines: Json[] =
      'text' in result
        ? pieces(result.text, 3).map((piece) => ({ ...base, message: { role: 'assistant', content: piece }, done: false }))
        : [{ ...base, message: { role: 'assistant', content: '', tool_calls: result.calls }, done: false }];
    return sendNdjson(res, [...lines, final]);
  }
  const message = 'text' in result ? { role: 'assistant', content: result.text } : { role: 'assistant', content: '', tool_calls: result.calls };
  sendJson(res, 200, { ...final, message });
}

export async function startFake(): Promise<ConformanceFake> {
  const server = await startFakeServer(handle);
  return {
    provider: 'ollama_chat',
    litellmParams: { model: `ollama_chat/${MODEL}`, api_base: server.url, api_key: OLLAMA_KEY },
    embeddingParams: { model: `ollama_chat/${EMBED_MODEL}`, api_base: server.url, api_key: OLLAMA_KEY },
    close: server.close,
  };
}
