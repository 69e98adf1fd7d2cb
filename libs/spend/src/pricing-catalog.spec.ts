import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { CatalogEntry } from './catalog/catalog-entry';
import { PricingCatalog, type PricedDeployment } from './pricing-catalog';
import { formatUsd } from './usd';

const DATA: Record<string, CatalogEntry> = {
  'openai/gpt-4o': { mode: 'chat', input: '2.5', output: '10', cache_read: '1.25', max_input_tokens: 128000, max_output_tokens: 16384 },
  'azure/gpt-4o': { mode: 'chat', input: '2.75', output: '11' },
  'anthropic/claude-sonnet-4-5': { mode: 'chat', input: '3', output: '15', cache_read: '0.3', cache_write: '3.75' },
  'cohere/command-r': { mode: 'chat', input: '0.15', output: '0.6' },
};

const MILLION = { promptTokens: 1_000_000, completionTokens: 1_000_000, totalTokens: 2_000_000 };
let nextId = 0;
const deployment = (provider: string, upstreamModel: string, extra: Partial<PricedDeployment> = {}): PricedDeployment => ({
  id: `d${nextId++}`,
  provider,
  upstreamModel,
  ...extra,
});

describe('PricingCatalog', () => {
  let warn: MockInstance;
  let catalog: PricingCatalog;
  beforeEach(() => {
    warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    catalog = new PricingCatalog(DATA);
  });
  afterEach(() => vi.restoreAllMocks());

  it('prices a deployment by <provider>/<upstream model>', () => {
    const price = catalog.priceFor(deployment('openai', 'gpt-4o'));
    expect(price).toMatchObject({ catalogKey: 'openai/gpt-4o', maxInputTokens: 128000, maxOutputTokens: 16384, overridden: false });
    expect(formatUsd(catalog.costFor(deployment('openai', 'gpt-4o'), MILLION))).toBe('12.5');
  });

  it('lets litellm_params and model_info prices win over the catalog, params first', () => {
    const overridden = deployment('openai', 'gpt-4o', {
      params: { model: 'openai/gpt-4o', input_cost_per_token: 0.000001, cache_read_input_token_cost: '1e-7' },
      modelInfo: { input_cost_per_token: 0.000009, output_cost_per_token: 0.000002 },
    });
    const price = catalog.priceFor(overridden);
    expect(price?.overridden).toBe(true);
    expect(formatUsd(catalog.costFor(overridden, MILLION))).toBe('3');
    const cached = { promptTokens: 1_000_000, cachedPromptTokens: 1_000_000, completionTokens: 0, totalTokens: 1_000_000 };
    expect(formatUsd(catalog.costFor(overridden, cached))).toBe('0.1');
  });

  it('prices a model the catalog lacks from its overrides alone, without a warning', () => {
    const custom = deployment('hosted_vllm', 'my-llama', { params: { input_cost_per_token: 2e-7, output_cost_per_token: 4e-7 } });
    expect(formatUsd(catalog.costFor(custom, MILLION))).toBe('0.6');
    expect(warn).not.toHaveBeenCalled();
  });

  it('prices Azure deployments by base_model, whatever the deployment is named', () => {
    const named = deployment('azure', 'prod-chat-eu', { modelInfo: { base_model: 'azure/gpt-4o' } });
    expect(catalog.priceFor(named)?.catalogKey).toBe('azure/gpt-4o');
    const bare = deployment('azure', 'gpt-4o', { params: { base_model: 'gpt-4o' } });
    expect(catalog.priceFor(bare)?.catalogKey).toBe('azure/gpt-4o');
  });

  it('falls back to base_model, then to the model name of a well-known provider', () => {
    expect(catalog.priceFor(deployment('hosted_vllm', 'served-name', { modelInfo: { base_model: 'claude-sonnet-4-5' } }))?.catalogKey).toBe(
      'anthropic/claude-sonnet-4-5',
    );
    expect(catalog.priceFor(deployment('openai', 'claude-sonnet-4-5'))?.catalogKey).toBe('anthropic/claude-sonnet-4-5');
    expect(catalog.priceFor(deployment('openrouter', 'openai/gpt-4o'))?.catalogKey).toBe('openai/gpt-4o');
    expect(catalog.priceFor(deployment('cohere_chat', 'command-r'))?.catalogKey).toBe('cohere/command-r');
  });

  it('charges an unknown model 0, warns once per model and counts its requests', () => {
    const first = deployment('hosted_vllm', 'my-llama');
    const second = deployment('hosted_vllm', 'my-llama');
    expect(catalog.costFor(first, MILLION)).toBe(0n);
    expect(catalog.costFor(first, MILLION)).toBe(0n);
    expect(catalog.costFor(second, MILLION)).toBe(0n);
    catalog.costFor(deployment('hosted_vllm', 'other'), MILLION);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[0][0])).toContain('hosted_vllm/my-llama');
    expect(catalog.unpricedRequests()).toEqual(new Map([['hosted_vllm/my-llama', 3], ['hosted_vllm/other', 1]]));
  });

  it('treats the built-in fake model as free, without a warning', () => {
    expect(catalog.costFor(deployment('fake', 'echo'), MILLION)).toBe(0n);
    expect(warn).not.toHaveBeenCalled();
    expect(catalog.unpricedRequests().size).toBe(0);
  });

  it('ignores an override that is not a non-negative number, with a warning', () => {
    const bad = deployment('openai', 'gpt-4o', { params: { input_cost_per_token: 'cheap', output_cost_per_token: -1 } });
    expect(catalog.priceFor(bad)?.overridden).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain('input_cost_per_token, output_cost_per_token');
  });

  it('caches the price per deployment id until told to forget', () => {
    const target = deployment('openai', 'gpt-4o');
    const first = catalog.priceFor(target);
    expect(catalog.priceFor({ ...target, upstreamModel: 'claude-sonnet-4-5' })).toBe(first);
    catalog.forgetDeployments();
    expect(catalog.priceFor({ ...target, upstreamModel: 'claude-sonnet-4-5' })?.catalogKey).toBe('anthropic/claude-sonnet-4-5');
  });

  it('stays bounded when callers invent model names through a wildcard deployment', () => {
    const early = deployment('openai', 'gpt-4o');
    const remembered = catalog.priceFor(early);
    for (let i = 0; i < 6000; i++) catalog.costFor({ id: `wild::invented-${i}`, provider: 'hosted_vllm', upstreamModel: `invented-${i}` }, MILLION);
    expect(catalog.unpricedRequests().size).toBe(1024);
    expect(catalog.unpricedRequests().get('hosted_vllm/invented-5999')).toBe(1);
    // The early deployment's price was dropped to make room, so a changed model is priced afresh.
    expect(catalog.priceFor({ ...early, upstreamModel: 'claude-sonnet-4-5' })).not.toBe(remembered);
  });

  it('loads the bundled catalog by default', () => {
    const bundled = new PricingCatalog();
    expect(bundled.size).toBeGreaterThanOrEqual(300);
    expect(bundled.priceFor(deployment('anthropic', 'claude-sonnet-4-5'))?.catalogKey).toBe('anthropic/claude-sonnet-4-5');
  });
});
