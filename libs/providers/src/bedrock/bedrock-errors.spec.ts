import { describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { upstreamHttpError } from '../shared/upstream-errors';
import { exceptionName, readBedrockError, streamExceptionError, withBedrockStatus } from './bedrock-errors';

const deployment: Deployment = {
  id: 'dep-b',
  modelName: 'claude',
  provider: 'bedrock',
  upstreamModel: 'anthropic.claude-3-haiku-20240307-v1:0',
  timeoutMs: 60_000,
  streamTimeoutMs: 60_000,
  params: { model: 'bedrock/anthropic.claude-3-haiku-20240307-v1:0', aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
};

/** What the provider does with an HTTP error: the shared classification, then Bedrock's status rules. */
function httpError(status: number, exception: string | undefined, body: unknown, retryAfter?: string) {
  const text = JSON.stringify(body);
  const headers = exception ? { 'x-amzn-errortype': `${exception}:http://internal.amazon.com/coral/com.amazon.bedrock/` } : {};
  const read = readBedrockError(text, headers);
  return withBedrockStatus(upstreamHttpError(deployment, status, text, retryAfter, read.detail), read.exception);
}

describe('exceptionName', () => {
  it.each([
    ['ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/', 'ThrottlingException'],
    ['com.amazon.coral.service#UnrecognizedClientException', 'UnrecognizedClientException'],
    ['throttlingException', 'ThrottlingException'],
    [undefined, undefined],
  ])('%s -> %s', (raw, name) => expect(exceptionName(raw)).toBe(name));
});

describe('Bedrock HTTP errors', () => {
  it.each([
    [403, 'UnrecognizedClientException', 'The security token included in the request is invalid.', 401, 'authentication_error'],
    [403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.', 401, 'authentication_error'],
    [403, 'ExpiredTokenException', 'The security token included in the request is expired', 401, 'authentication_error'],
    [403, 'AccessDeniedException', 'User: arn:aws:iam::123:user/x is not authorized to perform: bedrock:InvokeModel', 403, 'permission_error'],
    [404, 'ResourceNotFoundException', 'Could not resolve the foundation model from the provided model identifier.', 404, 'not_found_error'],
    [429, 'ThrottlingException', 'Too many requests, please wait before trying again.', 429, 'rate_limit_error'],
    [400, 'ServiceQuotaExceededException', 'Your request exceeds the service quota for your account.', 429, 'rate_limit_error'],
    [429, 'ModelNotReadyException', 'Model is not ready for inference.', 429, 'rate_limit_error'],
    [408, 'ModelTimeoutException', 'Model has timed out in processing the request.', 408, 'timeout'],
    [424, 'ModelErrorException', 'The model encountered an error.', 500, 'api_error'],
    [500, 'InternalServerException', 'The server encountered an error processing your request.', 500, 'api_error'],
    [503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.', 503, 'service_unavailable_error'],
    [400, 'ValidationException', 'The model returned the following errors: temperature must be <= 1', 400, 'invalid_request_error'],
  ])('%s %s -> %s %s', (status, exception, message, expectedStatus, type) => {
    const error = httpError(status, exception, { message });
    expect(error.status).toBe(expectedStatus);
    expect(error.type).toBe(type);
    expect(error.message).toBe(`${exception}: ${message}`);
  });

  it('classifies a context-window overflow as context_length_exceeded', () => {
    for (const message of ['Input is too long for requested model.', 'The model returned the following errors: prompt is too long: 210000 tokens > 200000 maximum', 'too many input tokens']) {
      const error = httpError(400, 'ValidationException', { message });
      expect(error.status).toBe(400);
      expect(error.options.code).toBe('context_length_exceeded');
    }
  });

  it('keeps retry-after and does not mistake throttling on tokens for a context overflow', () => {
    const error = httpError(429, 'ThrottlingException', { message: 'Too many tokens, please wait before trying again.' }, '7');
    expect(error.status).toBe(429);
    expect(error.options.code).toBe('rate_limit_exceeded');
    expect(error.options.headers).toEqual({ 'retry-after': '7' });
  });

  it('treats a bare 403 rejecting a Bedrock API key as an authentication failure', () => {
    const error = httpError(403, undefined, { Message: 'Authentication failed: Please make sure your API Key is valid.' });
    expect(error.status).toBe(401);
    expect(error.message).toContain('Authentication failed');
  });

  it('never echoes a credential found in the upstream message', () => {
    const error = httpError(403, 'InvalidSignatureException', { message: 'The Canonical String was ... wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ...' });
    expect(error.message).not.toContain('wJalrXUtnFEMI');
  });
});

describe('streamExceptionError', () => {
  it.each([
    ['throttlingException', 429],
    ['modelStreamErrorException', 500],
    ['internalServerException', 500],
    ['serviceUnavailableException', 503],
    ['validationException', 400],
  ])('%s -> %s', (type, status) => {
    const error = streamExceptionError(deployment, type, '{"message":"stream broke"}');
    expect(error.status).toBe(status);
    expect(error.message).toMatch(/stream broke/);
  });

  it('recognises a context overflow reported mid-stream', () => {
    expect(streamExceptionError(deployment, 'validationException', '{"message":"Input is too long for requested model."}').options.code).toBe('context_length_exceeded');
  });
});
