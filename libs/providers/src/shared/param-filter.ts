import { badRequest } from '@tollgate/common';
import { GATEWAY_REQUEST_KEYS, OPENAI_CHAT_PARAMS, OPENAI_EMBEDDING_PARAMS } from './openai-params';

const CHAT = new Set(OPENAI_CHAT_PARAMS);
const EMBEDDING = new Set(OPENAI_EMBEDDING_PARAMS);
const GATEWAY = new Set(GATEWAY_REQUEST_KEYS);

export interface FilteredRequest<T> {
  request: T;
  /** OpenAI parameters removed because the provider cannot honour them (`drop_params`). */
  dropped: string[];
}

/**
 * Prepares a request body for a provider: removes gateway-only keys, and for each OpenAI parameter the
 * provider cannot honour either drops it (`dropParams`) or refuses the request with a 400 naming it.
 * Returns the original object when nothing changes (the common case allocates nothing).
 */
export function filterParams<T extends Record<string, unknown>>(
  body: T,
  kind: 'chat' | 'embedding',
  supported: ReadonlySet<string>,
  provider: string,
  dropParams: boolean,
): FilteredRequest<T> {
  const known = kind === 'chat' ? CHAT : EMBEDDING;
  let result: T | undefined;
  let dropped: string[] | undefined;
  for (const key in body) {
    if (body[key] === undefined) continue;
    if (GATEWAY.has(key)) {
      result ??= { ...body };
      delete result[key];
      continue;
    }
    if (!known.has(key) || supported.has(key)) continue;
    if (!dropParams) {
      throw badRequest(
        `${provider} does not support parameter "${key}". Remove it, or set drop_params: true ` +
          '(in litellm_settings, the deployment\'s litellm_params, or the request) to drop unsupported parameters.',
        key,
        'unsupported_parameter',
      );
    }
    result ??= { ...body };
    delete result[key];
    (dropped ??= []).push(key);
  }
  return { request: result ?? body, dropped: dropped ?? [] };
}
