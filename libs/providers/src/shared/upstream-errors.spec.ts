import { describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { redactCredentials, upstreamBroken, upstreamHttpError, upstreamUnreachable } from './upstream-errors';

const API_KEY = 'sk-live-0123456789abcdef';

const deployment: Deployment = {
  id: 'dep-1',
  modelName: 'gpt-4o',
  provider: 'openai',
  upstreamModel: 'gpt-4o-2024-08-06',
  displayApiBase: 'https://api.example.com/v1',
  timeoutMs: 600_000,
  streamTimeoutMs: 600_000,
  params: { model: 'openai/gpt-4o-2024-08-06', api_base: 'https://api.example.com/v1', api_key: API_KEY },
};

describe('upstreamHttpError', () => {
  it('keeps an OpenAI error body: status, message, type, code and param', () => {
    const body = JSON.stringify({ error: { message: 'Invalid value for temperature', type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } });
    const error = upstreamHttpError(deployment, 400, body, undefined);
    expect(error.status).toBe(400);
    expect(error.toBody()).toEqual({
      error: { message: 'Invalid value for temperature', type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' },
    });
  });

  it('turns a numeric error code into a string', () => {
    const error = upstreamHttpError(deployment, 429, JSON.stringify({ error: { message: 'busy', code: 429 } }), undefined);
    expect(error.options.code).toBe('429');
  });

  it('reads an error given as a plain string', () => {
    const error = upstreamHttpError(deployment, 503, JSON.stringify({ error: 'model overloaded' }), undefined);
    expect(error.message).toBe('model overloaded');
    expect(error.type).toBe('service_unavailable_error');
  });

  it('reads a top-level message', () => {
    expect(upstreamHttpError(deployment, 404, JSON.stringify({ message: 'no route' }), undefined).message).toBe('no route');
  });

  it('describes a non-JSON body with the status and a snippet', () => {
    const error = upstreamHttpError(deployment, 502, '  <html>Bad gateway</html>\n', undefined);
    expect(error.status).toBe(502);
    expect(error.message).toBe('Upstream answered HTTP 502: <html>Bad gateway</html>');
    expect(error.type).toBe('api_error');
    expect(error.options.code).toBeNull();
  });

  it('describes an empty body with the status alone', () => {
    expect(upstreamHttpError(deployment, 500, '', undefined).message).toBe('Upstream answered HTTP 500');
  });

  it('describes JSON without a message with the status and the body', () => {
    expect(upstreamHttpError(deployment, 500, '{"detail":"x"}', undefined).message).toBe('Upstream answered HTTP 500: {"detail":"x"}');
  });

  it('limits the snippet of a long body to 500 characters', () => {
    const error = upstreamHttpError(deployment, 500, 'x'.repeat(10_000), undefined);
    expect(error.message).toBe(`Upstream answered HTTP 500: ${'x'.repeat(500)}`);
  });

  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [408, 'timeout'],
    [409, 'invalid_request_error'],
    [422, 'unprocessable_entity_error'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
  ])('derives type from status %i when the body has none: %s', (status, type) => {
    expect(upstreamHttpError(deployment, status, JSON.stringify({ error: { message: 'm' } }), undefined).type).toBe(type);
  });

  it('maps an overloaded upstream (529, or an overloaded_error type) to 503', () => {
    const byStatus = upstreamHttpError(deployment, 529, JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }), undefined);
    expect([byStatus.status, byStatus.type, byStatus.options.code, byStatus.message]).toEqual([503, 'service_unavailable_error', 'overloaded', 'Overloaded']);
    expect(upstreamHttpError(deployment, 500, JSON.stringify({ error: { type: 'overloaded_error', message: 'busy' } }), undefined).status).toBe(503);
  });

  it.each([
    [400, 'This model\'s maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.'],
    [400, 'prompt is too long: 210000 tokens > 200000 maximum'],
    [400, 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).'],
  ])('recognises a context-window overflow (%i: %s) as context_length_exceeded', (status, message) => {
    const err = upstreamHttpError(deployment, status, JSON.stringify({ error: { message } }), undefined);
    expect([err.status, err.type, err.options.code, err.message]).toEqual([400, 'invalid_request_error', 'context_length_exceeded', message]);
  });

  it('does not take a 413 body-size limit for a context overflow', () => {
    const err = upstreamHttpError(deployment, 413, JSON.stringify({ type: 'error', error: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' } }), undefined);
    expect([err.status, err.options.code]).toEqual([413, null]);
  });

  it('recognises a content-policy refusal as content_policy_violation', () => {
    const err = upstreamHttpError(deployment, 400, JSON.stringify({ error: { message: 'The response was filtered due to the prompt triggering content management policy.', code: 'content_filter' } }), undefined);
    expect([err.status, err.options.code]).toEqual([400, 'content_policy_violation']);
  });

  it('does not call a rate limit a context overflow even when it mentions tokens', () => {
    const err = upstreamHttpError(deployment, 429, JSON.stringify({ error: { message: 'Rate limit: too many tokens per minute' } }), '3');
    expect([err.status, err.options.code]).toEqual([429, null]);
  });

  it('keeps the retry-after header', () => {
    expect(upstreamHttpError(deployment, 429, '{}', '12').options.headers).toEqual({ 'retry-after': '12' });
    expect(upstreamHttpError(deployment, 429, '{}', undefined).options.headers).toEqual({});
  });

  it('removes the deployment\'s api key from the upstream message', () => {
    const body = JSON.stringify({ error: { message: `Incorrect API key provided: ${API_KEY}. Key ${API_KEY} is revoked.`, type: 'invalid_request_error' } });
    const error = upstreamHttpError(deployment, 401, body, undefined);
    expect(error.message).not.toContain(API_KEY);
    expect(error.message).toBe('Incorrect API key provided: [redacted]. Key [redacted] is revoked.');
  });

  it('removes the api key from a non-JSON snippet too', () => {
    expect(upstreamHttpError(deployment, 401, `bad key ${API_KEY}`, undefined).message).toBe('Upstream answered HTTP 401: bad key [redacted]');
  });
});

describe('redactCredentials', () => {
  it('leaves text alone when the deployment has no key, or one too short to redact safely', () => {
    const keyless = { ...deployment, params: { model: 'openai/x' } };
    expect(redactCredentials('sk-live-0123456789abcdef', keyless)).toBe('sk-live-0123456789abcdef');
    const tiny = { ...deployment, params: { model: 'openai/x', api_key: 'abc' } };
    expect(redactCredentials('abcabc', tiny)).toBe('abcabc');
  });
});

describe('network failures', () => {
  it('upstreamUnreachable is a 502 naming the deployment, its api_base and the cause code', () => {
    const cause = Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    const error = upstreamUnreachable(deployment, cause);
    expect(error.status).toBe(502);
    expect(error.type).toBe('api_connection_error');
    expect(error.options.code).toBe('upstream_unreachable');
    expect(error.message).toContain('"gpt-4o"');
    expect(error.message).toContain('dep-1');
    expect(error.message).toContain('https://api.example.com/v1');
    expect(error.message).toContain('ECONNREFUSED (fetch failed)');
    expect(error.message).not.toContain(API_KEY);
  });

  it('upstreamBroken is a 502 saying the response failed midway', () => {
    const error = upstreamBroken(deployment, Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    expect(error.status).toBe(502);
    expect(error.options.code).toBe('upstream_failed');
    expect(error.message).toContain('failed mid-response: UND_ERR_SOCKET (other side closed)');
  });

  it('copes with a cause that is not an Error', () => {
    expect(upstreamBroken(deployment, undefined).message).toContain('unknown network error');
  });
});
