import { describe, expect, it } from 'vitest';
import { costOf } from './cost-of';
import { priceFromCatalogEntry, type ModelPrice } from './model-price';
import { formatUsd, parseUsd } from './usd';

const price = (entry: Parameters<typeof priceFromCatalogEntry>[1]): ModelPrice => priceFromCatalogEntry('test/model', entry);

describe('costOf', () => {
  it('charges prompt and completion tokens at the per-million prices', () => {
    const gpt4o = price({ mode: 'chat', input: '2.5', output: '10' });
    const cost = costOf({ promptTokens: 1000, completionTokens: 200, totalTokens: 1200 }, gpt4o);
    expect(formatUsd(cost)).toBe('0.0045');
  });

  it('sums a million tiny requests to the exact total, where floating point drifts', () => {
    const cheap = price({ mode: 'chat', input: '0.15', output: '0.6' });
    const usage = { promptTokens: 3, completionTokens: 0, totalTokens: 3 };
    let exact = 0n;
    let float = 0;
    for (let i = 0; i < 1_000_000; i++) {
      exact += costOf(usage, cheap);
      float += 3 * 0.15e-6;
    }
    // 3,000,000 tokens at $0.15 per million.
    expect(exact).toBe(parseUsd('0.45'));
    expect(formatUsd(exact)).toBe('0.45');
    expect(float).not.toBe(0.45);
  });

  it('charges cache reads and cache writes at their prices and only the rest of the prompt at input price', () => {
    const claude = price({ mode: 'chat', input: '3', output: '15', cache_read: '0.3', cache_write: '3.75' });
    const usage = { promptTokens: 10_000, cachedPromptTokens: 6_000, cacheCreationTokens: 3_000, completionTokens: 100, totalTokens: 10_100 };
    // 1,000 x 3 + 6,000 x 0.3 + 3,000 x 3.75 + 100 x 15 = 3,000 + 1,800 + 11,250 + 1,500 = 17,550 per million.
    expect(formatUsd(costOf(usage, claude))).toBe('0.01755');
  });

  it('charges cache tokens at the input price when the model has no cache prices', () => {
    const plain = price({ mode: 'chat', input: '1', output: '2' });
    const usage = { promptTokens: 1_000_000, cachedPromptTokens: 400_000, cacheCreationTokens: 100_000, completionTokens: 0, totalTokens: 1_000_000 };
    expect(formatUsd(costOf(usage, plain))).toBe('1');
  });

  it('never charges more cached tokens than the prompt has', () => {
    const cached = price({ mode: 'chat', input: '1', output: '1', cache_read: '0.1', cache_write: '2' });
    const usage = { promptTokens: 100, cachedPromptTokens: 150, cacheCreationTokens: 50, completionTokens: 0, totalTokens: 100 };
    expect(costOf(usage, cached)).toBe(costOf({ promptTokens: 100, cachedPromptTokens: 100, completionTokens: 0, totalTokens: 100 }, cached));
  });

  it('charges reasoning tokens at the reasoning price when the model has one, else at the output price', () => {
    const usage = { promptTokens: 0, completionTokens: 1_000_000, reasoningTokens: 600_000, totalTokens: 1_000_000 };
    expect(formatUsd(costOf(usage, price({ mode: 'chat', input: '1', output: '10', reasoning: '3.5' })))).toBe('6.1');
    expect(formatUsd(costOf(usage, price({ mode: 'chat', input: '1', output: '10' })))).toBe('10');
  });

  it('adds per-image and per-second charges', () => {
    const media = price({ mode: 'chat', input: '0', output: '0', input_per_image: '0.0025', output_per_second: '0.006' });
    const cost = costOf({ promptTokens: 0, completionTokens: 0, totalTokens: 0, inputImages: 3, outputSeconds: 12.5 }, media);
    expect(formatUsd(cost)).toBe('0.0825');
  });

  it('rounds each request once, half up, to the picodollar', () => {
    // 1 token at $0.0000005 per million is half a picodollar.
    const tiny = price({ mode: 'chat', input: '0.0000005', output: '0.0000004' });
    expect(costOf({ promptTokens: 1, completionTokens: 0, totalTokens: 1 }, tiny)).toBe(1n);
    expect(costOf({ promptTokens: 0, completionTokens: 1, totalTokens: 1 }, tiny)).toBe(0n);
  });

  it('treats missing, negative or non-finite counts as zero', () => {
    const any = price({ mode: 'chat', input: '1', output: '1' });
    expect(costOf({ promptTokens: -5, completionTokens: Number.NaN, totalTokens: 0 }, any)).toBe(0n);
  });
});
