import type { ServerResponse } from 'node:http';
import { PLAIN_TEXT, scenarioOf, type ConformanceFake, type Scenario } from '../conformance-contract';
import { pieces, sendJson, startFakeServer, type FakeRequest } from '../fake-http';
import { FINAL_STATS, OLLAMA_KEY, commonProblem, imageType, ollamaError, sendEmbed, sendNdjson, sendScenarioError } from './ollama_chat.fake';

/**
 * Ollama's native API, `/api/generate` flavour (github.com/ollama/ollama/blob/main/docs/api.md): one
 * `prompt` string plus `system`, `images` (raw base64), `format`, `options`; answers `{response, done,
 * done_reason, context, prompt_eval_count, eval_count}` or NDJSON lines of `response` pieces. The endpoint
 * has no tools, so the tool scenarios are refused by the gateway with a 400. LiteLLM's `ollama/` flattens a
 * conversation into the prompt as `### User:` / `### Assistant:` turns; a lone user message is sent as it is.
 */
const MODEL = 'llama-conf:8b';
const EMBED_MODEL = 'nomic-embed-conf';
const CREATED = '2023-08-04T19:22:45.499127Z';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The turns of a flattened prompt (a prompt without turn headers is one user turn). */
function turnsOf(prompt: string): Array<{ role: string; text: string }> {
  if (!prompt.startsWith('### ')) return [{ role: 'User', text: prompt }];
  return prompt
    .split(/\n\n(?=### (?:User|Assistant):\n)/)
    .map((block) => /^### (User|Assistant):\n([\s\S]*)$/.exec(block))
    .map((m) => ({ role: m?.[1] ?? '?', text: m?.[2] ?? '' }));
}

type Answer = { text: string; reason: string } | { problem: string };

function answer(body: Json, scenario: Scenario | undefined, turns: Array<{ role: string; text: string }>): Answer {
  const problem = commonProblem(body);
  if (problem) return { problem };
  if ('messages' in body || 'tools' in body) return { problem: '/api/generate takes a prompt, not messages or tools' };
  switch (scenario) {
    case 'plain':
    case 'stream-text':
      return { text: PLAIN_TEXT, reason: 'stop' };
    case 'system':
      return typeof body.system === 'string' ? { text: `system=${body.system}`, reason: 'stop' } : { problem: 'system missing' };
    case 'multi-turn': {
      const spoken = turns.filter((t) => t.text.trim() !== '');
      const roles = spoken.map((t) => t.role).join(',');
      return roles === 'User,Assistant,User' ? { text: `turns=${spoken.length}`, reason: 'stop' } : { problem: `turns were ${roles}` };
    }
    case 'image': {
      const type = imageType(body.images?.[0]);
      return type ? { text: `image=${type}`, reason: 'stop' } : { problem: 'images[0] with the PNG base64 data missing' };
    }
    case 'json':
      return body.format === 'json' ? { text: '{"ok":true}', reason: 'stop' } : { problem: 'format "json" missing' };
    case 'stop':
      return JSON.stringify(body.options?.stop) === '["END"]' ? { text: 'partial', reason: 'stop' } : { problem: 'options.stop missing' };
    case 'max-tokens':
      return body.options?.num_predict === 5 ? { text: 'cut', reason: 'length' } : { problem: 'options.num_predict missing' };
    default:
      return { problem: `unexpected scenario in prompt "${String(body.prompt).slice(0, 60)}"` };
  }
}

async function handle(req: FakeRequest, res: ServerResponse): Promise<void> {
  if (req.headers.authorization !== `Bearer ${OLLAMA_KEY}`) return ollamaError(res, 401, 'unauthorized');
  if (req.path === '/api/embed') return sendEmbed(req, res, EMBED_MODEL);
  if (req.path !== '/api/generate') return ollamaError(res, 404, '404 page not found');
  const body = req.json;
  if (body?.model !== MODEL) return ollamaError(res, 404, `model "${String(body?.model)}" not found, try pulling it first`);
  if (typeof body.prompt !== 'string') return ollamaError(res, 400, 'conformance fake: prompt must be a string');
  const turns = turnsOf(body.prompt);
  const scenario = scenarioOf(turns[0]?.text ?? '');
  if (sendScenarioError(res, scenario)) return;
  const result = answer(body, scenario, turns);
  if ('problem' in result) return ollamaError(res, 400, `conformance fake: ${result.problem}`);
  const base = { model: MODEL, created_at: CREATED };
  const final = { ...base, response: '', done: true, done_reason: result.reason, context: [1, 2, 3], ...FINAL_STATS };
  if (body.stream !== false) {
    return sendNdjson(res, [...pieces(result.text, 3).map((piece) => ({ ...base, response: piece, done: false })), final]);
  }
  sendJson(res, 200, { ...final, response: result.text });
}

export async function startFake(): Promise<ConformanceFake> {
  const server = await startFakeServer(handle);
  return {
    provider: 'ollama',
    litellmParams: { model: `ollama/${MODEL}`, api_base: server.url, api_key: OLLAMA_KEY },
    embeddingParams: { model: `ollama/${EMBED_MODEL}`, api_base: server.url, api_key: OLLAMA_KEY },
    unsupported: { 'tool-call': '400', 'parallel-tools': '400', 'tool-result': '400', 'stream-tool': '400' },
    close: server.close,
  };
}
