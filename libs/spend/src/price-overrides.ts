import { scaledInteger, scaledIntegerFromNumber } from './decimal';
import { ATTODOLLAR_SCALE, type ModelPrice } from './model-price';

type PriceField = Exclude<keyof ModelPrice, 'mode' | 'maxInputTokens' | 'maxOutputTokens' | 'catalogKey' | 'overridden'>;

/** LiteLLM's per-deployment price settings (USD per token / per image / per second) and the field each sets. */
const OVERRIDE_FIELDS: ReadonlyArray<readonly [string, PriceField]> = [
  ['input_cost_per_token', 'inputPerToken'],
  ['output_cost_per_token', 'outputPerToken'],
  ['cache_read_input_token_cost', 'cacheReadPerToken'],
  ['cache_creation_input_token_cost', 'cacheWritePerToken'],
  ['output_cost_per_reasoning_token', 'reasoningPerToken'],
  ['input_cost_per_image', 'inputPerImage'],
  ['output_cost_per_image', 'outputPerImage'],
  ['input_cost_per_second', 'inputPerSecond'],
  ['output_cost_per_second', 'outputPerSecond'],
];

export type PriceOverrides = Partial<Pick<ModelPrice, PriceField>>;

export interface OverrideReading {
  overrides: PriceOverrides;
  /** Settings present but not a non-negative number, by name: ignored, and worth a warning. */
  invalid: string[];
}

function attodollars(value: unknown): bigint | undefined {
  try {
    if (typeof value === 'number') return scaledIntegerFromNumber(value, ATTODOLLAR_SCALE);
    if (typeof value === 'string') return scaledInteger(value, ATTODOLLAR_SCALE);
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * The price settings of a deployment. `litellm_params` wins over `model_info` when both set the same price
 * (the params are what the deployment is called with).
 */
export function readPriceOverrides(
  params: Readonly<Record<string, unknown>> | undefined,
  modelInfo: Readonly<Record<string, unknown>> | undefined,
): OverrideReading {
  const overrides: PriceOverrides = {};
  const invalid: string[] = [];
  for (const [setting, field] of OVERRIDE_FIELDS) {
    const raw = params?.[setting] ?? modelInfo?.[setting];
    if (raw === undefined || raw === null) continue;
    const value = attodollars(raw);
    if (value === undefined) invalid.push(setting);
    else overrides[field] = value;
  }
  return { overrides, invalid };
}

export function applyOverrides(base: ModelPrice | undefined, overrides: PriceOverrides): ModelPrice | undefined {
  if (Object.keys(overrides).length === 0) return base;
  return { ...(base ?? { inputPerToken: 0n, outputPerToken: 0n }), ...overrides, overridden: true };
}
