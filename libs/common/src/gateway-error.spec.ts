import { describe, expect, it } from 'vitest';
import { badRequest, clientClosed, GatewayError, notFound, payloadTooLarge, unauthorized } from './gateway-error';

describe('GatewayError', () => {
  it('renders OpenAI\'s error body with every field present', () => {
    const error = new GatewayError(429, 'rate_limit_error', 'Slow down.', { param: 'model', code: 'rate_limited', headers: { 'retry-after': '3' } });
    expect(error.toBody()).toEqual({ error: { message: 'Slow down.', type: 'rate_limit_error', param: 'model', code: 'rate_limited' } });
    // Headers travel with the error but never into the body.
    expect(JSON.stringify(error.toBody())).not.toContain('retry-after');
  });

  it('renders absent param and code as null, not undefined (so they appear in the JSON)', () => {
    const body = new GatewayError(500, 'api_error', 'Boom.').toBody();
    expect(body.error.param).toBeNull();
    expect(body.error.code).toBeNull();
    expect(JSON.parse(JSON.stringify(body))).toEqual({ error: { message: 'Boom.', type: 'api_error', param: null, code: null } });
  });

  it('is an Error with its own name and message', () => {
    const error = new GatewayError(404, 'not_found_error', 'No such model.');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('GatewayError');
    expect(error.message).toBe('No such model.');
    expect(error.status).toBe(404);
  });
});

describe('error factories', () => {
  it.each([
    ['badRequest', badRequest('bad', 'messages'), 400, 'invalid_request_error', 'messages', 'invalid_request_error'],
    ['badRequest with a code', badRequest('bad', undefined, 'invalid_type'), 400, 'invalid_request_error', null, 'invalid_type'],
    ['unauthorized', unauthorized('no key'), 401, 'authentication_error', null, 'invalid_api_key'],
    ['notFound', notFound('no model', 'model'), 404, 'not_found_error', 'model', 'model_not_found'],
    ['payloadTooLarge', payloadTooLarge('too big'), 413, 'invalid_request_error', null, 'request_too_large'],
    ['clientClosed', clientClosed(), 499, 'client_closed_request', null, 'client_closed_request'],
  ])('%s carries status %i, type %s', (_, error, status, type, param, code) => {
    expect(error.status).toBe(status);
    expect(error.toBody().error).toMatchObject({ type, param, code });
  });
});
