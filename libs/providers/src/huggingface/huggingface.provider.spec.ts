import { describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { upstreamHttpError } from '../shared/upstream-errors';
import { readHuggingFaceError } from './huggingface-errors';
import { huggingFaceProvider } from './huggingface.provider';
import { huggingFaceChatUrl } from './huggingface-url';

const deployment: Deployment = {
  id: 'hf-1',
  modelName: 'llama',
  provider: 'huggingface',
  upstreamModel: 'meta-llama/Llama-3.3-70B-Instruct',
  timeoutMs: 1000,
  streamTimeoutMs: 1000,
  params: { model: 'huggingface/meta-llama/Llama-3.3-70B-Instruct' },
};

describe('huggingface provider', () => {
  it('puts the Messages API under /v1 of an endpoint root, and uses the router by default', () => {
    expect(huggingFaceChatUrl('https://router.huggingface.co/v1')).toBe('https://router.huggingface.co/v1/chat/completions');
    expect(huggingFaceChatUrl('https://abc.us-east-1.aws.endpoints.huggingface.cloud/')).toBe('https://abc.us-east-1.aws.endpoints.huggingface.cloud/v1/chat/completions');
    expect(huggingFaceChatUrl('http://tgi:8080/v1/chat/completions')).toBe('http://tgi:8080/v1/chat/completions');
    expect(huggingFaceProvider.displayApiBase({ model: 'huggingface/x' })).toBe('https://router.huggingface.co/v1');
  });

  it('maps TGI validation and queue errors to OpenAI terms', () => {
    const tooLong = '{"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 200 `max_new_tokens`","error_type":"validation"}';
    const context = upstreamHttpError(deployment, 422, tooLong, undefined, readHuggingFaceError(tooLong));
    expect([context.status, context.options.code]).toEqual([400, 'context_length_exceeded']);
    const busy = '{"error":"Model is overloaded","error_type":"overloaded"}';
    expect(upstreamHttpError(deployment, 429, busy, undefined, readHuggingFaceError(busy)).status).toBe(503);
    expect(readHuggingFaceError('{"error":{"message":"router shape"}}')).toBeUndefined();
  });
});
