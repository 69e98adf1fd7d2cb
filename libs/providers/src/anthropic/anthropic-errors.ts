import type { UpstreamErrorDetail } from '../shared/upstream-errors';
import type { AnthropicErrorBody } from './anthropic.types';

/**
 * Reads Anthropic's error body `{"type":"error","error":{"type","message"},"request_id"}`. Its error types
 * are already OpenAI's words for most statuses; `request_too_large` (413) becomes an invalid request with
 * that code. Undefined when the body is not Anthropic's (an HTML page from a proxy), so the default applies.
 */
export function readAnthropicError(text: string): UpstreamErrorDetail | undefined {
  let parsed: AnthropicErrorBody;
  try {
    parsed = JSON.parse(text) as AnthropicErrorBody;
  } catch {
    return undefined;
  }
  const error = parsed?.error;
  if (!error || typeof error !== 'object' || typeof error.message !== 'string') return undefined;
  return anthropicErrorDetail(error.type, error.message);
}

export function anthropicErrorDetail(type: string | undefined, message: string): UpstreamErrorDetail {
  if (type === 'request_too_large') return { message, type: 'invalid_request_error', code: 'request_too_large', param: null };
  if (type === 'billing_error') return { message, type: 'insufficient_quota', code: 'insufficient_quota', param: null };
  return { message, type, code: null, param: null };
}
