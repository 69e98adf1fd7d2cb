import { describe, expect, it } from 'vitest';
import { GatewayError } from '@tollgate/common';
import type { Deployment } from '../provider.types';
import { upstreamHttpError } from '../shared/upstream-errors';
import { readXaiError, xaiAuthStatus } from './xai-errors';
import { xaiProvider } from './xai.provider';

const deployment: Deployment = {
  id: 'x-1',
  modelName: 'grok',
  provider: 'xai',
  upstreamModel: 'grok-4',
  timeoutMs: 1000,
  streamTimeoutMs: 1000,
  params: { model: 'xai/grok-4', api_key: 'xai-secret' },
};

describe('xai errors', () => {
  it('turns the 400 answered to a wrong key into a 401', () => {
    const body = '{"code":"Client specified an invalid argument","error":"Incorrect%20API%20key%20provided:%20xa***ey.%20You%20can%20obtain%20an%20API%20key%20from%20https://console.x.ai."}';
    const err = xaiAuthStatus(upstreamHttpError(deployment, 400, body, undefined, readXaiError(body))) as GatewayError;
    expect(err.status).toBe(401);
    expect(err.toBody().error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
    expect(err.message).toBe('Incorrect API key provided: xa***ey. You can obtain an API key from https://console.x.ai.');
  });

  it('marks the prompt-length error as context_length_exceeded and leaves other errors alone', () => {
    const body = '{"code":"Client specified an invalid argument","error":"This model\'s maximum prompt length is 131072 but the request contains 140000 tokens."}';
    expect(upstreamHttpError(deployment, 400, body, undefined, readXaiError(body)).options.code).toBe('context_length_exceeded');
    const other = upstreamHttpError(deployment, 500, '{"code":"Internal error","error":"boom"}', undefined, readXaiError('{"code":"Internal error","error":"boom"}'));
    expect(xaiAuthStatus(other)).toBe(other);
    expect(readXaiError('{"error":{"message":"openai shape"}}')).toBeUndefined();
  });

  it('calls api.x.ai/v1 and does not declare retired live search', () => {
    expect(xaiProvider.displayApiBase({ model: 'xai/x' })).toBe('https://api.x.ai/v1');
    expect(xaiProvider.capabilities.chatParams.has('web_search_options')).toBe(false);
  });
});
