import { randomBytes } from 'node:crypto';
import type { TokenUsage } from '../provider.types';
import { chatCompletionBody, type FinishReason, type ToolCallOut } from '../shared/openai-chunks';
import type { OllamaResponse, OllamaToolCall } from './ollama.types';

/**
 * Ollama's `done_reason` in OpenAI's terms. Ollama reports `stop` even when the model called tools, so the
 * presence of tool calls decides `tool_calls`.
 */
export function ollamaFinishReason(doneReason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return 'tool_calls';
  return doneReason === 'length' ? 'length' : 'stop';
}

/** Token counts of a final response object (`prompt_eval_count` is absent when the whole prompt was cached). */
export function ollamaUsage(response: OllamaResponse): TokenUsage | undefined {
  const prompt = count(response.prompt_eval_count);
  const completion = count(response.eval_count);
  if (prompt === undefined && completion === undefined) return undefined;
  return { promptTokens: prompt ?? 0, completionTokens: completion ?? 0, totalTokens: (prompt ?? 0) + (completion ?? 0) };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

/** An OpenAI id for a tool call: the one Ollama gave, else a fresh `call_...` (Ollama's older servers give none). */
export function toolCallId(call: OllamaToolCall): string {
  return typeof call.id === 'string' && call.id ? call.id : `call_${randomBytes(12).toString('hex')}`;
}

/** Ollama passes tool arguments as an object; OpenAI carries them as JSON text. */
export function toolArguments(call: OllamaToolCall): string {
  const args = call.function?.arguments;
  return typeof args === 'string' ? args : JSON.stringify(args ?? {});
}

/** A whole `/api/chat` (message) or `/api/generate` (response) answer as an OpenAI `chat.completion` body. */
export function fromOllamaResponse(response: OllamaResponse, model: string): { body: Buffer; usage?: TokenUsage } {
  const text = response.message?.content ?? response.response ?? '';
  const reasoning = response.message?.thinking ?? response.thinking;
  const toolCalls: ToolCallOut[] = (response.message?.tool_calls ?? []).map((call) => ({ id: toolCallId(call), name: call.function?.name ?? '', arguments: toolArguments(call) }));
  const usage = ollamaUsage(response);
  const body = chatCompletionBody({
    model,
    content: text || (toolCalls.length > 0 ? null : ''),
    reasoning: reasoning || undefined,
    toolCalls,
    finishReason: ollamaFinishReason(response.done_reason, toolCalls.length > 0),
    usage,
  });
  return { body, usage };
}
