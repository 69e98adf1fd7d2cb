import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import { filterParams } from './param-filter';

const supported = new Set(['temperature', 'max_tokens', 'stop']);

describe('filterParams', () => {
  it('returns the same object when every parameter is supported (nothing allocated)', () => {
    const body = { model: 'm', messages: [], temperature: 0.2, max_tokens: 5 };
    const result = filterParams(body, 'chat', supported, 'acme', false);
    expect(result.request).toBe(body);
    expect(result.dropped).toEqual([]);
  });

  it('refuses an unsupported OpenAI parameter with a 400 naming it and the provider', () => {
    const body = { model: 'm', messages: [], logprobs: true };
    let error: unknown;
    try {
      filterParams(body, 'chat', supported, 'acme', false);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GatewayError);
    const e = error as GatewayError;
    expect([e.status, e.options.param, e.options.code]).toEqual([400, 'logprobs', 'unsupported_parameter']);
    expect(e.message).toContain('acme does not support parameter "logprobs"');
    expect(e.message).toContain('drop_params');
  });

  it('drops unsupported OpenAI parameters with drop_params, listing them, without touching the caller\'s object', () => {
    const body = { model: 'm', messages: [], logprobs: true, seed: 4, temperature: 1 };
    const result = filterParams(body, 'chat', supported, 'acme', true);
    expect(result.request).toEqual({ model: 'm', messages: [], temperature: 1 });
    expect(result.dropped).toEqual(['logprobs', 'seed']);
    expect(body.logprobs).toBe(true);
  });

  it('passes provider-specific (non-OpenAI) parameters through untouched', () => {
    const body = { model: 'm', messages: [], top_k: 40, safe_prompt: true };
    expect(filterParams(body, 'chat', supported, 'acme', false).request).toBe(body);
  });

  it('always strips gateway-only keys such as drop_params and fallbacks', () => {
    const body = { model: 'm', messages: [], drop_params: true, fallbacks: ['x'], temperature: 1 };
    const result = filterParams(body, 'chat', supported, 'acme', true);
    expect(result.request).toEqual({ model: 'm', messages: [], temperature: 1 });
    expect(result.dropped).toEqual([]);
  });

  it('ignores parameters explicitly set to undefined', () => {
    const body = { model: 'm', messages: [], logprobs: undefined };
    expect(filterParams(body, 'chat', supported, 'acme', false).dropped).toEqual([]);
  });

  it('checks embedding parameters against the embedding list', () => {
    expect(() => filterParams({ model: 'm', input: 'x', dimensions: 8 }, 'embedding', new Set(), 'acme', false)).toThrow(/does not support parameter "dimensions"/);
    expect(filterParams({ model: 'm', input: 'x', temperature: 1 }, 'embedding', new Set(), 'acme', false).dropped).toEqual([]);
  });
});
