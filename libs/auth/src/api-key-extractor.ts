/** Request headers a caller's key may arrive in (OpenAI SDKs, Azure SDKs, Anthropic SDKs, LiteLLM clients). */
type Headers = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The caller's key from `Authorization: Bearer`, `x-api-key`, `api-key` or `x-litellm-api-key`; undefined when none. */
export function extractApiKey(headers: Headers): string | undefined {
  const authorization = first(headers.authorization);
  if (authorization) {
    const match = /^\s*Bearer\s+(.+?)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  for (const name of ['x-litellm-api-key', 'x-api-key', 'api-key']) {
    const value = first(headers[name])?.trim();
    if (value) return value.replace(/^Bearer\s+/i, '');
  }
  return undefined;
}
