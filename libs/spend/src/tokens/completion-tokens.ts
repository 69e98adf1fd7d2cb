import type { TokenUsage } from '@tollgate/providers';
import { encodingForModel } from './encodings';
import { TextTokenCounter } from './text-token-counter';
import { countPromptTokens, type PromptRequest } from './prompt-tokens';

/** What a model produced (or the part of it relayed before a stream was cut), as text. */
export interface ProducedOutput {
  /** Answer text of every choice, refusals included. */
  content: string;
  /** Reasoning / thinking text the provider exposed. */
  reasoning: string;
  /** Names of the tools the model called. */
  toolCallNames: readonly string[];
  /** The argument JSON of every tool call, concatenated as produced. */
  toolCallArguments: string;
}

/**
 * Completion tokens of produced output: the tokens of its text, reasoning, tool names and arguments. The
 * few tokens OpenAI adds to frame a tool call are not counted, and reasoning a provider keeps hidden (the
 * o-series) cannot be, so this errs low.
 */
export function countCompletionTokens(output: ProducedOutput, model: string, counter = new TextTokenCounter(encodingForModel(model))): { completionTokens: number; reasoningTokens: number } {
  const count = counter.count;
  const reasoningTokens = count(output.reasoning);
  let completionTokens = count(output.content) + reasoningTokens + count(output.toolCallArguments);
  for (const name of output.toolCallNames) completionTokens += count(name);
  return { completionTokens, reasoningTokens };
}

/** Usage counted with the model's tokenizer, for a response whose provider reported none. */
export function countUsage(request: PromptRequest, output: ProducedOutput, model: string): TokenUsage {
  // One budget for the whole response (see TextTokenCounter).
  const counter = new TextTokenCounter(encodingForModel(model));
  const promptTokens = countPromptTokens(request, model, counter);
  const { completionTokens, reasoningTokens } = countCompletionTokens(output, model, counter);
  const usage: TokenUsage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
  if (reasoningTokens > 0) usage.reasoningTokens = reasoningTokens;
  return usage;
}
