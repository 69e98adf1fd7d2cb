import type { ScopedCheck } from './limit-scopes';
import type { CounterUsage } from './rate-limit-store';

/** OpenAI's rate-limit headers; only those of limits that apply are present. */
export interface RateLimitHeaders {
  'x-ratelimit-limit-requests'?: string;
  'x-ratelimit-remaining-requests'?: string;
  'x-ratelimit-limit-tokens'?: string;
  'x-ratelimit-remaining-tokens'?: string;
}

/**
 * Reports, for requests and for tokens separately, the scope with the least left after this request: the
 * limit the caller will hit first.
 */
export function rateLimitHeaders(checks: readonly ScopedCheck[], usage: readonly CounterUsage[]): RateLimitHeaders {
  const headers: RateLimitHeaders = {};
  let fewestRequests = Number.POSITIVE_INFINITY;
  let fewestTokens = Number.POSITIVE_INFINITY;
  checks.forEach((check, index) => {
    const { requests, tokens } = usage[index];
    if (check.rpm !== undefined && check.rpm - requests < fewestRequests) {
      fewestRequests = check.rpm - requests;
      headers['x-ratelimit-limit-requests'] = String(check.rpm);
      headers['x-ratelimit-remaining-requests'] = String(Math.max(0, fewestRequests));
    }
    if (check.tpm !== undefined && check.tpm - tokens < fewestTokens) {
      fewestTokens = check.tpm - tokens;
      headers['x-ratelimit-limit-tokens'] = String(check.tpm);
      headers['x-ratelimit-remaining-tokens'] = String(Math.max(0, fewestTokens));
    }
  });
  return headers;
}
