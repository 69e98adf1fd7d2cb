import { GatewayError, errorTypeForStatus } from '@tollgate/common';
import type { Deployment } from '../provider.types';
import { collectSecrets, redactSecrets } from './secrets';

const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Removes a deployment's credentials (including those its provider takes from the environment) from upstream text. */
export function redactCredentials(text: string, deployment: Deployment): string {
  return redactSecrets(text, deployment.secrets ?? collectSecrets(deployment.params));
}

/** What a provider's error body says, in OpenAI's terms where it can. */
export interface UpstreamErrorDetail {
  message?: string;
  type?: string;
  code?: string | null;
  param?: string | null;
}

const CONTEXT_WINDOW = /context[ _-]?(length|window)|too many (input )?tokens|prompt is too long|input is too long|maximum context|exceeds? the (maximum|max)|token limit|reduce the length/i;
const CONTENT_POLICY = /content[ _-]?(management|policy|filter)|responsibleaipolicy|safety (system|filter)|blocked by/i;

/** Reads the usual error body shapes: OpenAI/Anthropic/Gemini `{error: {...}}`, `{error: "..."}`, `{message}`. */
export function parseErrorBody(text: string): UpstreamErrorDetail {
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown; type?: unknown };
    const err = Array.isArray(parsed) ? (parsed[0] as { error?: unknown })?.error : parsed.error;
    if (err && typeof err === 'object') {
      const e = err as Record<string, unknown>;
      return {
        message: typeof e.message === 'string' ? e.message : undefined,
        type: typeof e.type === 'string' ? e.type : typeof e.status === 'string' ? e.status : undefined,
        code: typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : null,
        param: typeof e.param === 'string' ? e.param : null,
      };
    }
    if (typeof err === 'string') return { message: err };
    if (typeof parsed.message === 'string') return { message: parsed.message, type: typeof parsed.type === 'string' ? parsed.type : undefined };
  } catch {
    // Not JSON: an HTML error page or plain text from a proxy in front of the upstream.
  }
  return {};
}

/**
 * Upstream HTTP failure (status >= 400) to a GatewayError in OpenAI's terms: the upstream's status and
 * message are kept (credentials stripped); a context-window overflow becomes `context_length_exceeded`, a
 * safety refusal `content_policy_violation`, an overloaded upstream (Anthropic's 529) a 503.
 */
export function upstreamHttpError(
  deployment: Deployment,
  status: number,
  bodyText: string,
  retryAfter: string | undefined,
  detail: UpstreamErrorDetail = parseErrorBody(bodyText.length > MAX_ERROR_BODY_BYTES ? bodyText.slice(0, MAX_ERROR_BODY_BYTES) : bodyText),
): GatewayError {
  let message = detail.message;
  if (message === undefined) {
    const snippet = bodyText.trim().slice(0, 500);
    message = `Upstream answered HTTP ${status}${snippet ? `: ${snippet}` : ''}`;
  }
  let finalStatus = status;
  let type = detail.type;
  let code = detail.code ?? null;
  if (status === 529 || /overloaded/i.test(type ?? '')) {
    finalStatus = 503;
    type = 'service_unavailable_error';
    code ??= 'overloaded';
  } else if (status >= 400 && status < 500 && status !== 429 && (code === 'context_length_exceeded' || (status !== 413 && CONTEXT_WINDOW.test(message)))) {
    finalStatus = 400;
    type = 'invalid_request_error';
    code = 'context_length_exceeded';
  } else if (status === 400 && (code === 'content_filter' || code === 'content_policy_violation' || CONTENT_POLICY.test(message))) {
    type = 'invalid_request_error';
    code = 'content_policy_violation';
  }
  const headers: Record<string, string> = {};
  if (retryAfter) headers['retry-after'] = retryAfter;
  return new GatewayError(finalStatus, type ?? errorTypeForStatus(finalStatus), redactCredentials(message, deployment), {
    code,
    param: detail.param ?? null,
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
