import { badRequest } from '@tollgate/common';
import type { ChatCompletionRequest } from '../provider.types';
import { OPENAI_CHAT_PARAMS } from '../shared/openai-params';
import { hasToolBlocks, toConverseMessages, type ConverseBlock } from './converse-messages';
import { isAnthropicModel } from './bedrock-settings';
import { overDefaults } from '../shared/deployment-params';

/** The tool Tollgate forces for `response_format: json_schema` (as LiteLLM does); its input is the answer. */
export const JSON_TOOL_NAME = 'json_tool_call';

/** Converse request fields that sit at the top level of the body; a caller may set them directly. */
const CONVERSE_FIELDS = new Set([
  'guardrailConfig',
  'performanceConfig',
  'additionalModelResponseFieldPaths',
  'requestMetadata',
  'promptVariables',
  'serviceTier',
  'outputConfig',
]);

/** Request keys that are not parameters at all. */
const NOT_PARAMS = new Set(['model', 'messages', 'stream', 'stream_options']);
const OPENAI_PARAMS = new Set(OPENAI_CHAT_PARAMS);

/** Claude thinking budgets for `reasoning_effort` (LiteLLM's mapping). */
const THINKING_BUDGET: Readonly<Record<string, number>> = { minimal: 1024, low: 1024, medium: 2048, high: 4096 };

export interface ConverseRequest {
  /** The Converse / ConverseStream body. */
  body: Record<string, unknown>;
  /** True when the answer is the input of the forced JSON tool, to be returned as the message content. */
  jsonMode: boolean;
}

interface OpenAITool {
  type?: string;
  function?: { name?: string; description?: string; parameters?: unknown };
  cache_control?: unknown;
}

function toolSpecs(tools: unknown): ConverseBlock[] {
  if (!Array.isArray(tools)) return [];
  const specs: ConverseBlock[] = [];
  for (const tool of tools as OpenAITool[]) {
    if (tool.type !== 'function' || !tool.function?.name) throw badRequest('Bedrock supports function tools only (type "function" with a name).', 'tools');
    const { name, description, parameters } = tool.function;
    specs.push({ toolSpec: { name, ...(description ? { description } : {}), inputSchema: { json: parameters ?? { type: 'object', properties: {} } } } });
    if (tool.cache_control) specs.push({ cachePoint: { type: 'default' } });
  }
  return specs;
}

function toolChoice(choice: unknown): Record<string, unknown> | 'none' | undefined {
  if (choice === undefined || choice === null || choice === 'auto') return choice === 'auto' ? { auto: {} } : undefined;
  if (choice === 'none') return 'none';
  if (choice === 'required') return { any: {} };
  const name = (choice as { function?: { name?: unknown } }).function?.name;
  if (typeof name === 'string') return { tool: { name } };
  throw badRequest('tool_choice must be "auto", "none", "required" or {"type":"function","function":{"name":...}}.', 'tool_choice');
}

function jsonSchemaTool(format: unknown): ConverseBlock | undefined {
  const f = format as { type?: unknown; json_schema?: { schema?: unknown; description?: unknown } } | undefined;
  if (!f || f.type !== 'json_schema') return undefined;
  const schema = f.json_schema?.schema ?? { type: 'object', additionalProperties: true, properties: {} };
  const description = typeof f.json_schema?.description === 'string' ? f.json_schema.description : 'Respond with a JSON object matching this schema.';
  return { toolSpec: { name: JSON_TOOL_NAME, description, inputSchema: { json: schema } } };
}

function stopSequences(stop: unknown): string[] | undefined {
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop) && stop.length > 0) return stop.filter((s): s is string => typeof s === 'string');
  return undefined;
}

/**
 * An OpenAI chat request (with the deployment's provider defaults under it) as a Converse request body.
 * OpenAI parameters map to `inferenceConfig` / `toolConfig`; Converse's own top-level fields pass as they
 * are; every other key is provider-specific and goes to `additionalModelRequestFields` untouched (`top_k`,
 * `thinking`, ...). OpenAI parameters Bedrock cannot honour that arrive only as deployment defaults are
 * left out (the gateway has already refused or dropped them in the request itself).
 */
export function toConverseRequest(request: ChatCompletionRequest, defaults: Record<string, unknown> | undefined, modelId: string): ConverseRequest {
  const merged: Record<string, unknown> = overDefaults(defaults, request);
  const { system, messages } = toConverseMessages(request.messages);
  const body: Record<string, unknown> = { messages };
  if (system.length > 0) body.system = system;

  const inference: Record<string, unknown> = { ...(merged.inferenceConfig as Record<string, unknown> | undefined) };
  const maxTokens = merged.max_completion_tokens ?? merged.max_tokens;
  if (typeof maxTokens === 'number') inference.maxTokens = maxTokens;
  if (typeof merged.temperature === 'number') inference.temperature = merged.temperature;
  if (typeof merged.top_p === 'number') inference.topP = merged.top_p;
  const stops = stopSequences(merged.stop);
  if (stops) inference.stopSequences = stops;
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;

  const additional: Record<string, unknown> = { ...(merged.additionalModelRequestFields as Record<string, unknown> | undefined) };
  const effort = merged.reasoning_effort;
  if (typeof effort === 'string') {
    if (!isAnthropicModel(modelId)) additional.reasoning_effort = effort;
    else if (THINKING_BUDGET[effort] && additional.thinking === undefined) additional.thinking = { type: 'enabled', budget_tokens: THINKING_BUDGET[effort] };
  }
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined || NOT_PARAMS.has(key) || OPENAI_PARAMS.has(key) || key === 'inferenceConfig' || key === 'additionalModelRequestFields') continue;
    if (CONVERSE_FIELDS.has(key)) body[key] = value;
    else additional[key] = value;
  }
  if (Object.keys(additional).length > 0) body.additionalModelRequestFields = additional;

  const tools = toolSpecs(merged.tools);
  let choice = toolChoice(merged.tool_choice);
  const jsonTool = jsonSchemaTool(merged.response_format);
  if (jsonTool) {
    tools.push(jsonTool);
    choice = { tool: { name: JSON_TOOL_NAME } };
  }
  if (choice === 'none') {
    // Converse has no "none": leaving the tools out has the same effect, unless the history uses tools.
    if (hasToolBlocks(messages)) throw badRequest('Bedrock Converse has no tool_choice "none" for a conversation that already contains tool calls.', 'tool_choice');
  } else if (tools.length > 0) {
    body.toolConfig = { tools, ...(choice ? { toolChoice: choice } : {}) };
  }
  return { body, jsonMode: Boolean(jsonTool) };
}
