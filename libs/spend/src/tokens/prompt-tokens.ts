import { encodingForModel } from './encodings';
import { TextTokenCounter } from './text-token-counter';
import { imagePartTokens } from './image-tokens';

/** The parts of a chat-completions request that reach the model's prompt. */
export interface PromptRequest {
  messages: readonly unknown[];
  tools?: unknown;
  tool_choice?: unknown;
  /** The deprecated predecessors of `tools` / `tool_choice`. */
  functions?: unknown;
  function_call?: unknown;
}

/*
 * OpenAI's chat formatting, as measured against the API for its chat models (OpenAI cookbook "How to count
 * tokens with tiktoken" and the fixtures gpt-tokenizer tests with): every message costs 3 tokens of framing
 * plus its role and content, a `name` one token more, and 3 tokens prime the reply.
 */
const PER_MESSAGE = 3;
const PER_NAME = 1;
const REPLY_PRIMING = 3;
/** A call the assistant made (name and arguments) is framed like a legacy `function_call`. */
const PER_TOOL_CALL = 3;
/** A `function` role message is rendered more compactly than the others. */
const FUNCTION_ROLE_DISCOUNT = 2;
/** With tool definitions present, the system message shares its framing with them. */
const SYSTEM_WITH_TOOLS_DISCOUNT = 4;
const TOOL_CHOICE_NONE = 1;
const TOOL_CHOICE_NAMED = 4;

interface FunctionDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

interface FunctionCallingModule {
  /** Renders the definitions the way the model sees them (a TypeScript namespace) and counts them. */
  estimateTokensInFunctions(functions: readonly FunctionDefinition[], count: (text: string) => number): number;
}

let functionCalling: FunctionCallingModule | undefined;

function toolDefinitionTokens(functions: readonly FunctionDefinition[], count: (text: string) => number): number {
  functionCalling ??= require('gpt-tokenizer/functionCalling') as FunctionCallingModule;
  return functionCalling.estimateTokensInFunctions(functions, count);
}

const asRecord = (value: unknown): Record<string, unknown> | undefined => (value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined);
const asString = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The function definitions of `tools` (function and custom tools) and of the legacy `functions`. */
function functionDefinitions(request: PromptRequest): FunctionDefinition[] {
  const definitions: FunctionDefinition[] = [];
  const add = (fn: Record<string, unknown> | undefined) => {
    if (!fn || typeof fn.name !== 'string') return;
    definitions.push({ name: fn.name, description: typeof fn.description === 'string' ? fn.description : undefined, parameters: asRecord(fn.parameters) });
  };
  if (Array.isArray(request.tools)) {
    for (const tool of request.tools) {
      const t = asRecord(tool);
      add(asRecord(t?.function) ?? asRecord(t?.custom));
    }
  }
  if (Array.isArray(request.functions)) for (const fn of request.functions) add(asRecord(fn));
  return definitions;
}

/** Tokens a forced or forbidden tool choice adds (`auto` and `required` add none). */
function toolChoiceTokens(choice: unknown, count: (text: string) => number): number {
  if (choice === 'none') return TOOL_CHOICE_NONE;
  const named = asRecord(choice);
  const name = asString(asRecord(named?.function)?.name) || asString(named?.name);
  return name ? count(name) + TOOL_CHOICE_NAMED : 0;
}

function contentTokens(content: unknown, count: (text: string) => number, model: string): number {
  if (typeof content === 'string') return count(content);
  if (!Array.isArray(content)) return 0;
  let tokens = 0;
  for (const part of content) {
    const p = asRecord(part);
    if (!p) continue;
    if (p.type === 'image_url') tokens += imagePartTokens(p.image_url, model);
    else tokens += count(asString(p.text) || asString(p.refusal));
    // Audio and file parts are billed by the provider in units of their own; they are not counted here.
  }
  return tokens;
}

function toolCallTokens(message: Record<string, unknown>, count: (text: string) => number): number {
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  const legacy = asRecord(message.function_call);
  let tokens = 0;
  for (const fn of [...calls.map((c) => asRecord(asRecord(c)?.function) ?? asRecord(asRecord(c)?.custom)), legacy]) {
    if (!fn) continue;
    tokens += count(asString(fn.name)) + count(asString(fn.arguments) || asString(fn.input)) + PER_TOOL_CALL;
  }
  return tokens;
}

/**
 * The prompt tokens of a chat request, counted the way OpenAI counts them for its chat models: messages with
 * their framing, text parts, names, the assistant's earlier tool calls, images by the tile rule, and tool
 * definitions rendered as the model sees them. Exact for plain OpenAI chat messages; for other providers'
 * models (counted with cl100k_base) an approximation.
 */
export function countPromptTokens(request: PromptRequest, model: string, counter = new TextTokenCounter(encodingForModel(model))): number {
  const count = counter.count;
  const definitions = functionDefinitions(request);
  const hasTools = definitions.length > 0;
  let tokens = REPLY_PRIMING;
  let systemSeen = false;
  for (const raw of request.messages) {
    const message = asRecord(raw);
    if (!message) continue;
    const role = asString(message.role);
    let content = message.content;
    // With tools, the first system message ends with a newline before the definitions that follow it.
    if (hasTools && role === 'system' && !systemSeen && typeof content === 'string' && content && !content.endsWith('\n')) content = `${content}\n`;
    if (role === 'system') systemSeen = true;
    tokens += PER_MESSAGE + count(role) + contentTokens(content, count, model) + toolCallTokens(message, count);
    if (typeof message.name === 'string' && message.name) tokens += count(message.name) + PER_NAME;
    if (role === 'function') tokens -= FUNCTION_ROLE_DISCOUNT;
  }
  if (hasTools) {
    tokens += toolDefinitionTokens(definitions, count);
    if (systemSeen) tokens -= SYSTEM_WITH_TOOLS_DISCOUNT;
  }
  return tokens + toolChoiceTokens(request.tool_choice ?? request.function_call, count);
}
