import { randomUUID } from 'node:crypto';
import type { TokenUsage } from '../provider.types';
import { openAIUsage, type FinishReason } from '../shared/openai-chunks';
import type { GeminiCandidate, GeminiPart, GeminiResponse, GeminiUsageMetadata } from './gemini.types';
import { toolCallId } from './tool-call-ids';

/** Finish reasons that mean Gemini withheld or cut the answer for safety, blocklist or recitation. */
const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']);

/** Gemini `finishReason` to OpenAI's; `STOP` with function calls is `tool_calls`. */
export function finishReasonOf(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason && FILTERED.has(reason)) return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

/** `usageMetadata` in Tollgate's terms. Thinking tokens count as completion tokens (and as reasoning tokens), as in OpenAI. */
export function usageOf(meta: GeminiUsageMetadata | undefined): TokenUsage | undefined {
  if (!meta || (meta.promptTokenCount === undefined && meta.candidatesTokenCount === undefined && meta.totalTokenCount === undefined)) return undefined;
  const promptTokens = (meta.promptTokenCount ?? 0) + (meta.toolUsePromptTokenCount ?? 0);
  const completionTokens = (meta.candidatesTokenCount ?? 0) + (meta.thoughtsTokenCount ?? 0);
  const usage: TokenUsage = { promptTokens, completionTokens, totalTokens: meta.totalTokenCount ?? promptTokens + completionTokens };
  if (meta.cachedContentTokenCount !== undefined) usage.cachedPromptTokens = meta.cachedContentTokenCount;
  if (meta.thoughtsTokenCount !== undefined) usage.reasoningTokens = meta.thoughtsTokenCount;
  return usage;
}

export interface TranslatedToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** What one part adds to an OpenAI message: answer text, reasoning text, or a tool call. */
export type PartOutput = { text: string } | { reasoning: string } | { toolCall: TranslatedToolCall } | undefined;

/**
 * One Gemini part in OpenAI terms. Code execution parts become fenced text so the answer stays readable;
 * parts with no OpenAI equivalent (generated media) are left out.
 */
export function partOutput(part: GeminiPart): PartOutput {
  if (part.functionCall) {
    const call = part.functionCall;
    return {
      toolCall: { id: toolCallId(call.id, part.thoughtSignature), type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) } },
    };
  }
  if (typeof part.text === 'string') return part.thought ? { reasoning: part.text } : { text: part.text };
  if (part.executableCode?.code !== undefined) return { text: `\n\`\`\`${(part.executableCode.language ?? '').toLowerCase()}\n${part.executableCode.code}\n\`\`\`\n` };
  if (part.codeExecutionResult?.output !== undefined) return { text: `\n\`\`\`\n${part.codeExecutionResult.output}\n\`\`\`\n` };
  return undefined;
}

function choiceOf(candidate: GeminiCandidate, position: number): Record<string, unknown> {
  let text = '';
  let reasoning = '';
  const toolCalls: TranslatedToolCall[] = [];
  for (const part of candidate.content?.parts ?? []) {
    const out = partOutput(part);
    if (!out) continue;
    if ('text' in out) text += out.text;
    else if ('reasoning' in out) reasoning += out.reasoning;
    else toolCalls.push(out.toolCall);
  }
  const message: Record<string, unknown> = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return { index: candidate.index ?? position, message, logprobs: null, finish_reason: finishReasonOf(candidate.finishReason, toolCalls.length > 0) };
}

/**
 * A whole `generateContent` response as an OpenAI `chat.completion` body, one choice per candidate. A prompt
 * Gemini refused to answer (`promptFeedback.blockReason`, no candidates) is an empty `content_filter` answer.
 */
export function fromGeminiResponse(response: GeminiResponse, model: string): { body: Buffer; usage?: TokenUsage } {
  const candidates = response.candidates ?? [];
  const choices =
    candidates.length > 0
      ? candidates.map(choiceOf)
      : [{ index: 0, message: { role: 'assistant', content: '' }, logprobs: null, finish_reason: response.promptFeedback?.blockReason ? 'content_filter' : 'stop' }];
  const usage = usageOf(response.usageMetadata);
  const body = {
    id: `chatcmpl-${randomUUID().replace(/-/g, '')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices,
    ...(usage ? { usage: openAIUsage(usage) } : {}),
  };
  return { body: Buffer.from(JSON.stringify(body)), usage };
}
