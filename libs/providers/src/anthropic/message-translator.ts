import { badRequest } from '@tollgate/common';
import type { ChatMessage } from '../provider.types';
import type { AnthropicContentBlock, AnthropicMessage, AnthropicTextBlock } from './anthropic.types';
import { toContentBlocks, withCacheControl } from './content-translator';

export interface TranslatedConversation {
  /** Every system (and developer) message, lifted out of the conversation. */
  system?: string | AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

/**
 * OpenAI messages to Anthropic's `system` + `messages`. System and developer messages are lifted out
 * (joined into one string, or kept as text blocks when any carries `cache_control`); assistant tool calls
 * become `tool_use` blocks; tool messages become `tool_result` blocks in a user turn; consecutive messages
 * of one role are merged, since Anthropic expects user and assistant turns to alternate.
 */
export function toAnthropicConversation(messages: readonly ChatMessage[]): TranslatedConversation {
  const systemBlocks: AnthropicTextBlock[] = [];
  const turns: AnthropicMessage[] = [];
  messages.forEach((message, i) => {
    const path = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        systemBlocks.push(...systemTextBlocks(message, path));
        return;
      case 'user':
        return appendTurn(turns, 'user', userContent(message, path));
      case 'assistant':
        return appendTurn(turns, 'assistant', assistantContent(message, path));
      case 'tool':
        return appendTurn(turns, 'user', [toolResult(message, path)]);
      default:
        throw badRequest(
          `anthropic does not support messages with role "${message.role}" ("${path}.role"); use system, developer, user, assistant or tool.`,
          `${path}.role`,
          'unsupported_role',
        );
    }
  });
  return systemBlocks.length > 0 ? { system: systemValue(systemBlocks), messages: turns } : { messages: turns };
}

function systemTextBlocks(message: ChatMessage, path: string): AnthropicTextBlock[] {
  const blocks = toContentBlocks(message.content, `${path}.content`);
  blocks.forEach((block, j) => {
    if (block.type !== 'text') throw badRequest(`anthropic system prompts can only contain text ("${path}.content[${j}]" is ${block.type}).`, `${path}.content`, 'unsupported_content');
  });
  return messageCacheControl(blocks, message.cache_control) as AnthropicTextBlock[];
}

/** One string when nothing is marked for caching (the common case); text blocks when something is. */
function systemValue(blocks: AnthropicTextBlock[]): string | AnthropicTextBlock[] {
  return blocks.some((b) => b.cache_control !== undefined) ? blocks : blocks.map((b) => b.text).join('\n');
}

function userContent(message: ChatMessage, path: string): string | AnthropicContentBlock[] {
  if (typeof message.content === 'string' && message.cache_control === undefined) return message.content;
  return messageCacheControl(toContentBlocks(message.content, `${path}.content`), message.cache_control);
}

function assistantContent(message: ChatMessage, path: string): string | AnthropicContentBlock[] {
  const toolCalls = message.tool_calls;
  const thinking = Array.isArray(message.thinking_blocks) ? (message.thinking_blocks as AnthropicContentBlock[]) : [];
  const plain = typeof message.content === 'string' && thinking.length === 0 && !Array.isArray(toolCalls) && message.cache_control === undefined;
  if (plain) return message.content as string;
  const blocks: AnthropicContentBlock[] = [...thinking];
  blocks.push(...toContentBlocks(refusalAsText(message.content), `${path}.content`).filter((b) => b.type !== 'text' || b.text !== ''));
  if (Array.isArray(toolCalls)) toolCalls.forEach((call, j) => blocks.push(toolUse(call, `${path}.tool_calls[${j}]`)));
  return messageCacheControl(blocks, message.cache_control);
}

/** OpenAI assistant `refusal` parts read as text when sent back in a conversation. */
function refusalAsText(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  return content.map((part: { type?: unknown; refusal?: unknown }) =>
    part && part.type === 'refusal' ? { type: 'text', text: typeof part.refusal === 'string' ? part.refusal : '' } : part,
  );
}

function toolUse(call: unknown, path: string): AnthropicContentBlock {
  const c = (call ?? {}) as { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
  if (typeof c.id !== 'string' || typeof c.function?.name !== 'string') {
    throw badRequest(`"${path}" must have an "id" and a "function.name".`, path, 'invalid_tool_call');
  }
  return { type: 'tool_use', id: c.id, name: c.function.name, input: toolArguments(c.function.arguments, `${path}.function.arguments`) };
}

function toolArguments(raw: unknown, path: string): unknown {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw === 'object') return raw;
  if (typeof raw !== 'string') throw badRequest(`"${path}" must be a JSON string.`, path, 'invalid_tool_call');
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest(`"${path}" is not valid JSON; anthropic needs the tool input as a JSON object.`, path, 'invalid_tool_call');
  }
}

function toolResult(message: ChatMessage, path: string): AnthropicContentBlock {
  if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
    throw badRequest(`"${path}.tool_call_id" is required on tool messages.`, `${path}.tool_call_id`, 'missing_required_parameter');
  }
  const content = typeof message.content === 'string' ? message.content : toContentBlocks(message.content, `${path}.content`);
  return withCacheControl({ type: 'tool_result', tool_use_id: message.tool_call_id, content }, message.cache_control);
}

/** LiteLLM's message-level `cache_control`: it marks the message's last block. */
function messageCacheControl(blocks: AnthropicContentBlock[], cacheControl: unknown): AnthropicContentBlock[] {
  if (cacheControl === undefined || cacheControl === null || blocks.length === 0) return blocks;
  return [...blocks.slice(0, -1), withCacheControl(blocks[blocks.length - 1], cacheControl)];
}

function appendTurn(turns: AnthropicMessage[], role: 'user' | 'assistant', content: string | AnthropicContentBlock[]): void {
  const last = turns[turns.length - 1];
  if (last?.role !== role) {
    turns.push({ role, content });
    return;
  }
  last.content = [...asBlocks(last.content), ...asBlocks(content)];
}

function asBlocks(content: string | AnthropicContentBlock[]): AnthropicContentBlock[] {
  return typeof content === 'string' ? (content === '' ? [] : [{ type: 'text', text: content }]) : content;
}
