import { describe, expect, it } from 'vitest';
import { fireworksAIProvider } from './fireworks-ai.provider';
import { fireworksModelId } from './fireworks-model';

describe('fireworks_ai provider', () => {
  it('expands a bare model name to the Fireworks serverless model id', () => {
    expect(fireworksModelId('llama-v3p3-70b-instruct')).toBe('accounts/fireworks/models/llama-v3p3-70b-instruct');
    expect(fireworksModelId('accounts/acme/models/tuned')).toBe('accounts/acme/models/tuned');
    expect(fireworksModelId('accounts/acme/deployedModels/x')).toBe('accounts/acme/deployedModels/x');
  });

  it('calls api.fireworks.ai/inference/v1 by default', () => {
    expect(fireworksAIProvider.validate({ model: 'fireworks_ai/x' })).toEqual([]);
    expect(fireworksAIProvider.displayApiBase({ model: 'fireworks_ai/x' })).toBe('https://api.fireworks.ai/inference/v1');
    expect(fireworksAIProvider.displayApiBase({ model: 'fireworks_ai/x', api_base: 'https://fw.proxy/inference/v1' })).toBe('https://fw.proxy/inference/v1');
  });
});
