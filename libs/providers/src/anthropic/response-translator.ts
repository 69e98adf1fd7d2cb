import { randomUUID } from 'node:crypto';
import type { TokenUsage } from '../provider.types';
import { openAIUsage, type FinishReason } from '../shared/openai-chunks';
import type { AnthropicContentBlock, AnthropicResponseBody, AnthropicUsage } from './anthropic.types';

export interface AnthropicResponseOptions {
  /** Model name to report when the response does not carry one. */
  model: string;
  /** The `json_schema` tool (see toAnthropicRequest): its call is the answer, returned as message content. */
  jsonToolName?: string;
}

/** Anthropic `stop_reason` to OpenAI `finish_reason`. */
export function finishReasonOf(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, pause_turn (a server tool paused the turn; the text so far is whole).
      return 'stop';
  }
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0);

/**
 * Anthropic usage to Tollgate's: Anthropic's `input_tokens` excludes cached tokens, so the prompt is input +
 * cache reads + cache writes, with the reads reported as cached prompt tokens (OpenAI's meaning).
 */
export function usageFromAnthropic(usage: AnthropicUsage | undefined): TokenUsage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheCreation = count(usage.cache_creation_input_tokens);
  const promptTokens = count(usage.input_tokens) + cacheRead + cacheCreation;
  const completionTokens = count(usage.output_tokens);
  const result: TokenUsage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, cachedPromptTokens: cacheRead };
  if (cacheCreation > 0) result.cacheCreationTokens = cacheCreation;
  return result;
}

interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A Messages API response to an OpenAI `chat.completion` body (serialised once) and its token usage. */
export function fromAnthropicResponse(response: AnthropicResponseBody, options: AnthropicResponseOptions): { body: Buffer; usage?: TokenUsage } {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const thinkingBlocks: AnthropicContentBlock[] = [];
  const toolCalls: ToolCall[] = [];
  let answeredAsJson = false;
  for (const block of response.content ?? []) {
    switch (block.type) {
      case 'text':
        texts.push(String(block.text ?? ''));
        break;
      case 'thinking':
        reasoning.push(String(block.thinking ?? ''));
        thinkingBlocks.push(block);
        break;
      case 'redacted_thinking':
        thinkingBlocks.push(block);
        break;
      case 'tool_use':
        if (options.jsonToolName !== undefined && block.name === options.jsonToolName) {
          texts.push(JSON.stringify(block.input ?? {}));
          answeredAsJson = true;
        } else {
          toolCalls.push({ id: String(block.id), type: 'function', function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) } });
        }
        break;
      default:
        // Server tool blocks (web search results, ...) have no OpenAI equivalent in a chat message.
        break;
    }
  }
  const message: Record<string, unknown> = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('');
  if (thinkingBlocks.length > 0) message.thinking_blocks = thinkingBlocks;
  let finishReason = finishReasonOf(response.stop_reason);
  if (answeredAsJson && finishReason === 'tool_calls' && toolCalls.length === 0) finishReason = 'stop';
  const usage = usageFromAnthropic(response.usage);
  const body = {
    id: response.id ?? `chatcmpl-${randomUUID().replace(/-/g, '')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: response.model ?? options.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    ...(usage ? { usage: openAIUsage(usage) } : {}),
  };
  return { body: Buffer.from(JSON.stringify(body)), usage };
}
