import type { GatewayError } from '@tollgate/common';
import type { FailureClass } from '../cooldowns/cooldowns';
import { MAX_RETRY_DELAY_MS, type RouterPolicy } from './router.types';

/**
 * How many retries a group allows after a failure of this class: the class's entry in
 * `model_group_retry_policy`, else in `retry_policy` (either one wins even over a per-request `num_retries`, as in
 * LiteLLM), else the request's own `num_retries`, else the router's. Without an explicit policy for its class,
 * a caller error (400: bad request, context window, content policy) is not retried — it goes to fallbacks —
 * and an authentication or not-found error is retried only on another deployment (its key or model may differ).
 */
export function retriesAllowed(
  policy: RouterPolicy,
  group: string,
  failure: FailureClass,
  error: GatewayError,
  requestRetries: number | undefined,
  otherDeploymentsLeft: boolean,
): number {
  const explicit = (Object.hasOwn(policy.modelGroupRetryPolicy, group) ? policy.modelGroupRetryPolicy[group][failure] : undefined) ?? policy.retryPolicy[failure];
  if (explicit !== undefined) return explicit;
  const general = requestRetries ?? policy.numRetries;
  if (failure === 'BadRequestError' || failure === 'ContentPolicyViolationError') return 0;
  if (failure === 'AuthenticationError' || error.status === 404) return otherDeploymentsLeft ? general : 0;
  return general;
}

/**
 * Wait before retrying the same deployment: rate limits back off exponentially from 0.5 s (at least
 * `retry_after`, at least the upstream's `retry-after`), other failures are retried at once; never longer
 * than the longest retry delay.
 */
export function retryDelayMs(policy: RouterPolicy, failure: FailureClass, retryAfterMs: number | undefined, retry: number): number {
  if (failure !== 'RateLimitError') return 0;
  const backoff = 500 * 2 ** Math.max(0, retry - 1);
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(backoff, policy.retryAfterSeconds * 1000, retryAfterMs ?? 0));
}
