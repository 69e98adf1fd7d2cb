import { GatewayError } from '@tollgate/common';
import type { TokenUsage } from '../provider.types';
import { chatCompletionBody, type FinishReason, type ToolCallOut } from '../shared/openai-chunks';
import type { CohereChatResponse, CohereUsage } from './cohere.types';

/**
 * Cohere's `finish_reason` in OpenAI's terms. `ERROR` and `TIMEOUT` have no OpenAI equivalent: they are
 * failures, reported as errors rather than passed off as a normal stop.
 */
export function cohereFinishReason(reason: string | undefined, hasToolCalls: boolean, errorText?: string): FinishReason {
  switch (reason) {
    case 'MAX_TOKENS':
      return 'length';
    case 'TOOL_CALL':
      return 'tool_calls';
    case 'ERROR':
      throw new GatewayError(500, 'api_error', `Cohere stopped generating with an error${errorText ? `: ${errorText}` : '.'}`, { code: 'upstream_error' });
    case 'TIMEOUT':
      throw new GatewayError(504, 'timeout', `Cohere stopped generating: the model timed out${errorText ? ` (${errorText})` : '.'}`, { code: 'timeout' });
    default:
      // COMPLETE and STOP_SEQUENCE; an unknown reason with tool calls is still a tool-call turn.
      return hasToolCalls ? 'tool_calls' : 'stop';
  }
}

/**
 * Cohere's usage in OpenAI's terms. `billed_units` is what Cohere charges for (it excludes the prompt
 * scaffolding Cohere adds, which `tokens` counts), so spend follows it; `tokens` is the fallback.
 */
export function cohereUsage(usage: CohereUsage | undefined): TokenUsage | undefined {
  if (!usage) return undefined;
  const prompt = count(usage.billed_units?.input_tokens) ?? count(usage.tokens?.input_tokens);
  const completion = count(usage.billed_units?.output_tokens) ?? count(usage.tokens?.output_tokens);
  if (prompt === undefined && completion === undefined) return undefined;
  const result: TokenUsage = { promptTokens: prompt ?? 0, completionTokens: completion ?? 0, totalTokens: (prompt ?? 0) + (completion ?? 0) };
  const cached = count(usage.cached_tokens);
  if (cached !== undefined && cached > 0) result.cachedPromptTokens = cached;
  return result;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

/** A whole Cohere v2 chat response as an OpenAI `chat.completion` body. */
export function fromCohereChatResponse(response: CohereChatResponse, model: string): { body: Buffer; usage?: TokenUsage } {
  const message = response.message ?? {};
  let text = '';
  let reasoning = '';
  for (const part of message.content ?? []) {
    if (part.type === 'text' && typeof part.text === 'string') text += part.text;
    else if (part.type === 'thinking' && typeof part.thinking === 'string') reasoning += part.thinking;
  }
  const toolCalls: ToolCallOut[] = (message.tool_calls ?? []).map((call, i) => ({
    id: call.id ?? `call_${i}`,
    name: call.function?.name ?? '',
    arguments: call.function?.arguments ?? '{}',
  }));
  // The tool plan is the model's own words before calling tools: the text OpenAI would return with the calls.
  if (!text && toolCalls.length > 0 && message.tool_plan) text = message.tool_plan;
  const usage = cohereUsage(response.usage);
  const body = chatCompletionBody({
    model,
    content: text || (toolCalls.length > 0 ? null : ''),
    reasoning: reasoning || undefined,
    toolCalls,
    finishReason: cohereFinishReason(response.finish_reason, toolCalls.length > 0),
    usage,
    extra: message.citations && message.citations.length > 0 ? { citations: message.citations } : undefined,
  });
  return { body, usage };
}
