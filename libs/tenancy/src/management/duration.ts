import { badRequest } from '@tollgate/common';
import { addBudgetDuration, parseBudgetDuration } from '@tollgate/spend';

/**
 * When a period starting `from` ends, for LiteLLM's duration strings: `30s`, `30m`, `24h`, `7d`, `2w`, `1mo`
 * (calendar months), `1y`. A bad value is a 400 naming `field`.
 */
export function durationEnd(value: string, field: string, from: Date = new Date()): Date {
  const duration = parseBudgetDuration(value);
  if (!duration) throw badRequest(`"${field}" must be a duration like "30s", "30m", "24h", "7d", "1mo" or "1y"; got "${value}".`, field);
  return new Date(addBudgetDuration(from.getTime(), duration));
}
