import type { CatalogEntry } from './catalog/catalog-entry';
import { scaledInteger } from './decimal';

/** 10^-18 USD: per-million-token prices with up to 12 decimals and per-token prices with up to 18 are whole numbers of it. */
export const ATTODOLLAR_SCALE = 18;

/**
 * What a model costs, in attodollars (10^-18 USD) per token, per image or per second. Integers so that a
 * request's cost is exact; `costOf` turns these into picodollars.
 */
export interface ModelPrice {
  inputPerToken: bigint;
  outputPerToken: bigint;
  /** Absent: cache reads cost the input price. */
  cacheReadPerToken?: bigint;
  /** Absent: cache writes cost the input price. */
  cacheWritePerToken?: bigint;
  /** Absent: reasoning tokens cost the output price. */
  reasoningPerToken?: bigint;
  inputPerImage?: bigint;
  outputPerImage?: bigint;
  inputPerSecond?: bigint;
  outputPerSecond?: bigint;
  mode?: CatalogEntry['mode'];
  maxInputTokens?: number;
  maxOutputTokens?: number;
  /** The catalog entry the price came from, when it came from the catalog. */
  catalogKey?: string;
  /** True when configuration (`input_cost_per_token`, ...) set at least one of the prices. */
  overridden: boolean;
}

/** Per-million-token decimal -> attodollars per token (10^18 / 10^6). */
const perMillion = (text: string): bigint => scaledInteger(text, ATTODOLLAR_SCALE - 6);
const perUnit = (text: string): bigint => scaledInteger(text, ATTODOLLAR_SCALE);

export function priceFromCatalogEntry(key: string, entry: CatalogEntry): ModelPrice {
  const price: ModelPrice = {
    inputPerToken: entry.input === undefined ? 0n : perMillion(entry.input),
    outputPerToken: entry.output === undefined ? 0n : perMillion(entry.output),
    mode: entry.mode,
    catalogKey: key,
    overridden: false,
  };
  if (entry.cache_read !== undefined) price.cacheReadPerToken = perMillion(entry.cache_read);
  if (entry.cache_write !== undefined) price.cacheWritePerToken = perMillion(entry.cache_write);
  if (entry.reasoning !== undefined) price.reasoningPerToken = perMillion(entry.reasoning);
  if (entry.input_per_image !== undefined) price.inputPerImage = perUnit(entry.input_per_image);
  if (entry.output_per_image !== undefined) price.outputPerImage = perUnit(entry.output_per_image);
  if (entry.input_per_second !== undefined) price.inputPerSecond = perUnit(entry.input_per_second);
  if (entry.output_per_second !== undefined) price.outputPerSecond = perUnit(entry.output_per_second);
  if (entry.max_input_tokens !== undefined) price.maxInputTokens = entry.max_input_tokens;
  if (entry.max_output_tokens !== undefined) price.maxOutputTokens = entry.max_output_tokens;
  return price;
}
