import type { GatewayError } from '@tollgate/common';
import type { FailureClass } from './cooldowns';

/** What `failureClassOf` reads: a GatewayError, or the status and OpenAI `type` / `code` of an error body. */
export type ClassifiableError = GatewayError | { status: number; type?: string | null; code?: string | null };

const CONTENT_POLICY = new Set(['content_policy_violation', 'content_filter']);

function codeOf(error: ClassifiableError): string | null | undefined {
  return 'options' in error ? error.options.code : error.code;
}

/**
 * LiteLLM's exception class for a failed call, used for `retry_policy` and `allowed_fails_policy`: a safety
 * refusal is a ContentPolicyViolationError, 401/403 an AuthenticationError, 408/504 or any `timeout` a
 * TimeoutError, 429 a RateLimitError, 5xx (and failures without an HTTP status) an InternalServerError, and
 * every other 4xx a BadRequestError.
 */
export function failureClassOf(error: ClassifiableError): FailureClass {
  const { status } = error;
  const code = codeOf(error);
  const type = error.type ?? undefined;
  if ((code && CONTENT_POLICY.has(code)) || (type && CONTENT_POLICY.has(type))) return 'ContentPolicyViolationError';
  if (status === 429) return 'RateLimitError';
  if (status === 401 || status === 403) return 'AuthenticationError';
  if (status === 408 || status === 504 || type === 'timeout' || code === 'timeout') return 'TimeoutError';
  if (status >= 400 && status < 500) return 'BadRequestError';
  return 'InternalServerError';
}
