import { createHash } from 'node:crypto';
import type { ChatCompletionRequest, ChatMessage } from '../provider.types';

/** OpenAI parameter names Mistral spells differently (its API refuses the OpenAI names). */
export const MISTRAL_RENAMES: Readonly<Record<string, string>> = {
  max_completion_tokens: 'max_tokens',
  seed: 'random_seed',
  dimensions: 'output_dimension',
};

/** Mistral accepts tool-call ids of exactly 9 letters and digits (mistral-common's validator). */
const MISTRAL_CALL_ID = /^[A-Za-z0-9]{9}$/;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A stable Mistral-shaped id for a foreign tool-call id (`call_abc...` from OpenAI), the same for the call and its result. */
export function mistralToolCallId(id: string): string {
  if (MISTRAL_CALL_ID.test(id)) return id;
  const digest = createHash('sha256').update(id).digest();
  let out = '';
  for (let i = 0; i < 9; i++) out += ALPHANUMERIC[digest[i] % ALPHANUMERIC.length];
  return out;
}

function toMistralMessage(message: ChatMessage): ChatMessage {
  let out = message;
  // Only tool messages may carry `name`; Mistral refuses it (extra_forbidden) on the others.
  if (message.name !== undefined && message.role !== 'tool') {
    const { name: _name, ...rest } = message;
    out = rest as ChatMessage;
  }
  if (Array.isArray(message.tool_calls)) {
    const calls = message.tool_calls as Array<{ id?: unknown }>;
    if (calls.some((call) => typeof call.id === 'string' && !MISTRAL_CALL_ID.test(call.id))) {
      out = Object.assign({}, out, { tool_calls: calls.map((call) => (typeof call.id === 'string' ? Object.assign({}, call, { id: mistralToolCallId(call.id) }) : call)) });
    }
  }
  if (typeof message.tool_call_id === 'string' && !MISTRAL_CALL_ID.test(message.tool_call_id)) {
    out = Object.assign({}, out, { tool_call_id: mistralToolCallId(message.tool_call_id) });
  }
  return out;
}

/**
 * An OpenAI chat request as Mistral's chat-completions API accepts it: Mistral refuses any field outside its
 * schema (HTTP 422 `extra_forbidden`), so `stream_options` (Mistral always reports usage in its last stream
 * chunk) and `name` on non-tool messages are removed, and tool-call ids are made Mistral-shaped. Returns the
 * request itself when nothing needs changing.
 */
export function toMistralRequest(request: ChatCompletionRequest): ChatCompletionRequest {
  let messages = request.messages;
  for (let i = 0; i < messages.length; i++) {
    const converted = toMistralMessage(messages[i]);
    if (converted !== messages[i]) {
      if (messages === request.messages) messages = [...messages];
      messages[i] = converted;
    }
  }
  if (messages === request.messages && request.stream_options === undefined) return request;
  const { stream_options: _streamOptions, ...rest } = request;
  return Object.assign(rest, { messages });
}

