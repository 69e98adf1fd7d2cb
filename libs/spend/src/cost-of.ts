import type { TokenUsage } from '@tollgate/providers';
import { divideRoundingHalfUp } from './decimal';
import type { ModelPrice } from './model-price';
import type { Picodollars } from './usd';

/** Token usage plus the units some models bill besides tokens. */
export interface MeteredUsage extends TokenUsage {
  /** Images sent in the prompt (models priced per input image). */
  inputImages?: number;
  /** Images produced. */
  outputImages?: number;
  /** Audio or video sent, in seconds (models priced per input second). */
  inputSeconds?: number;
  /** Audio or video produced, in seconds. */
  outputSeconds?: number;
}

const MILLI = 1000n;
/** Attodollars x 1000 (the sum is kept in thousandths so seconds can be counted in milliseconds) -> picodollars. */
const SUM_UNITS_PER_PICODOLLAR = 10n ** 6n * MILLI;

const count = (value: number | undefined): bigint =>
  value !== undefined && Number.isFinite(value) && value > 0 ? BigInt(Math.round(value)) : 0n;
const milliseconds = (seconds: number | undefined): bigint => count(seconds === undefined ? undefined : seconds * 1000);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * What a request cost, exactly, in picodollars. Cached prompt tokens are charged at the cache-read price and
 * cache-creation tokens at the cache-write price (both are part of `promptTokens`), the rest of the prompt at
 * the input price; reasoning tokens (part of `completionTokens`) at the reasoning price when the model has
 * one. The sum is computed in integers and rounded once, half up, to the picodollar.
 */
export function costOf(usage: MeteredUsage, price: ModelPrice): Picodollars {
  const prompt = count(usage.promptTokens);
  const cacheRead = min(count(usage.cachedPromptTokens), prompt);
  const cacheWrite = min(count(usage.cacheCreationTokens), prompt - cacheRead);
  const plainPrompt = prompt - cacheRead - cacheWrite;

  const completion = count(usage.completionTokens);
  const reasoning = price.reasoningPerToken === undefined ? 0n : min(count(usage.reasoningTokens), completion);
  const plainCompletion = completion - reasoning;

  const attodollars =
    plainPrompt * price.inputPerToken +
    cacheRead * (price.cacheReadPerToken ?? price.inputPerToken) +
    cacheWrite * (price.cacheWritePerToken ?? price.inputPerToken) +
    plainCompletion * price.outputPerToken +
    reasoning * (price.reasoningPerToken ?? 0n) +
    count(usage.inputImages) * (price.inputPerImage ?? 0n) +
    count(usage.outputImages) * (price.outputPerImage ?? 0n);
  const perSecondMilli =
    milliseconds(usage.inputSeconds) * (price.inputPerSecond ?? 0n) + milliseconds(usage.outputSeconds) * (price.outputPerSecond ?? 0n);

  return divideRoundingHalfUp(attodollars * MILLI + perSecondMilli, SUM_UNITS_PER_PICODOLLAR);
}
