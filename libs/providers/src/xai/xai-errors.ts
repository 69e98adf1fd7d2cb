import { GatewayError } from '@tollgate/common';
import type { UpstreamErrorDetail } from '../shared/upstream-errors';

/** xAI sometimes URL-encodes its error text (`Incorrect%20API%20key%20provided`). */
function decoded(text: string): string {
  if (!/%[0-9A-Fa-f]{2}/.test(text)) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const BAD_KEY = /incorrect api key|invalid api key|no api key/i;
const PROMPT_TOO_LONG = /maximum prompt length/i;

/**
 * Reads xAI's error bodies, `{"code":"<gRPC-style status text>","error":"<message>"}`, into OpenAI terms:
 * a wrong key (which xAI answers with HTTP 400) is marked `invalid_api_key`, and xAI's wording for a prompt
 * over the context window ("This model's maximum prompt length is ...") `context_length_exceeded`.
 */
export function readXaiError(text: string): UpstreamErrorDetail | undefined {
  let parsed: { code?: unknown; error?: unknown };
  try {
    parsed = JSON.parse(text) as { code?: unknown; error?: unknown };
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed.error !== 'string') return undefined;
  const message = decoded(parsed.error);
  if (BAD_KEY.test(message)) return { message, type: 'authentication_error', code: 'invalid_api_key', param: null };
  if (PROMPT_TOO_LONG.test(message)) return { message, type: 'invalid_request_error', code: 'context_length_exceeded', param: null };
  return { message, type: typeof parsed.code === 'string' ? parsed.code : undefined, code: null, param: null };
}

/** xAI answers a wrong key with HTTP 400; callers (and OpenAI SDKs) expect 401 for that. */
export function xaiAuthStatus(err: unknown): unknown {
  if (err instanceof GatewayError && err.status === 400 && err.options.code === 'invalid_api_key') {
    return new GatewayError(401, 'authentication_error', err.message, err.options);
  }
  return err;
}
