import { describe, expect, it, vi } from 'vitest';
import { countTextTokens, encodingForModel, tokenizerModelOf } from './encodings';

describe('encodingForModel', () => {
  it('uses o200k_base for the gpt-4o, gpt-4.1, gpt-4.5, gpt-5, o-series and gpt-oss families', () => {
    for (const model of ['gpt-4o', 'gpt-4o-mini-2024-07-18', 'chatgpt-4o-latest', 'gpt-4.1-nano', 'gpt-4.5-preview', 'gpt-5', 'gpt-5-mini', 'o1', 'o1-mini', 'o3-2025-04-16', 'o4-mini', 'gpt-oss-120b']) {
      expect(encodingForModel(model), model).toBe('o200k_base');
    }
  });

  it('sees through fine-tune names and route prefixes', () => {
    expect(encodingForModel('ft:gpt-4o-mini-2024-07-18:acme::abc123')).toBe('o200k_base');
    expect(encodingForModel('openai/gpt-4o')).toBe('o200k_base');
    expect(encodingForModel('openrouter/openai/gpt-5')).toBe('o200k_base');
  });

  it('uses cl100k_base for older OpenAI models and for every other provider\'s models', () => {
    for (const model of ['gpt-4', 'gpt-4-turbo', 'gpt-3.5-turbo', 'claude-sonnet-4-5', 'gemini-2.5-pro', 'llama3.1:8b', 'mistral-large-latest', 'omni-unknown', 'o', 'olmo-7b']) {
      expect(encodingForModel(model), model).toBe('cl100k_base');
    }
  });
});

describe('tokenizerModelOf', () => {
  it('prefers base_model (an Azure deployment name says nothing about the model)', () => {
    expect(tokenizerModelOf({ upstreamModel: 'my-deployment', modelInfo: { base_model: 'azure/gpt-4o' } })).toBe('azure/gpt-4o');
    expect(tokenizerModelOf({ upstreamModel: 'my-deployment', params: { base_model: 'gpt-4o' } })).toBe('gpt-4o');
    expect(tokenizerModelOf({ upstreamModel: 'gpt-4o-mini' })).toBe('gpt-4o-mini');
  });
});

describe('encoding loading', () => {
  it('loads an encoding only when something is first counted with it', async () => {
    // A fresh copy of the module: unit test files share modules (isolate: false), so another file may have
    // loaded the encoding already.
    vi.resetModules();
    const fresh = await import('./encodings');
    expect(fresh.isEncodingLoaded('cl100k_base')).toBe(false);
    expect(fresh.countTextTokens('', 'cl100k_base')).toBe(0);
    expect(fresh.isEncodingLoaded('cl100k_base')).toBe(false);
    expect(fresh.countTextTokens('hello world', 'cl100k_base')).toBe(2);
    expect(fresh.isEncodingLoaded('cl100k_base')).toBe(true);
  });
});
