import type { FakeRequest } from '../fake-http';
import type { ConformanceFake } from '../conformance-contract';
import { bearer, startOpenAIWireFake, type NativeReply } from '../openai-wire-fake';

/**
 * Mistral's API (docs.mistral.ai/api): OpenAI-like chat completions with a strict schema (unknown fields are
 * refused with 422 `extra_forbidden`), `random_seed`, 9-character alphanumeric tool-call ids, usage in the
 * last stream chunk, and `{"object":"error",...}` error bodies.
 */
const KEY = 'mistral-conformance-key';
const CHAT_FIELDS = new Set(['model', 'messages', 'temperature', 'top_p', 'max_tokens', 'stream', 'stop', 'random_seed', 'metadata', 'response_format', 'tools', 'tool_choice', 'presence_penalty', 'frequency_penalty', 'n', 'prediction', 'parallel_tool_calls', 'prompt_mode', 'safe_prompt']);
const MESSAGE_FIELDS: Record<string, Set<string>> = {
  system: new Set(['role', 'content']),
  user: new Set(['role', 'content']),
  assistant: new Set(['role', 'content', 'tool_calls', 'prefix']),
  tool: new Set(['role', 'content', 'tool_call_id', 'name']),
};
const EMBEDDING_FIELDS = new Set(['model', 'input', 'metadata', 'output_dimension', 'output_dtype', 'encoding_format']);
const CALL_ID = /^[A-Za-z0-9]{9}$/;

const mistralError = (status: number, message: unknown, type: string, code: string | null, headers: Record<string, string> = {}): NativeReply => ({
  status,
  body: { object: 'error', message, type, param: null, code },
  headers,
});

/** Mistral's request validation: the first field outside its schema, as its 422 reports it. */
function forbiddenField(req: FakeRequest): string | undefined {
  const body = req.json as Record<string, unknown>;
  const allowed = req.path.endsWith('/embeddings') ? EMBEDDING_FIELDS : CHAT_FIELDS;
  const extra = Object.keys(body).find((key) => !allowed.has(key));
  if (extra) return `body.${extra}: Extra inputs are not permitted`;
  for (const [i, message] of ((body.messages ?? []) as Array<Record<string, unknown>>).entries()) {
    const bad = Object.keys(message).find((key) => !MESSAGE_FIELDS[message.role as string]?.has(key));
    if (bad) return `body.messages.${i}.${message.role}.${bad}: Extra inputs are not permitted`;
    const ids = [message.tool_call_id, ...((message.tool_calls as Array<{ id?: string }> | undefined) ?? []).map((c) => c.id)].filter((id) => id !== undefined);
    const badId = ids.find((id) => typeof id !== 'string' || !CALL_ID.test(id));
    if (badId !== undefined) return `Tool call id was ${String(badId)} but must be a-z, A-Z, 0-9, with a length of 9.`;
  }
  return undefined;
}

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/v1/chat/completions',
    embeddingsPath: '/v1/embeddings',
    authorized: bearer(KEY),
    check: forbiddenField,
    badRequest: (message) => mistralError(400, message, 'invalid_request_error', null),
    errors: {
      'error-401': { status: 401, body: { message: 'Unauthorized', request_id: 'b7f3c0de5a' } },
      'error-429': mistralError(429, 'Requests rate limit exceeded', 'rate_limited', '1300', { 'retry-after': '7' }),
      'error-context': mistralError(400, 'Prompt contains 140000 tokens and 0 draft tokens, too large for model with 131072 maximum context length', 'invalid_request_message_error', '3051'),
      'error-500': mistralError(500, 'Internal server error', 'internal_server_error', '1000'),
      'error-overloaded': mistralError(503, 'Service unavailable, the model is overloaded', 'service_unavailable', '1000'),
    },
    streamUsage: 'finish-chunk',
    toolCallIds: ['D681PevKs', 'Xq2pL9m4T'],
    acceptsCallId: (id) => CALL_ID.test(id),
  });
  return {
    provider: 'mistral',
    litellmParams: { model: 'mistral/mistral-small-latest', api_base: `${server.url}/v1`, api_key: KEY },
    embeddingParams: { model: 'mistral/mistral-embed', api_base: `${server.url}/v1`, api_key: KEY },
    close: server.close,
  };
}
