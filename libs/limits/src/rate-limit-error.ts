import { GatewayError } from '@tollgate/common';
import type { RateLimitRefusal } from './rate-limiter';

const LIMIT_FIELD = { rpm: 'rpm_limit', tpm: 'tpm_limit', parallel: 'max_parallel_requests' } as const;
const SCOPE_NAME = { key: 'key', key_model: 'key', user: 'user', team: 'team', team_member: 'team member', end_user: 'end user' } as const;

/** The setting's name as configured, e.g. `model_rpm_limit` for a per-model key limit. */
export function limitFieldName(refusal: Pick<RateLimitRefusal, 'scope' | 'limit'>): string {
  const field = LIMIT_FIELD[refusal.limit];
  return refusal.scope === 'key_model' ? `model_${field}` : field;
}

/** HTTP 429 `rate_limit_error` naming the limit that refused, with `retry-after`. */
export function rateLimitError(refusal: RateLimitRefusal): GatewayError {
  const owner = `${SCOPE_NAME[refusal.scope]} ${refusal.subject}${refusal.model !== undefined ? ` on model ${refusal.model}` : ''}`;
  const message = `Rate limit reached for ${owner}: ${limitFieldName(refusal)} ${refusal.limitValue}. Retry after ${refusal.retryAfterSeconds} s.`;
  return new GatewayError(429, 'rate_limit_error', message, {
    code: 'rate_limit_exceeded',
    headers: { 'retry-after': String(refusal.retryAfterSeconds) },
  });
}
