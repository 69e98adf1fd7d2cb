import { randomUUID } from 'node:crypto';
import type { TokenUsage } from '../provider.types';
import { openAIUsage, type FinishReason, type ToolCallOut } from '../shared/openai-chunks';
import { JSON_TOOL_NAME } from './request-translator';

/** Converse `stopReason` as OpenAI's `finish_reason`. */
export function finishReason(stopReason: unknown): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, and any reason added later.
      return 'stop';
  }
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0);

/**
 * Converse `usage` in Tollgate's terms. Bedrock's `inputTokens` leaves out the tokens read from or written
 * to the prompt cache, so the prompt is their sum (OpenAI counts cached tokens inside prompt_tokens).
 */
export function converseUsage(usage: unknown): TokenUsage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const u = usage as Record<string, unknown>;
  const cacheRead = u.cacheReadInputTokens === undefined ? undefined : count(u.cacheReadInputTokens);
  const cacheWrite = u.cacheWriteInputTokens === undefined ? undefined : count(u.cacheWriteInputTokens);
  const promptTokens = count(u.inputTokens) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const completionTokens = count(u.outputTokens);
  const result: TokenUsage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
  if (cacheRead !== undefined) result.cachedPromptTokens = cacheRead;
  if (cacheWrite !== undefined) result.cacheCreationTokens = cacheWrite;
  return result;
}

type Block = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What an assistant message's content blocks say, in OpenAI's terms. */
interface AssistantAnswer {
  content: string | null;
  reasoning?: string;
  thinkingBlocks: Array<Record<string, unknown>>;
  toolCalls: ToolCallOut[];
  /** The forced JSON tool answered (its input is now the content). */
  answeredJson: boolean;
}

function readContent(blocks: Block[], jsonMode: boolean): AssistantAnswer {
  let text = '';
  let reasoning = '';
  const thinkingBlocks: Array<Record<string, unknown>> = [];
  const toolCalls: ToolCallOut[] = [];
  let answeredJson = false;
  for (const block of blocks) {
    if (typeof block.text === 'string') text += block.text;
    else if (block.toolUse) {
      const { toolUseId, name, input } = block.toolUse as { toolUseId: string; name: string; input: unknown };
      if (jsonMode && name === JSON_TOOL_NAME) {
        text += JSON.stringify(input ?? {});
        answeredJson = true;
      } else {
        toolCalls.push({ id: toolUseId, name, arguments: JSON.stringify(input ?? {}) });
      }
    } else if (block.reasoningContent) {
      const r = block.reasoningContent as { reasoningText?: { text?: string; signature?: string }; redactedContent?: string };
      if (r.reasoningText) {
        reasoning += r.reasoningText.text ?? '';
        thinkingBlocks.push({ type: 'thinking', thinking: r.reasoningText.text ?? '', ...(r.reasoningText.signature ? { signature: r.reasoningText.signature } : {}) });
      } else if (r.redactedContent !== undefined) {
        thinkingBlocks.push({ type: 'redacted_thinking', data: r.redactedContent });
      }
    }
  }
  return { content: text === '' && toolCalls.length > 0 ? null : text, reasoning: reasoning || undefined, thinkingBlocks, toolCalls, answeredJson };
}

/**
 * A Converse response as an OpenAI `chat.completion` body. Reasoning comes back as `reasoning_content`
 * (and, with Claude's signatures, as `thinking_blocks` to send back on the next turn, as LiteLLM does);
 * in JSON mode the forced tool's input is the message content and the finish reason `stop`.
 */
export function toChatCompletion(response: Block, model: string, jsonMode: boolean): { body: Buffer; usage?: TokenUsage } {
  const blocks: Block[] = Array.isArray(response.output?.message?.content) ? response.output.message.content : [];
  const answer = readContent(blocks, jsonMode);
  const usage = converseUsage(response.usage);
  let finish = finishReason(response.stopReason);
  if (answer.answeredJson && answer.toolCalls.length === 0 && finish === 'tool_calls') finish = 'stop';
  const message: Record<string, unknown> = { role: 'assistant', content: answer.content };
  if (answer.reasoning) message.reasoning_content = answer.reasoning;
  if (answer.thinkingBlocks.length > 0) message.thinking_blocks = answer.thinkingBlocks;
  if (answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  }
  const body = {
    id: `chatcmpl-${randomUUID().replace(/-/g, '')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    ...(usage ? { usage: openAIUsage(usage) } : {}),
  };
  return { body: Buffer.from(JSON.stringify(body)), usage };
}
