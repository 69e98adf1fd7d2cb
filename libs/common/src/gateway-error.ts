/** OpenAI's error body: `{"error":{"message","type","param","code"}}`. */
export interface OpenAIErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
  };
}

/**
 * Every failure Tollgate reports to a caller. The HTTP status, OpenAI `type` and `code` travel with the
 * error so one filter can render any of them in OpenAI's shape. Messages are written for the caller and
 * must never contain a credential.
 */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly options: { param?: string | null; code?: string | null; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  toBody(): OpenAIErrorBody {
    return {
      error: {
        message: this.message,
        type: this.type,
        param: this.options.param ?? null,
        code: this.options.code ?? null,
      },
    };
  }
}

export const badRequest = (message: string, param?: string, code = 'invalid_request_error') =>
  new GatewayError(400, 'invalid_request_error', message, { param: param ?? null, code });

export const unauthorized = (message: string) =>
  new GatewayError(401, 'authentication_error', message, { code: 'invalid_api_key' });

export const notFound = (message: string, param?: string, code = 'model_not_found') =>
  new GatewayError(404, 'not_found_error', message, { param: param ?? null, code });

export const payloadTooLarge = (message: string) =>
  new GatewayError(413, 'invalid_request_error', message, { code: 'request_too_large' });

/** The caller went away; nothing can be sent, but the request log records it (LiteLLM logs 499). */
export const clientClosed = () =>
  new GatewayError(499, 'client_closed_request', 'The client closed the connection before the response was complete.', {
    code: 'client_closed_request',
  });

/** OpenAI's error `type` for an HTTP status, for errors whose source does not name one. */
export function errorTypeForStatus(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 408:
    case 504:
      return 'timeout';
    case 422:
      return 'unprocessable_entity_error';
    case 429:
      return 'rate_limit_error';
    case 503:
      return 'service_unavailable_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}
