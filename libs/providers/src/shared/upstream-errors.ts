import { GatewayError } from '@tollgate/common';
import type { Deployment } from '../provider.types';

const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** OpenAI `type` values by status, for upstreams whose error body does not say. */
function typeForStatus(status: number): string {
  if (status === 400) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 408) return 'timeout';
  if (status === 422) return 'unprocessable_entity_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/** Removes a deployment's credentials from text that came from its upstream. */
export function redactCredentials(text: string, deployment: Deployment): string {
  let result = text;
  for (const secret of [deployment.params.api_key]) {
    if (typeof secret === 'string' && secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}

/** Upstream HTTP failure (status >= 400) to a GatewayError keeping the upstream's status and error fields. */
export function upstreamHttpError(
  deployment: Deployment,
  status: number,
  bodyText: string,
  retryAfter: string | undefined,
): GatewayError {
  const text = bodyText.length > MAX_ERROR_BODY_BYTES ? bodyText.slice(0, MAX_ERROR_BODY_BYTES) : bodyText;
  let message: string | undefined;
  let type: string | undefined;
  let code: string | null = null;
  let param: string | null = null;
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const err = parsed.error;
    if (err && typeof err === 'object') {
      const e = err as Record<string, unknown>;
      if (typeof e.message === 'string') message = e.message;
      if (typeof e.type === 'string') type = e.type;
      if (typeof e.code === 'string' || typeof e.code === 'number') code = String(e.code);
      if (typeof e.param === 'string') param = e.param;
    } else if (typeof err === 'string') {
      message = err;
    } else if (typeof parsed.message === 'string') {
      message = parsed.message;
    }
  } catch {
    // Not JSON: an HTML error page or plain text from a proxy in front of the upstream.
  }
  if (message === undefined) {
    const snippet = text.trim().slice(0, 500);
    message = `Upstream answered HTTP ${status}${snippet ? `: ${snippet}` : ''}`;
  }
  const headers: Record<string, string> = {};
  if (retryAfter) headers['retry-after'] = retryAfter;
  return new GatewayError(status, type ?? typeForStatus(status), redactCredentials(message, deployment), {
    code,
    param,
    headers,
  });
}

/** Network-level failure reaching the upstream (refused, reset, DNS, TLS) to a 502 naming the deployment. */
export function upstreamUnreachable(deployment: Deployment, cause: unknown): GatewayError {
  const reason = networkReason(cause);
  return new GatewayError(
    502,
    'api_connection_error',
    `Could not reach deployment "${deployment.modelName}" (id ${deployment.id}, provider ${deployment.provider}` +
      `${deployment.displayApiBase ? `, api_base ${deployment.displayApiBase}` : ''}): ${reason}.`,
    { code: 'upstream_unreachable' },
  );
}

/** The upstream broke the connection or sent garbage after the response began. */
export function upstreamBroken(deployment: Deployment, cause: unknown): GatewayError {
  return new GatewayError(
    502,
    'api_connection_error',
    `Deployment "${deployment.modelName}" (id ${deployment.id}, provider ${deployment.provider}) failed mid-response: ${networkReason(cause)}.`,
    { code: 'upstream_failed' },
  );
}

function networkReason(cause: unknown): string {
  const err = cause as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
  const inner = err?.cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof inner?.code === 'string' ? inner.code : typeof err?.code === 'string' ? err.code : undefined;
  const message = typeof err?.message === 'string' ? err.message : 'unknown network error';
  return code ? `${code} (${message})` : message;
}
