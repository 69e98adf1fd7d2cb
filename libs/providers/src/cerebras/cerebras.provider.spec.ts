import { describe, expect, it } from 'vitest';
import { cerebrasProvider } from './cerebras.provider';

describe('cerebras provider', () => {
  it('calls api.cerebras.ai/v1 unless api_base says otherwise', () => {
    expect(cerebrasProvider.validate({ model: 'cerebras/gpt-oss-120b' })).toEqual([]);
    expect(cerebrasProvider.displayApiBase({ model: 'cerebras/x' })).toBe('https://api.cerebras.ai/v1');
  });

  it('does not declare the parameters Cerebras answers 400 to', () => {
    for (const param of ['frequency_penalty', 'presence_penalty', 'logit_bias', 'parallel_tool_calls', 'service_tier']) {
      expect(cerebrasProvider.capabilities.chatParams.has(param), param).toBe(false);
    }
    expect(cerebrasProvider.capabilities.features.vision).toBe(false);
  });
});
