import { badRequest } from '@tollgate/common';
import type { ChatMessage } from '../provider.types';
import { OPENAI_CHAT_PARAMS } from '../shared/openai-params';
import type { AnthropicRequestBody, AnthropicTool, AnthropicToolChoice } from './anthropic.types';
import { toAnthropicConversation } from './message-translator';

/** Output-token cap sent when the caller sets none (Anthropic requires `max_tokens`; LiteLLM's default). */
export const DEFAULT_MAX_TOKENS = 4096;

/** The tool a `json_schema` response format is answered through (LiteLLM's name for it). */
export const JSON_TOOL_NAME = 'json_tool_call';

/**
 * Thinking budgets for OpenAI's `reasoning_effort` (LiteLLM's low/medium/high budgets; `minimal` is raised
 * to Anthropic's minimum budget of 1024 tokens).
 */
export const REASONING_EFFORT_BUDGETS: Readonly<Record<string, number>> = { minimal: 1024, low: 1024, medium: 2048, high: 4096, xhigh: 16384 };

export interface AnthropicRequestOptions {
  /** Upstream model id; leave undefined where the model is part of the URL (Claude on Vertex AI). */
  model?: string;
  /** `anthropic_version` body field (Vertex AI: `vertex-2023-10-16`); the first-party API takes it as a header. */
  anthropicVersion?: string;
  stream?: boolean;
  /** `max_tokens` when the request sets neither `max_tokens` nor `max_completion_tokens`. */
  defaultMaxTokens?: number;
}

export interface TranslatedRequest {
  body: AnthropicRequestBody;
  /** Set when the answer comes back as a call of this tool and must be returned as the message content. */
  jsonToolName?: string;
}

/** Keys read by the translation; every other key is provider-specific and goes into the body untouched. */
const OPENAI_KEYS = new Set(['model', 'messages', 'stream', 'stream_options', ...OPENAI_CHAT_PARAMS]);

/**
 * An OpenAI chat-completions request (with the deployment's provider defaults already merged in) to a
 * Messages API body. Pure: no I/O, throws a 400 GatewayError for what Anthropic cannot express.
 */
export function toAnthropicRequest(request: Record<string, unknown>, options: AnthropicRequestOptions = {}): TranslatedRequest {
  const passThrough: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) if (!OPENAI_KEYS.has(key) && value !== undefined) passThrough[key] = value;

  if (!Array.isArray(request.messages)) throw badRequest('"messages" must be an array of message objects.', 'messages', 'invalid_type');
  const conversation = toAnthropicConversation(request.messages as ChatMessage[]);
  const thinking = passThrough.thinking ?? thinkingFor(request.reasoning_effort);
  // Built field by field in the order Anthropic's examples use: a literal opening with a spread would be slow.
  const body = {} as AnthropicRequestBody;
  if (options.model !== undefined) body.model = options.model;
  if (options.anthropicVersion !== undefined) body.anthropic_version = options.anthropicVersion;
  Object.assign(body, passThrough);
  body.messages = conversation.messages;
  body.max_tokens = maxTokens(request, thinking, options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS);
  if (conversation.system !== undefined) body.system = conversation.system;
  if (thinking !== undefined) body.thinking = thinking;
  const stop = stopSequences(request.stop);
  if (stop) body.stop_sequences = stop;
  if (isSet(request.temperature)) body.temperature = request.temperature as number;
  if (isSet(request.top_p)) body.top_p = request.top_p as number;
  if (typeof request.user === 'string' && request.user !== '') body.metadata = Object.assign({}, body.metadata, { user_id: request.user });

  const tools = toAnthropicTools(request.tools);
  let toolChoice = toAnthropicToolChoice(request.tool_choice);
  const jsonSchema = jsonSchemaOf(request.response_format);
  if (jsonSchema !== undefined) {
    tools.push({ name: JSON_TOOL_NAME, description: 'Respond with a JSON object matching this schema.', input_schema: jsonSchema });
    // Anthropic refuses forced tool use while thinking; there the model is only asked to use the tool.
    toolChoice ??= thinkingEnabled(thinking) ? { type: 'auto' } : tools.length === 1 ? { type: 'tool', name: JSON_TOOL_NAME } : { type: 'any' };
  }
  if (tools.length > 0) {
    body.tools = tools;
    if (request.parallel_tool_calls === false && toolChoice?.type !== 'none') toolChoice = Object.assign({}, toolChoice ?? { type: 'auto' as const }, { disable_parallel_tool_use: true });
  }
  if (toolChoice) body.tool_choice = toolChoice;
  if (options.stream) body.stream = true;
  else delete body.stream;
  return { body, ...(jsonSchema !== undefined ? { jsonToolName: JSON_TOOL_NAME } : {}) };
}

const isSet = (value: unknown) => value !== undefined && value !== null;

function maxTokens(request: Record<string, unknown>, thinking: unknown, fallback: number): number {
  const given = isSet(request.max_completion_tokens) ? request.max_completion_tokens : request.max_tokens;
  if (isSet(given)) {
    if (typeof given !== 'number') throw badRequest('"max_tokens" must be a number.', 'max_tokens', 'invalid_type');
    return given;
  }
  // Anthropic needs max_tokens above the thinking budget: leave the usual room for the answer after it.
  const budget = (thinking as { budget_tokens?: unknown } | undefined)?.budget_tokens;
  return typeof budget === 'number' && budget >= fallback ? budget + fallback : fallback;
}

function thinkingFor(effort: unknown): unknown {
  if (!isSet(effort) || effort === 'none') return undefined;
  const budget = typeof effort === 'string' ? REASONING_EFFORT_BUDGETS[effort] : undefined;
  if (budget === undefined) {
    throw badRequest(
      `"reasoning_effort" must be one of none, ${Object.keys(REASONING_EFFORT_BUDGETS).join(', ')} for anthropic, got ${JSON.stringify(effort)}.`,
      'reasoning_effort',
      'invalid_value',
    );
  }
  return { type: 'enabled', budget_tokens: budget };
}

function thinkingEnabled(thinking: unknown): boolean {
  const type = (thinking as { type?: unknown } | undefined)?.type;
  return type !== undefined && type !== 'disabled';
}

/** Anthropic refuses whitespace-only stop sequences (OpenAI clients often send "\n"); those are left out. */
function stopSequences(stop: unknown): string[] | undefined {
  if (!isSet(stop)) return undefined;
  const list = typeof stop === 'string' ? [stop] : stop;
  if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) throw badRequest('"stop" must be a string or an array of strings.', 'stop', 'invalid_type');
  const kept = (list as string[]).filter((s) => s.trim() !== '');
  return kept.length > 0 ? kept : undefined;
}

function toAnthropicTools(tools: unknown): Array<AnthropicTool | Record<string, unknown>> {
  if (!isSet(tools)) return [];
  if (!Array.isArray(tools)) throw badRequest('"tools" must be an array.', 'tools', 'invalid_type');
  return tools.map((tool: Record<string, unknown>, i) => {
    if (tool?.type !== 'function') return tool; // Anthropic's own tools (web search, computer use, ...) as they are.
    const fn = tool.function as { name?: unknown; description?: unknown; parameters?: unknown } | undefined;
    if (typeof fn?.name !== 'string') throw badRequest(`"tools[${i}].function.name" is required.`, `tools[${i}].function.name`, 'missing_required_parameter');
    const out: AnthropicTool = { name: fn.name, input_schema: fn.parameters ?? { type: 'object', properties: {} } };
    if (typeof fn.description === 'string') out.description = fn.description;
    if (isSet(tool.cache_control)) out.cache_control = tool.cache_control;
    return out;
  });
}

function toAnthropicToolChoice(choice: unknown): AnthropicToolChoice | undefined {
  if (!isSet(choice)) return undefined;
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  const c = choice as { type?: unknown; function?: { name?: unknown }; name?: unknown };
  if (c.type === 'function' && typeof c.function?.name === 'string') return { type: 'tool', name: c.function.name };
  if (c.type === 'auto' || c.type === 'any' || c.type === 'none' || (c.type === 'tool' && typeof c.name === 'string')) return choice as AnthropicToolChoice;
  throw badRequest('"tool_choice" must be "auto", "none", "required" or {"type":"function","function":{"name":...}}.', 'tool_choice', 'invalid_value');
}

/** The JSON schema to answer with, for `json_schema`; `text` and `json_object` need nothing in the body. */
function jsonSchemaOf(format: unknown): unknown {
  if (!isSet(format)) return undefined;
  const type = (format as { type?: unknown }).type;
  if (type === 'text' || type === 'json_object') return undefined;
  if (type === 'json_schema') {
    const schema = (format as { json_schema?: { schema?: unknown } }).json_schema?.schema;
    return schema ?? { type: 'object' };
  }
  throw badRequest('"response_format.type" must be "text", "json_object" or "json_schema".', 'response_format', 'invalid_value');
}
