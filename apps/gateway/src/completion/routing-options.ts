import type { CallerIdentity } from '@tollgate/auth';
import { badRequest, type CancelSignal } from '@tollgate/common';
import type { RoutedRequest } from '@tollgate/routing';
import { authorizeModel } from '@tollgate/tenancy';

type Headers = Record<string, string | string[] | undefined>;

function seconds(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) throw badRequest(`"${field}" must be a positive number of seconds; got ${JSON.stringify(value)}.`, field);
  return Math.round(number * 1000);
}

function retries(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) throw badRequest(`"${field}" must be a whole number of 0 or more; got ${JSON.stringify(value)}.`, field);
  return number;
}

/** `fallbacks` as LiteLLM accepts it per request: model names, or `{model: ...}` objects. */
function fallbackModels(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badRequest('"fallbacks" must be a list of model names.', 'fallbacks');
  return value.map((entry, index) => {
    const model = typeof entry === 'string' ? entry : entry && typeof entry === 'object' ? (entry as { model?: unknown }).model : undefined;
    if (typeof model !== 'string' || model === '') throw badRequest(`"fallbacks[${index}]" must be a model name (or {"model": name}).`, `fallbacks[${index}]`);
    return model;
  });
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Tags for tag routing: the body's `tags` and `metadata.tags`, the `x-litellm-tags` header (comma-separated), then the key's. */
export function routingTags(identity: CallerIdentity, body: Record<string, unknown>, headers: Headers): string[] | undefined {
  const tags: string[] = [];
  const add = (value: unknown) => {
    if (Array.isArray(value)) for (const tag of value) if (typeof tag === 'string' && tag !== '') tags.push(tag);
  };
  add(body.tags);
  const metadata = body.metadata;
  if (metadata && typeof metadata === 'object') add((metadata as { tags?: unknown }).tags);
  add(header(headers, 'x-litellm-tags')?.split(',').map((tag) => tag.trim()));
  add(identity.key?.tags);
  return tags.length > 0 ? tags : undefined;
}

/**
 * The routing a request asks for itself: `num_retries` (body, or the `x-litellm-num-retries` header),
 * `fallbacks` (each checked against the caller's model access, 401 otherwise), `timeout` and `stream_timeout`
 * in seconds. Every bad value is a 400 naming the field.
 */
export function routedRequest(
  identity: CallerIdentity,
  accessGroups: ReadonlyMap<string, readonly string[]>,
  body: Record<string, unknown>,
  headers: Headers,
  call: { model: string; inputTokens: number; stream: boolean; signal: CancelSignal },
): RoutedRequest {
  const fallbacks = fallbackModels(body.fallbacks)?.map((model) => authorizeModel(identity, model, accessGroups));
  return {
    model: call.model,
    inputTokens: call.inputTokens,
    stream: call.stream,
    signal: call.signal,
    tags: routingTags(identity, body, headers),
    numRetries: retries(body.num_retries, 'num_retries') ?? retries(header(headers, 'x-litellm-num-retries'), 'x-litellm-num-retries'),
    fallbacks,
    timeoutMs: seconds(body.timeout, 'timeout'),
    streamTimeoutMs: seconds(body.stream_timeout, 'stream_timeout'),
  };
}
