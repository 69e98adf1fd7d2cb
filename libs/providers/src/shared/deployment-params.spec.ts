import { describe, expect, it } from 'vitest';
import { extraHeaders, overDefaults, providerDefaults } from './deployment-params';

describe('providerDefaults', () => {
  it('keeps provider parameters and drops deployment settings and credentials', () => {
    const defaults = providerDefaults({
      model: 'openai/gpt-4o',
      api_base: 'https://api.example.com',
      api_key: 'sk-secret',
      timeout: 30,
      stream_timeout: 5,
      rpm: 100,
      tpm: 1000,
      weight: 2,
      max_retries: 1,
      mock_response: 'hi',
      extra_headers: { a: 'b' },
      input_cost_per_token: 0.1,
      temperature: 0.3,
      max_tokens: 256,
      response_format: { type: 'json_object' },
    });
    expect(defaults).toEqual({ temperature: 0.3, max_tokens: 256, response_format: { type: 'json_object' } });
  });

  it('is undefined when there are no provider parameters', () => {
    expect(providerDefaults({ model: 'openai/gpt-4o', api_key: 'sk', rpm: 5 })).toBeUndefined();
  });

  it('skips parameters set to undefined but keeps null and false', () => {
    expect(providerDefaults({ model: 'm', seed: undefined, stop: null, logprobs: false })).toEqual({ stop: null, logprobs: false });
  });
});

describe('extraHeaders', () => {
  it('lower-cases names and turns values into strings', () => {
    expect(extraHeaders({ model: 'm', extra_headers: { 'X-Team': 'blue', 'X-Retries': 3, 'X-Flag': true } })).toEqual({
      'x-team': 'blue',
      'x-retries': '3',
      'x-flag': 'true',
    });
  });

  it('skips null and undefined values', () => {
    expect(extraHeaders({ model: 'm', extra_headers: { a: null, b: undefined, c: '' } })).toEqual({ c: '' });
  });

  it.each([
    ['absent', undefined],
    ['a string', 'x-team: blue'],
    ['null', null],
  ])('is empty when extra_headers is %s', (_, value) => {
    expect(extraHeaders({ model: 'm', extra_headers: value })).toEqual({});
  });
});

describe('providerDefaults never sends connection settings upstream', () => {
  it('leaves out credentials, regions, projects and LiteLLM bookkeeping keys', () => {
    const defaults = providerDefaults({
      model: 'bedrock/x',
      aws_access_key_id: 'AKIA',
      aws_secret_access_key: 'secret',
      aws_region_name: 'us-east-1',
      vertex_project: 'p',
      vertex_credentials: '{}',
      azure_ad_token: 't',
      litellm_trace_id: 'x',
      temperature: 0.3,
      top_k: 5,
    });
    expect(defaults).toEqual({ temperature: 0.3, top_k: 5 });
  });
});

describe('overDefaults', () => {
  it('is { ...defaults, ...request }: the request wins, defaults fill the rest, neither is changed', () => {
    const defaults = { temperature: 0.2, max_tokens: 100 };
    const request = { model: 'm', max_tokens: 5 };
    const merged = overDefaults(defaults, request);
    expect(merged).toEqual({ temperature: 0.2, max_tokens: 5, model: 'm' });
    expect(Object.keys(merged)).toEqual(Object.keys({ ...defaults, ...request }));
    expect(defaults).toEqual({ temperature: 0.2, max_tokens: 100 });
    expect(request).toEqual({ model: 'm', max_tokens: 5 });
  });

  it('copies the request when there are no defaults', () => {
    const request = { model: 'm' };
    const merged = overDefaults(undefined, request);
    expect(merged).toEqual(request);
    expect(merged).not.toBe(request);
  });
});
