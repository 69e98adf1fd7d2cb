import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAIN_TEXT, TINY_PNG_BASE64, scenarioOf, type ConformanceFake, type Scenario } from '../conformance-contract';
import { pieces, sendJson, sendSse, startFakeServer, type FakeRequest } from '../fake-http';
import { googleError } from './gemini-wire';
import { FakeGoogleOAuth } from './google-oauth';

/**
 * Claude on Vertex AI (cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude): `POST /v1/projects/
 * {project}/locations/{location}/publishers/anthropic/models/{model}:rawPredict` (and `:streamRawPredict`
 * for `stream: true`) with an Anthropic Messages body that names no `model` and carries
 * `anthropic_version: "vertex-2023-10-16"`; answers are Anthropic's `message` JSON and SSE events. Google's
 * front end answers authentication and quota errors in Google's shape; the model's own errors (prompt too
 * long, overloaded) come in Anthropic's.
 */
const PROJECT = 'tollgate-claude-conf';
const LOCATION = 'europe-west1';
const MODEL = 'claude-conf@20250101';
const MODEL_PATH = `/v1/projects/${PROJECT}/locations/${LOCATION}/publishers/anthropic/models/${MODEL}`;

type Block = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Answer = { text: string; stop: string } | { calls: Array<{ city: string }> } | { problem: string };

const anthropicError = (res: ServerResponse, status: number, type: string, message: string) => sendJson(res, status, { type: 'error', error: { type, message } });
const blocks = (content: unknown): Block[] => (typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? content : []);
const textOf = (content: unknown) =>
  blocks(content)
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('');

function shapeProblem(body: Block): string | undefined {
  if ('model' in body) return 'model: Extra inputs are not permitted (the model is in the URL)';
  if (body.anthropic_version !== 'vertex-2023-10-16') return `anthropic_version must be vertex-2023-10-16, got ${JSON.stringify(body.anthropic_version)}`;
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  for (const key of ['response_format', 'stop', 'max_completion_tokens', 'stream_options', 'n', 'parallel_tool_calls', 'user', 'reasoning_effort']) if (key in body) return `${key}: Extra inputs are not permitted`;
  const messages: Block[] = Array.isArray(body.messages) ? body.messages : [];
  if (messages[0]?.role !== 'user') return 'messages.0.role: first message must use the "user" role';
  for (let i = 1; i < messages.length; i++) if (messages[i].role === messages[i - 1].role) return `messages.${i}: roles must alternate between "user" and "assistant"`;
  return undefined;
}

function answer(body: Block, scenario: Scenario | undefined): Answer {
  const messages: Block[] = body.messages;
  switch (scenario) {
    case 'plain':
    case 'stream-text':
      return { text: PLAIN_TEXT, stop: 'end_turn' };
    case 'system':
      return typeof body.system === 'string' ? { text: `system=${body.system}`, stop: 'end_turn' } : { problem: 'system prompt missing' };
    case 'multi-turn':
      return { text: `turns=${messages.length}`, stop: 'end_turn' };
    case 'image': {
      const source = blocks(messages[0].content).find((b) => b.type === 'image')?.source;
      return source?.type === 'base64' && source.media_type === 'image/png' && source.data === TINY_PNG_BASE64 ? { text: 'image=image/png', stop: 'end_turn' } : { problem: 'base64 image block missing' };
    }
    case 'tool-call':
    case 'stream-tool':
    case 'parallel-tools': {
      const tool = body.tools?.[0];
      if (tool?.name !== 'get_weather' || tool.input_schema?.properties?.city?.type !== 'string') return { problem: 'tool get_weather with input_schema missing' };
      return { calls: scenario === 'parallel-tools' ? [{ city: 'Paris' }, { city: 'London' }] : [{ city: 'Paris' }] };
    }
    case 'tool-result': {
      const call = blocks(messages[1]?.content).find((b) => b.type === 'tool_use');
      const result = blocks(messages[2]?.content).find((b) => b.type === 'tool_result');
      if (call?.id !== 'call_1' || call.input?.city !== 'Paris' || result?.tool_use_id !== 'call_1') return { problem: 'tool_use call_1 and its tool_result missing' };
      return { text: `tool=${typeof result.content === 'string' ? result.content : textOf(result.content)}`, stop: 'end_turn' };
    }
    case 'json':
      return { text: '{"ok":true}', stop: 'end_turn' };
    case 'stop':
      return JSON.stringify(body.stop_sequences) === '["END"]' ? { text: 'partial', stop: 'stop_sequence' } : { problem: 'stop_sequences missing' };
    case 'max-tokens':
      return body.max_tokens === 5 ? { text: 'cut', stop: 'max_tokens' } : { problem: 'max_tokens is not 5' };
    default:
      return { problem: `unknown scenario in "${textOf(messages[0]?.content)}"` };
  }
}

const USAGE = { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5 };

function message(result: Exclude<Answer, { problem: string }>): Block {
  const content = 'text' in result ? [{ type: 'text', text: result.text }] : result.calls.map((input, i) => ({ type: 'tool_use', id: `toolu_vrtx_0${i + 1}`, name: 'get_weather', input }));
  const stop = 'text' in result ? result.stop : 'tool_use';
  return { id: 'msg_vrtx_01conf', type: 'message', role: 'assistant', model: 'claude-conf', content, stop_reason: stop, stop_sequence: stop === 'stop_sequence' ? 'END' : null, usage: USAGE };
}

function streamEvents(result: Exclude<Answer, { problem: string }>): Array<{ event: string; data: unknown }> {
  const ev = (event: string, data: object) => ({ event, data: { type: event, ...data } });
  const whole = message(result);
  const events = [ev('message_start', { message: { ...whole, content: [], stop_reason: null, stop_sequence: null, usage: { ...USAGE, output_tokens: 1 } } }), ev('ping', {})];
  (whole.content as Block[]).forEach((block, index) => {
    if (block.type === 'text') {
      events.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      for (const piece of pieces(block.text, 3)) events.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }));
    } else {
      events.push(ev('content_block_start', { index, content_block: { ...block, input: {} } }));
      for (const part of pieces(JSON.stringify(block.input), 2)) events.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } }));
    }
    events.push(ev('content_block_stop', { index }));
  });
  events.push(ev('message_delta', { delta: { stop_reason: whole.stop_reason, stop_sequence: whole.stop_sequence }, usage: { output_tokens: USAGE.output_tokens } }));
  events.push(ev('message_stop', {}));
  return events;
}

function servePredict(req: FakeRequest, res: ServerResponse, oauth: FakeGoogleOAuth, stream: boolean): void {
  const body = req.json as Block;
  const problem = shapeProblem(body ?? {});
  if (problem) return anthropicError(res, 400, 'invalid_request_error', `conformance fake: ${problem}`);
  if ((body.stream === true) !== stream) return anthropicError(res, 400, 'invalid_request_error', 'conformance fake: stream must be true on streamRawPredict only');
  const scenario = scenarioOf(textOf(body.messages[0].content));
  switch (scenario) {
    case 'error-401':
      return oauth.unauthenticated(res);
    case 'error-429':
      return googleError(res, 429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for aiplatform.googleapis.com/online_prediction_input_tokens_per_minute_per_base_model with base model: anthropic-claude-conf. Please submit a quota increase request.', [], { 'retry-after': '7' });
    case 'error-context':
      return anthropicError(res, 400, 'invalid_request_error', 'prompt is too long: 210443 tokens > 200000 maximum');
    case 'error-500':
      return anthropicError(res, 500, 'api_error', 'Internal server error');
    case 'error-overloaded':
      return anthropicError(res, 529, 'overloaded_error', 'Overloaded');
  }
  const result = answer(body, scenario);
  if ('problem' in result) return anthropicError(res, 400, 'invalid_request_error', `conformance fake: ${result.problem}`);
  return stream ? sendSse(res, streamEvents(result)) : sendJson(res, 200, message(result));
}

export async function startFake(): Promise<ConformanceFake> {
  const oauth = new FakeGoogleOAuth(PROJECT);
  const server = await startFakeServer((req, res) => {
    if (req.method === 'POST' && req.path === '/token') return oauth.token(req, res);
    if (!oauth.authorized(req)) return oauth.unauthenticated(res);
    if (req.path === `${MODEL_PATH}:rawPredict`) return servePredict(req, res, oauth, false);
    if (req.path === `${MODEL_PATH}:streamRawPredict`) return servePredict(req, res, oauth, true);
    return googleError(res, 404, 'NOT_FOUND', `Publisher Model \`${req.path}\` was not found or your project does not have access to it.`);
  });
  // The key comes from a file (as with GOOGLE_APPLICATION_CREDENTIALS) and the project from the key itself.
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-vertex-claude-'));
  const keyFile = join(dir, 'service-account.json');
  writeFileSync(keyFile, JSON.stringify(oauth.serviceAccount(`${server.url}/token`)), { mode: 0o600 });
  return {
    provider: 'vertex_ai',
    litellmParams: { model: `vertex_ai/${MODEL}`, api_base: server.url, vertex_location: LOCATION, vertex_credentials: keyFile },
    close: async () => {
      rmSync(dir, { recursive: true, force: true });
      await server.close();
    },
  };
}
