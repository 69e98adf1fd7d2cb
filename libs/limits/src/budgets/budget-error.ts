import { GatewayError } from '@tollgate/common';
import type { BudgetCounter } from './budget-counters';

const OWNER: Record<BudgetCounter['scope'], string> = {
  key: 'Key',
  key_model: 'Key',
  user: 'User',
  team: 'Team',
  team_member: 'Team member',
  organization: 'Organization',
  end_user: 'End User',
};

/** A retry is only worth suggesting when the budget renews soon; otherwise the caller needs an administrator. */
const RETRY_HORIZON_MS = 3_600_000;

function usd(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/**
 * HTTP 429 `budget_exceeded` (as current LiteLLM answers), naming whose budget it is, its spend and the budget,
 * and when it resets; `retry-after` only when that is within the hour.
 */
export function budgetExceededError(counter: BudgetCounter, spendUsd: number, now: number): GatewayError {
  const owner = `${OWNER[counter.scope]}=${counter.subject}${counter.model !== undefined ? ` on model=${counter.model}` : ''}`;
  const resets = counter.period > 0 ? ` The budget resets at ${new Date(counter.period).toISOString()}.` : ' The budget does not reset; ask an administrator to raise it.';
  const message = `Budget has been exceeded! ${owner} Current cost: ${usd(spendUsd)}, Max budget: ${usd(counter.maxBudget ?? 0)}.${resets}`;
  const untilReset = counter.period - now;
  const headers = counter.period > 0 && untilReset <= RETRY_HORIZON_MS ? { 'retry-after': String(Math.max(1, Math.ceil(untilReset / 1000))) } : undefined;
  return new GatewayError(429, 'budget_exceeded', message, { code: 'budget_exceeded', param: null, headers });
}
