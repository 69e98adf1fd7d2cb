import { badRequest } from '@tollgate/common';
import type { ChatCompletionRequest } from '../provider.types';
import { OPENAI_CHAT_PARAMS } from '../shared/openai-params';
import type { GeminiFunctionDeclaration, GeminiGenerationConfig, GeminiRequest, GeminiTool, GeminiToolConfig } from './gemini.types';
import { toGeminiContents } from './gemini-messages';
import { isEmptyObjectSchema, toGeminiSchema } from './gemini-schema';
import { overDefaults } from '../shared/deployment-params';

/** OpenAI parameters with a Gemini equivalent: the `chatParams` of the Gemini-speaking providers. */
export const GEMINI_CHAT_PARAMS: ReadonlySet<string> = new Set([
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'n',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'response_format',
  'tools',
  'tool_choice',
  'reasoning_effort',
  'stream_options',
]);

/** Provider-specific request keys that belong inside `generationConfig` (either spelling; Google's JSON parser takes both). */
const GENERATION_CONFIG_KEYS = new Set([
  'topK',
  'top_k',
  'thinkingConfig',
  'thinking_config',
  'responseModalities',
  'response_modalities',
  'responseLogprobs',
  'response_logprobs',
  'responseJsonSchema',
  'response_json_schema',
  'mediaResolution',
  'media_resolution',
  'speechConfig',
  'speech_config',
  'imageConfig',
  'image_config',
]);

const OPENAI_KEYS = new Set([...OPENAI_CHAT_PARAMS, 'model', 'messages', 'stream']);

const THINKING_BUDGET: Record<string, number> = { minimal: 512, low: 1024, medium: 2048, high: 4096 };

/**
 * An OpenAI chat request (over the deployment's default parameters) as a Gemini `generateContent` body.
 * OpenAI parameters are translated; provider-specific keys pass through untouched, at the top level
 * (`safetySettings`, `cachedContent`, `labels`, ...) or inside `generationConfig` for its own fields.
 * OpenAI parameters the provider does not declare can only come from deployment defaults and are ignored.
 */
export function toGeminiRequest(request: ChatCompletionRequest, defaults: Record<string, unknown> | undefined, model: string): GeminiRequest {
  const req: Record<string, unknown> = overDefaults(defaults, request);
  const { contents, systemInstruction } = toGeminiContents(request.messages);
  const body: GeminiRequest = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;

  const tools = toGeminiTools(req.tools);
  if (tools) body.tools = tools;
  if (req.tool_choice !== undefined && req.tool_choice !== null) body.toolConfig = toToolConfig(req.tool_choice);

  const config: GeminiGenerationConfig = {};
  if (typeof req.temperature === 'number') config.temperature = req.temperature;
  if (typeof req.top_p === 'number') config.topP = req.top_p;
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (typeof maxTokens === 'number') config.maxOutputTokens = maxTokens;
  const stop = typeof req.stop === 'string' ? [req.stop] : Array.isArray(req.stop) ? req.stop.filter((s): s is string => typeof s === 'string') : undefined;
  if (stop && stop.length > 0) config.stopSequences = stop;
  if (typeof req.n === 'number') config.candidateCount = req.n;
  if (typeof req.seed === 'number') config.seed = req.seed;
  if (typeof req.presence_penalty === 'number') config.presencePenalty = req.presence_penalty;
  if (typeof req.frequency_penalty === 'number') config.frequencyPenalty = req.frequency_penalty;
  Object.assign(config, responseFormat(req.response_format));
  if (typeof req.reasoning_effort === 'string') config.thinkingConfig = thinkingConfig(req.reasoning_effort, model);

  for (const [key, value] of Object.entries(req)) {
    if (value === undefined || OPENAI_KEYS.has(key)) continue;
    if (key === 'generationConfig' || key === 'generation_config') {
      if (value && typeof value === 'object') Object.assign(config, value);
    } else if (GENERATION_CONFIG_KEYS.has(key)) {
      config[key] = value;
    } else {
      body[key] = value;
    }
  }
  if (Object.keys(config).length > 0) body.generationConfig = config;
  return body;
}

function toGeminiTools(tools: unknown): GeminiTool[] | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw badRequest('tools: expected an array.', 'tools');
  const declarations: GeminiFunctionDeclaration[] = [];
  const native: GeminiTool[] = [];
  tools.forEach((tool: Record<string, unknown>, i) => {
    if (tool && typeof tool === 'object' && tool.type === undefined) {
      // A Gemini tool given natively (`{"googleSearch": {}}`, `{"codeExecution": {}}`): passed through.
      native.push(tool as GeminiTool);
      return;
    }
    const fn = tool?.function as { name?: unknown; description?: unknown; parameters?: unknown } | undefined;
    if (tool?.type !== 'function' || typeof fn?.name !== 'string') throw badRequest(`tools[${i}]: Gemini supports function tools only (type "function" with a name).`, 'tools');
    const declaration: GeminiFunctionDeclaration = { name: fn.name };
    if (typeof fn.description === 'string') declaration.description = fn.description;
    // Gemini refuses an object schema without properties: a function without parameters declares none.
    if (!isEmptyObjectSchema(fn.parameters)) declaration.parameters = toGeminiSchema(fn.parameters, `tools[${i}].function.parameters`);
    declarations.push(declaration);
  });
  const result = declarations.length > 0 ? [{ functionDeclarations: declarations }, ...native] : native;
  return result.length > 0 ? result : undefined;
}

function toToolConfig(choice: unknown): GeminiToolConfig {
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  const named = choice as { type?: unknown; function?: { name?: unknown } };
  if (named?.type === 'function' && typeof named.function?.name === 'string') {
    return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [named.function.name] } };
  }
  throw badRequest('tool_choice: Gemini supports "auto", "none", "required" or {"type":"function","function":{"name":...}}.', 'tool_choice');
}

function responseFormat(format: unknown): Partial<GeminiGenerationConfig> {
  if (format === undefined || format === null) return {};
  const f = format as { type?: unknown; json_schema?: { schema?: unknown } };
  if (f.type === 'text') return {};
  if (f.type === 'json_object') return { responseMimeType: 'application/json' };
  if (f.type === 'json_schema') {
    const schema = f.json_schema?.schema;
    return schema === undefined
      ? { responseMimeType: 'application/json' }
      : { responseMimeType: 'application/json', responseSchema: toGeminiSchema(schema, 'response_format.json_schema.schema') };
  }
  throw badRequest('response_format: expected type "text", "json_object" or "json_schema".', 'response_format');
}

/**
 * `reasoning_effort` as Gemini thinking: Gemini 3 models take a `thinkingLevel`, earlier thinking models a
 * token budget; thoughts are always requested so they come back as `reasoning_content`.
 */
function thinkingConfig(effort: string, model: string): NonNullable<GeminiGenerationConfig['thinkingConfig']> {
  if (effort === 'none') return { thinkingBudget: 0 };
  if (/^gemini-3/.test(model)) return { includeThoughts: true, thinkingLevel: effort };
  const budget = THINKING_BUDGET[effort];
  if (budget === undefined) throw badRequest(`reasoning_effort: expected one of none, ${Object.keys(THINKING_BUDGET).join(', ')}.`, 'reasoning_effort');
  return { includeThoughts: true, thinkingBudget: budget };
}
