import type { UpstreamResponse } from '../shared/streaming-call';
import { GatewayError } from '@tollgate/common';
import type { Deployment } from '../provider.types';
import type { Deadline } from '../shared/deadline';
import { upstreamHttpError, type UpstreamErrorDetail } from '../shared/upstream-errors';
import { sendUpstream, type ErrorBodyReader, type UpstreamRequest } from '../shared/upstream-http';

/**
 * Google APIs answer errors as `{"error":{"code","message","status","details":[...]}}` (streaming methods
 * sometimes wrap it in an array). `status` is a google.rpc.Code name; `details` may hold an ErrorInfo with a
 * `reason` and a RetryInfo with a `retryDelay`.
 */
interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<{ '@type'?: string; reason?: string; retryDelay?: string }>;
}

/** OpenAI `code` (and for some, `type`) for each google.rpc status. */
const BY_STATUS: Record<string, { code: string; type?: string }> = {
  INVALID_ARGUMENT: { code: 'invalid_argument' },
  FAILED_PRECONDITION: { code: 'failed_precondition' },
  UNAUTHENTICATED: { code: 'invalid_api_key' },
  PERMISSION_DENIED: { code: 'permission_denied' },
  NOT_FOUND: { code: 'not_found' },
  RESOURCE_EXHAUSTED: { code: 'rate_limit_exceeded' },
  INTERNAL: { code: 'internal_error' },
  UNAVAILABLE: { code: 'service_unavailable', type: 'service_unavailable_error' },
  DEADLINE_EXCEEDED: { code: 'timeout', type: 'timeout' },
  CANCELLED: { code: 'cancelled' },
};

/** What an error body says beyond the message: an invalid API key (sent as 400) and a retry delay. */
export interface GoogleErrorNotes {
  apiKeyInvalid?: boolean;
  retryAfterSeconds?: string;
}

export function googleErrorBody(text: string): GoogleErrorBody | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    const error = (first as { error?: unknown } | undefined)?.error;
    return error && typeof error === 'object' ? (error as GoogleErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

/** A Google error in OpenAI's terms, noting an invalid key and a retry delay. */
export function googleErrorDetail(error: GoogleErrorBody, notes: GoogleErrorNotes = {}): UpstreamErrorDetail {
  for (const detail of error.details ?? []) {
    if (detail?.reason === 'API_KEY_INVALID') notes.apiKeyInvalid = true;
    const delay = typeof detail?.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay) : null;
    if (delay) notes.retryAfterSeconds = String(Math.ceil(Number(delay[1])));
  }
  const mapped = error.status ? BY_STATUS[error.status] : undefined;
  return {
    message: typeof error.message === 'string' ? error.message : undefined,
    type: notes.apiKeyInvalid ? 'authentication_error' : mapped?.type,
    code: notes.apiKeyInvalid ? 'invalid_api_key' : (mapped?.code ?? error.status?.toLowerCase() ?? null),
    param: null,
  };
}

/**
 * `sendUpstream` for Google APIs: Google's error body is read, an invalid API key (which Google reports as
 * 400 INVALID_ARGUMENT with reason API_KEY_INVALID) becomes a 401, and a RetryInfo delay fills in
 * `retry-after` when the response has no such header. Bodies that are not Google's (a partner model's own
 * error, relayed by Vertex AI) go to `otherBody`.
 */
export async function sendGoogleUpstream(
  deployment: Deployment,
  upstream: UpstreamRequest,
  deadline: Deadline,
  what: { action: string; ms: number },
  otherBody?: ErrorBodyReader,
): Promise<UpstreamResponse> {
  const notes: GoogleErrorNotes = {};
  const read: ErrorBodyReader = (text, headers) => {
    const body = googleErrorBody(text);
    if (body && (typeof body.status === 'string' || typeof body.code === 'number')) return googleErrorDetail(body, notes);
    return otherBody ? otherBody(text, headers) : body ? googleErrorDetail(body, notes) : undefined;
  };
  try {
    return await sendUpstream(deployment, upstream, deadline, what, read);
  } catch (err) {
    throw withGoogleNotes(err, notes);
  }
}

function withGoogleNotes(err: unknown, notes: GoogleErrorNotes): unknown {
  if (!(err instanceof GatewayError)) return err;
  const headers = { ...err.options.headers };
  if (notes.retryAfterSeconds && !headers['retry-after'] && err.status === 429) headers['retry-after'] = notes.retryAfterSeconds;
  const status = notes.apiKeyInvalid && err.status === 400 ? 401 : err.status;
  if (status === err.status && headers['retry-after'] === err.options.headers?.['retry-after']) return err;
  return new GatewayError(status, err.type, err.message, Object.assign({}, err.options, { headers }));
}

/** An error event inside a stream (after the 200) as the GatewayError the same error would have been before it. */
export function googleStreamError(deployment: Deployment, error: GoogleErrorBody): GatewayError {
  const notes: GoogleErrorNotes = {};
  const detail = googleErrorDetail(error, notes);
  const status = notes.apiKeyInvalid ? 401 : typeof error.code === 'number' && error.code >= 400 ? error.code : 502;
  return upstreamHttpError(deployment, status, JSON.stringify({ error }), notes.retryAfterSeconds, detail);
}
