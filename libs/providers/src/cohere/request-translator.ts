import { badRequest } from '@tollgate/common';
import type { ChatMessage } from '../provider.types';
import { OPENAI_CHAT_PARAMS } from '../shared/openai-params';
import type { CohereChatRequest, CohereContentPart, CohereMessage, CohereTextPart, CohereTool, CohereToolCall } from './cohere.types';

/** OpenAI chat parameters Cohere's v2 chat honours (the gateway refuses or drops the others). */
export const COHERE_CHAT_PARAMS: ReadonlySet<string> = new Set([
  'frequency_penalty',
  'max_completion_tokens',
  'max_tokens',
  'parallel_tool_calls',
  'presence_penalty',
  'response_format',
  'seed',
  'stop',
  'stream_options',
  'temperature',
  'tool_choice',
  'tools',
  'top_p',
  'user',
]);

const OPENAI_KEYS = new Set(['model', 'messages', 'stream', ...OPENAI_CHAT_PARAMS]);

type Json = Record<string, unknown>;

/**
 * An OpenAI chat-completions request (already merged with the deployment's provider parameters) as a
 * Cohere v2 `/v2/chat` body. Keys that are not OpenAI's (`k`, `safety_mode`, `documents`, `thinking`, ...)
 * pass through untouched. What Cohere cannot express is refused with a 400 naming it.
 */
export function toCohereChatRequest(request: Json, model: string, stream: boolean): CohereChatRequest {
  const body: CohereChatRequest = { model, messages: cohereMessages(request.messages), stream };
  for (const [key, value] of Object.entries(request)) {
    if (value !== undefined && !OPENAI_KEYS.has(key)) body[key] = value;
  }
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (typeof maxTokens === 'number') body.max_tokens = maxTokens;
  if (typeof request.stop === 'string') body.stop_sequences = [request.stop];
  else if (Array.isArray(request.stop)) body.stop_sequences = request.stop as string[];
  if (typeof request.top_p === 'number') body.p = request.top_p;
  for (const key of ['temperature', 'seed', 'frequency_penalty', 'presence_penalty'] as const) {
    if (typeof request[key] === 'number') body[key] = request[key] as number;
  }
  if (request.response_format !== undefined && request.response_format !== null) body.response_format = responseFormat(request.response_format);
  if (request.parallel_tool_calls === false) {
    // Cohere decides on parallel calls itself; promising one call at most would be a lie.
    throw badRequest('cohere cannot turn off parallel tool calls (parallel_tool_calls: false).', 'parallel_tool_calls', 'unsupported_parameter');
  }
  if (Array.isArray(request.tools) && request.tools.length > 0) {
    body.tools = request.tools.map(cohereTool);
    if (request.tools.some((t: Json) => (t.function as Json | undefined)?.strict === true)) body.strict_tools ??= true;
  }
  applyToolChoice(body, request.tool_choice);
  return body;
}

function cohereMessages(messages: unknown): CohereMessage[] {
  if (!Array.isArray(messages)) throw badRequest('messages must be an array.', 'messages');
  return messages.map((m: ChatMessage, i) => cohereMessage(m, `messages[${i}]`));
}

function cohereMessage(m: ChatMessage, path: string): CohereMessage {
  switch (m.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textContent(m.content, path) };
    case 'user':
      return { role: 'user', content: userContent(m.content, path) };
    case 'assistant':
      return assistantMessage(m, path);
    case 'tool':
      if (typeof m.tool_call_id !== 'string') throw badRequest(`${path}.tool_call_id is required for tool messages.`, `${path}.tool_call_id`);
      return { role: 'tool', tool_call_id: m.tool_call_id, content: textContent(m.content, path) };
    default:
      throw badRequest(`cohere does not support messages with role "${m.role}".`, `${path}.role`);
  }
}

function assistantMessage(m: ChatMessage, path: string): CohereMessage {
  const text = plainText(m.content, path);
  const calls = Array.isArray(m.tool_calls) ? m.tool_calls.map((c: Json, i: number) => cohereToolCall(c, `${path}.tool_calls[${i}]`)) : [];
  if (calls.length === 0) return { role: 'assistant', content: text };
  // With tool calls, Cohere carries the model's accompanying text as the tool plan.
  return text ? { role: 'assistant', tool_plan: text, tool_calls: calls } : { role: 'assistant', tool_calls: calls };
}

function cohereToolCall(call: Json, path: string): CohereToolCall {
  const fn = call.function as Json | undefined;
  if (call.type !== undefined && call.type !== 'function') throw badRequest(`cohere supports only function tool calls (${path}.type).`, `${path}.type`);
  if (typeof call.id !== 'string' || typeof fn?.name !== 'string') throw badRequest(`${path} needs an id and a function name.`, path);
  return { id: call.id, type: 'function', function: { name: fn.name, arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}) } };
}

/** Text-only content (system and tool messages): a string stays a string, text parts stay parts. */
function textContent(content: unknown, path: string): string | CohereTextPart[] {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) throw badRequest(`${path}.content must be a string or an array of content parts.`, `${path}.content`);
  return content.map((part: Json, i) => {
    if (part.type !== 'text') throw badRequest(`cohere accepts only text parts here (${path}.content[${i}] is "${String(part.type)}").`, `${path}.content[${i}]`);
    return { type: 'text', text: String(part.text ?? '') };
  });
}

function userContent(content: unknown, path: string): string | CohereContentPart[] {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw badRequest(`${path}.content must be a string or an array of content parts.`, `${path}.content`);
  return content.map((part: Json, i): CohereContentPart => {
    if (part.type === 'text') return { type: 'text', text: String(part.text ?? '') };
    if (part.type === 'image_url') {
      const image = part.image_url as { url?: unknown; detail?: unknown } | undefined;
      if (typeof image?.url !== 'string') throw badRequest(`${path}.content[${i}].image_url.url is required.`, `${path}.content[${i}]`);
      return { type: 'image_url', image_url: typeof image.detail === 'string' ? { url: image.url, detail: image.detail } : { url: image.url } };
    }
    throw badRequest(`cohere does not support "${String(part.type)}" content parts (${path}.content[${i}]).`, `${path}.content[${i}]`, 'unsupported_content');
  });
}

/** The text of string or text-part content (assistant turns), joined. */
function plainText(content: unknown, path: string): string {
  const text = textContent(content, path);
  return typeof text === 'string' ? text : text.map((p) => p.text).join('');
}

function cohereTool(tool: Json, i: number): CohereTool {
  const fn = tool.function as Json | undefined;
  if (tool.type !== 'function' || typeof fn?.name !== 'string') {
    throw badRequest(`cohere supports only function tools with a name (tools[${i}]).`, `tools[${i}]`, 'unsupported_parameter');
  }
  const { strict: _strict, ...definition } = fn; // strictness is the request-wide `strict_tools` on Cohere
  return { type: 'function', function: definition as CohereTool['function'] };
}

function applyToolChoice(body: CohereChatRequest, choice: unknown): void {
  if (choice === undefined || choice === null || choice === 'auto') return;
  if (choice === 'none') return void (body.tool_choice = 'NONE');
  if (choice === 'required') return void (body.tool_choice = 'REQUIRED');
  const name = (choice as { function?: { name?: unknown } }).function?.name;
  const tool = body.tools?.find((t) => t.function.name === name);
  if (typeof name !== 'string' || !tool) throw badRequest('tool_choice names a function that is not among the tools.', 'tool_choice');
  // Cohere cannot name a tool to force; offering only that tool and requiring a call is equivalent.
  body.tools = [tool];
  body.tool_choice = 'REQUIRED';
}

function responseFormat(format: unknown): CohereChatRequest['response_format'] {
  const f = format as { type?: unknown; json_schema?: { schema?: unknown } };
  if (f.type === 'text') return { type: 'text' };
  if (f.type === 'json_object') return { type: 'json_object' };
  if (f.type === 'json_schema') return f.json_schema?.schema === undefined ? { type: 'json_object' } : { type: 'json_object', json_schema: f.json_schema.schema };
  throw badRequest(`cohere does not support response_format type "${String(f.type)}".`, 'response_format', 'unsupported_parameter');
}
