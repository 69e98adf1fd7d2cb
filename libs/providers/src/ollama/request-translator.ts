import { badRequest } from '@tollgate/common';
import type { ChatMessage } from '../provider.types';
import { OPENAI_CHAT_PARAMS } from '../shared/openai-params';
import type { OllamaChatRequest, OllamaFormat, OllamaGenerateRequest, OllamaMessage, OllamaOptions, OllamaToolCall } from './ollama.types';

/** OpenAI chat parameters `/api/generate` honours (through `options`, `format`, `system`, `images`). */
export const OLLAMA_GENERATE_PARAMS: ReadonlySet<string> = new Set([
  'frequency_penalty',
  'max_completion_tokens',
  'max_tokens',
  'presence_penalty',
  'response_format',
  'seed',
  'stop',
  'stream_options',
  'temperature',
  'top_p',
  'user',
]);

/** `/api/chat` adds tool calling. */
export const OLLAMA_CHAT_PARAMS: ReadonlySet<string> = new Set([...OLLAMA_GENERATE_PARAMS, 'parallel_tool_calls', 'tool_choice', 'tools']);

const OPENAI_KEYS = new Set(['model', 'messages', 'stream', ...OPENAI_CHAT_PARAMS]);

type Json = Record<string, unknown>;

/**
 * An OpenAI chat request (merged with the deployment's provider parameters) as an Ollama `/api/chat` body.
 * Sampling parameters go into `options` (`max_tokens` -> `num_predict`), `response_format` into `format`;
 * non-OpenAI keys (`keep_alive`, `think`, `options`, ...) pass through untouched.
 */
export function toOllamaChatRequest(request: Json, model: string, stream: boolean): OllamaChatRequest {
  if (!Array.isArray(request.messages)) throw badRequest('messages must be an array.', 'messages');
  const body: OllamaChatRequest = Object.assign(passThrough(request), { model, messages: chatMessages(request.messages), stream });
  applyCommon(body, request);
  if (request.parallel_tool_calls === false) {
    throw badRequest('ollama cannot turn off parallel tool calls (parallel_tool_calls: false).', 'parallel_tool_calls', 'unsupported_parameter');
  }
  const choice = request.tool_choice;
  if (choice !== undefined && choice !== null && choice !== 'auto' && choice !== 'none') {
    throw badRequest('ollama cannot force a tool call: tool_choice may only be "auto" or "none".', 'tool_choice', 'unsupported_parameter');
  }
  // "none" means the model may not call tools: not offering any is how Ollama says it.
  if (Array.isArray(request.tools) && request.tools.length > 0 && choice !== 'none') body.tools = request.tools;
  return body;
}

/**
 * An OpenAI chat request as an Ollama `/api/generate` body: system messages become `system`, the rest of the
 * conversation is flattened into one `prompt` (a lone user message is sent as it is), images go to `images`.
 */
export function toOllamaGenerateRequest(request: Json, model: string, stream: boolean): OllamaGenerateRequest {
  if (!Array.isArray(request.messages)) throw badRequest('messages must be an array.', 'messages');
  const system: string[] = [];
  const turns: Array<{ role: 'user' | 'assistant'; text: string }> = [];
  const images: string[] = [];
  request.messages.forEach((m: ChatMessage, i) => {
    const path = `messages[${i}]`;
    if (m.role === 'system' || m.role === 'developer') return void system.push(textOf(m.content, path));
    if ((m.role !== 'user' && m.role !== 'assistant') || (Array.isArray(m.tool_calls) && m.tool_calls.length > 0)) {
      throw badRequest(`ollama/ (/api/generate) has no tool calling; use ollama_chat/ for tool messages (${path}).`, path, 'unsupported_parameter');
    }
    if (m.role === 'user') images.push(...imagesOf(m.content, path));
    turns.push({ role: m.role, text: textOf(m.content, path) });
  });
  const body: OllamaGenerateRequest = Object.assign(passThrough(request), { model, prompt: flatten(turns), stream });
  if (system.length > 0) body.system = system.join('\n\n');
  if (images.length > 0) body.images = images;
  applyCommon(body, request);
  return body;
}

function flatten(turns: Array<{ role: 'user' | 'assistant'; text: string }>): string {
  if (turns.length === 1 && turns[0].role === 'user') return turns[0].text;
  const transcript = turns.map((t) => `### ${t.role === 'user' ? 'User' : 'Assistant'}:\n${t.text}`).join('\n\n');
  // Cue the model to answer as the assistant after the last user turn.
  return turns.at(-1)?.role === 'user' ? `${transcript}\n\n### Assistant:\n` : transcript;
}

function chatMessages(messages: ChatMessage[]): OllamaMessage[] {
  const toolNames = new Map<string, string>();
  return messages.map((m, i): OllamaMessage => {
    const path = `messages[${i}]`;
    switch (m.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textOf(m.content, path) };
      case 'user': {
        const images = imagesOf(m.content, path);
        return images.length > 0 ? { role: 'user', content: textOf(m.content, path), images } : { role: 'user', content: textOf(m.content, path) };
      }
      case 'assistant': {
        const calls = Array.isArray(m.tool_calls) ? m.tool_calls.map((c: Json, j: number) => ollamaToolCall(c, `${path}.tool_calls[${j}]`, toolNames)) : [];
        const message: OllamaMessage = { role: 'assistant', content: textOf(m.content, path) };
        if (calls.length > 0) message.tool_calls = calls;
        return message;
      }
      case 'tool': {
        const name = typeof m.tool_call_id === 'string' ? toolNames.get(m.tool_call_id) : undefined;
        return name ? { role: 'tool', content: textOf(m.content, path), tool_name: name } : { role: 'tool', content: textOf(m.content, path) };
      }
      default:
        throw badRequest(`ollama does not support messages with role "${m.role}".`, `${path}.role`);
    }
  });
}

function ollamaToolCall(call: Json, path: string, toolNames: Map<string, string>): OllamaToolCall {
  const fn = call.function as Json | undefined;
  if (typeof fn?.name !== 'string') throw badRequest(`${path}.function.name is required.`, path);
  if (typeof call.id === 'string') toolNames.set(call.id, fn.name);
  let args: unknown = fn.arguments ?? {};
  if (typeof args === 'string') {
    try {
      args = args.trim() === '' ? {} : JSON.parse(args);
    } catch {
      throw badRequest(`${path}.function.arguments is not valid JSON; Ollama takes tool arguments as an object.`, `${path}.function.arguments`);
    }
  }
  if (!args || typeof args !== 'object' || Array.isArray(args)) throw badRequest(`${path}.function.arguments must be a JSON object.`, `${path}.function.arguments`);
  return { function: { name: fn.name, arguments: args as Record<string, unknown> } };
}

/** The text of string or content-part content; Ollama messages carry one string. */
function textOf(content: unknown, path: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) throw badRequest(`${path}.content must be a string or an array of content parts.`, `${path}.content`);
  const texts: string[] = [];
  content.forEach((part: Json, i) => {
    if (part.type === 'text') texts.push(String(part.text ?? ''));
    else if (part.type !== 'image_url') throw badRequest(`ollama does not support "${String(part.type)}" content parts (${path}.content[${i}]).`, `${path}.content[${i}]`, 'unsupported_content');
  });
  return texts.join('\n');
}

/** Base64 data of the image parts. Ollama takes inline images only; Tollgate does not fetch URLs for it. */
function imagesOf(content: unknown, path: string): string[] {
  if (!Array.isArray(content)) return [];
  const images: string[] = [];
  content.forEach((part: Json, i) => {
    if (part.type !== 'image_url') return;
    const url = (part.image_url as { url?: unknown } | undefined)?.url;
    const match = typeof url === 'string' ? /^data:[^;,]*;base64,(.*)$/s.exec(url) : null;
    if (!match) throw badRequest(`ollama takes images as base64 data URLs (data:image/...;base64,...) only (${path}.content[${i}]).`, `${path}.content[${i}]`, 'unsupported_content');
    images.push(match[1]);
  });
  return images;
}

/** Provider-specific keys, passed through as they are (`options` is merged by `applyCommon`). */
function passThrough(request: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(request)) if (value !== undefined && !OPENAI_KEYS.has(key) && key !== 'options') out[key] = value;
  return out;
}

function applyCommon(body: OllamaChatRequest | OllamaGenerateRequest, request: Json): void {
  const options = ollamaOptions(request);
  if (options) body.options = options;
  const format = ollamaFormat(request.response_format);
  if (format !== undefined) body.format = format;
}

/** The caller's own `options`, with OpenAI's sampling parameters set on top. */
function ollamaOptions(request: Json): OllamaOptions | undefined {
  const given = request.options;
  const options: OllamaOptions = given && typeof given === 'object' && !Array.isArray(given) ? { ...(given as OllamaOptions) } : {};
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (typeof maxTokens === 'number') options.num_predict = maxTokens;
  if (typeof request.stop === 'string') options.stop = [request.stop];
  else if (Array.isArray(request.stop)) options.stop = request.stop as string[];
  for (const key of ['temperature', 'top_p', 'seed', 'frequency_penalty', 'presence_penalty'] as const) {
    if (typeof request[key] === 'number') options[key] = request[key] as number;
  }
  return Object.keys(options).length > 0 ? options : undefined;
}

function ollamaFormat(format: unknown): OllamaFormat | undefined {
  if (format === undefined || format === null) return undefined;
  const f = format as { type?: unknown; json_schema?: { schema?: unknown } };
  if (f.type === 'text') return undefined;
  if (f.type === 'json_object') return 'json';
  if (f.type === 'json_schema') {
    const schema = f.json_schema?.schema;
    return schema && typeof schema === 'object' ? (schema as Record<string, unknown>) : 'json';
  }
  throw badRequest(`ollama does not support response_format type "${String(f.type)}".`, 'response_format', 'unsupported_parameter');
}
