import type { TollgateConfig } from '@tollgate/config';

/**
 * `litellm_settings.max_budget` (USD) for GET /global/spend, 0 when unset as in LiteLLM. The config loader
 * does not interpret the setting yet, so a value that is not a non-negative number also reads as 0.
 */
export function globalMaxBudget(config: TollgateConfig): number {
  const value = config.litellm_settings.max_budget;
  const amount = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof amount === 'number' && Number.isFinite(amount) && amount >= 0 ? amount : 0;
}
