import { Logger } from '@nestjs/common';
import type { TokenUsage } from '@tollgate/providers';
import { countUsage, type PromptRequest } from '@tollgate/spend';
import { RelayedOutput } from './relayed-output';

const logger = new Logger('StreamBilling');

/**
 * Works out what one stream is billed for. The provider's usage wins when the stream ran to its end with it.
 * Otherwise the model's tokenizer counts the prompt and the text relayed to the caller: the whole answer
 * when the provider reported no usage, the part produced before the cut when the caller (or the upstream)
 * ended the stream early. A cut stream keeps the provider's own figures where they are larger (Anthropic
 * reports the prompt at the start, Gemini a running count).
 */
export class StreamMeter {
  private readonly relayed = new RelayedOutput();

  constructor(
    private readonly request: PromptRequest,
    /** The model name to pick the tokenizer by (see tokenizerModelOf). */
    private readonly model: string,
  ) {}

  /** Notes one event on its way to the caller. */
  observe(event: Buffer): void {
    this.relayed.observe(event);
  }

  /** The usage to record; `complete` is true when the stream reached its end, so provider usage is final. */
  usage(provider: TokenUsage | undefined, complete: boolean): TokenUsage | undefined {
    if (provider && complete) return provider;
    let counted: TokenUsage;
    try {
      counted = countUsage(this.request, this.relayed, this.model);
    } catch (err) {
      // Billing what the provider said beats failing to record the request at all.
      logger.warn(`Could not count the tokens of a stream on ${this.model}: ${(err as Error).message}`);
      return provider;
    }
    if (!provider) return counted;
    const promptTokens = provider.promptTokens > 0 ? provider.promptTokens : counted.promptTokens;
    const providerCompletion = provider.completionTokens >= counted.completionTokens;
    const completionTokens = providerCompletion ? provider.completionTokens : counted.completionTokens;
    const usage: TokenUsage = Object.assign({}, provider, { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens });
    const reasoningTokens = providerCompletion ? provider.reasoningTokens : counted.reasoningTokens;
    if (reasoningTokens === undefined) delete usage.reasoningTokens;
    else usage.reasoningTokens = reasoningTokens;
    return usage;
  }
}
