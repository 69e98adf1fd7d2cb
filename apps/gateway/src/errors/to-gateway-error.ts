import { HttpException } from '@nestjs/common';
import { GatewayError, errorTypeForStatus } from '@tollgate/common';

/** Fastify's own error codes for bad request framing, with messages that tell the caller what to fix. */
function fastifyError(err: { code?: string; statusCode?: number; message?: string }, bodyLimitHint?: number): GatewayError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError(400, 'invalid_request_error', `The request body is not valid JSON: ${err.message ?? 'parse error'}.`, {
        code: 'invalid_json',
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError(
        413,
        'invalid_request_error',
        `The request body is larger than this gateway accepts${bodyLimitHint ? ` (${bodyLimitHint} bytes)` : ''}. ` +
          'Send a smaller request or raise general_settings.max_request_size_mb.',
        { code: 'request_too_large' },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError(415, 'invalid_request_error', 'Unsupported Content-Type; send the body as application/json.', {
        code: 'unsupported_media_type',
      });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError(400, 'invalid_request_error', 'The Content-Length header does not match the body.', {
        code: 'invalid_content_length',
      });
    default:
      return undefined;
  }
}

/** Any thrown value to a GatewayError; unknown failures become a 500 that reveals nothing internal. */
export function toGatewayError(exception: unknown, bodyLimit?: number): GatewayError {
  if (exception instanceof GatewayError) return exception;
  const framing = fastifyError(exception as { code?: string }, bodyLimit);
  if (framing) return framing;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // Nest rewraps Fastify's framing errors; keep our clearer wording for the ones callers can fix.
    if (status === 413) return fastifyError({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' }, bodyLimit) as GatewayError;
    if (status === 415) return fastifyError({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }) as GatewayError;
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : typeof (response as { message?: unknown }).message === 'string'
          ? (response as { message: string }).message
          : Array.isArray((response as { message?: unknown }).message)
            ? ((response as { message: string[] }).message).join('; ')
            : exception.message;
    // Fastify's JSON parser errors (malformed or empty body) arrive rewrapped by Nest as a plain 400.
    const code = status === 400 && /not valid JSON|Body cannot be empty/i.test(message) ? 'invalid_json' : String(status);
    return new GatewayError(status, errorTypeForStatus(status), message, { code });
  }
  const statusCode = (exception as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return new GatewayError(statusCode, errorTypeForStatus(statusCode), String((exception as Error).message), {
      code: String(statusCode),
    });
  }
  return new GatewayError(500, 'internal_server_error', 'Internal error in the gateway. The request was not completed.', {
    code: 'internal_server_error',
  });
}
