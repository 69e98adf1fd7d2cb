import { GatewayError } from '@tollgate/common';
import type { UpstreamHeaders } from '../shared/streaming-call';
import type { Deployment } from '../provider.types';
import { upstreamHttpError, type UpstreamErrorDetail } from '../shared/upstream-errors';

/** How one Bedrock exception reads in OpenAI's terms. */
interface ExceptionRule {
  status: number;
  type: string;
  code: string | null;
}

const auth: ExceptionRule = { status: 401, type: 'authentication_error', code: 'invalid_api_key' };
const throttled: ExceptionRule = { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' };
const serverError: ExceptionRule = { status: 500, type: 'api_error', code: null };

/**
 * Bedrock (and AWS front-end) exceptions by name. AWS answers bad credentials with 403; they become 401 so
 * that callers can tell "wrong credentials" from "not allowed to use this model" (AccessDeniedException).
 * ModelErrorException / ModelStreamErrorException (424: the model itself failed) become 500.
 */
const EXCEPTIONS: Readonly<Record<string, ExceptionRule>> = {
  ValidationException: { status: 400, type: 'invalid_request_error', code: null },
  AccessDeniedException: { status: 403, type: 'permission_error', code: null },
  UnrecognizedClientException: auth,
  InvalidSignatureException: auth,
  IncompleteSignatureException: auth,
  MissingAuthenticationTokenException: auth,
  ExpiredTokenException: auth,
  InvalidClientTokenId: auth,
  ResourceNotFoundException: { status: 404, type: 'not_found_error', code: null },
  ThrottlingException: throttled,
  ServiceQuotaExceededException: throttled,
  ModelNotReadyException: throttled,
  ModelTimeoutException: { status: 408, type: 'timeout', code: 'timeout' },
  ModelErrorException: serverError,
  ModelStreamErrorException: serverError,
  InternalServerException: serverError,
  ServiceUnavailableException: { status: 503, type: 'service_unavailable_error', code: null },
};

const BAD_CREDENTIALS = /authentication failed|api key is (not )?valid|security token included in the request is invalid|signature we calculated does not match/i;

/**
 * The exception name from `x-amzn-errortype` (`ThrottlingException:http://internal.amazon.com/...`), a body
 * `__type` (`com.amazon.coral.service#UnrecognizedClientException`), or an event-stream `:exception-type`
 * (`throttlingException`), normalised to the PascalCase name.
 */
export function exceptionName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const name = raw.split(':')[0].split('#').pop()?.trim();
  return name ? name[0].toUpperCase() + name.slice(1) : undefined;
}

/** Reads a Bedrock error response: `{"message": "..."}` (sometimes `Message`) plus the error-type header. */
export function readBedrockError(text: string, headers: UpstreamHeaders): { exception?: string; detail: UpstreamErrorDetail } {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page): the status alone classifies it.
  }
  const typeHeader = headers['x-amzn-errortype'];
  let exception = exceptionName((Array.isArray(typeHeader) ? typeHeader[0] : typeHeader) ?? (typeof body.__type === 'string' ? body.__type : undefined));
  const message = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : undefined;
  // A rejected Bedrock API key comes back as a bare 403 (or AccessDenied) saying so: it is an authentication failure.
  if ((exception === undefined || exception === 'AccessDeniedException') && message && BAD_CREDENTIALS.test(message)) exception = 'UnrecognizedClientException';
  const rule = exception ? EXCEPTIONS[exception] : undefined;
  return { exception, detail: { message: message && exception ? `${exception}: ${message}` : message, type: rule?.type, code: rule?.code ?? null } };
}

/**
 * The error from the shared upstream classification, with the status Bedrock's exception calls for (403
 * credential errors become 401). Context-window and content-policy classifications are kept as they are.
 */
export function withBedrockStatus(err: GatewayError, exception: string | undefined): GatewayError {
  const rule = exception ? EXCEPTIONS[exception] : undefined;
  const classified = err.options.code === 'context_length_exceeded' || err.options.code === 'content_policy_violation';
  if (!rule || classified || rule.status === err.status) return err;
  return new GatewayError(rule.status, rule.type, err.message, Object.assign({}, err.options, { code: err.options.code ?? rule.code }));
}

/**
 * An exception that arrived inside a ConverseStream response (`:message-type` `exception`, or `error` with
 * `:error-code`), as the GatewayError the caller receives. Statuses follow the same table as HTTP errors.
 */
export function streamExceptionError(deployment: Deployment, rawType: string | undefined, bodyText: string): GatewayError {
  const exception = exceptionName(rawType) ?? 'InternalServerException';
  const rule = EXCEPTIONS[exception] ?? serverError;
  let message: string | undefined;
  try {
    const body = JSON.parse(bodyText) as { message?: unknown; Message?: unknown };
    message = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : undefined;
  } catch {
    message = bodyText.trim() || undefined;
  }
  const detail: UpstreamErrorDetail = { message: `${exception}: ${message ?? 'the model stream failed'}`, type: rule.type, code: rule.code };
  return upstreamHttpError(deployment, rule.status, bodyText, undefined, detail);
}
