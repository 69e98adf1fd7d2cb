import { afterEach, describe, expect, it } from 'vitest';
import { lmStudioProvider } from './lm-studio.provider';

describe('lm_studio provider', () => {
  afterEach(() => {
    delete process.env.LM_STUDIO_API_BASE;
  });

  it('calls the local server on port 1234 unless api_base or LM_STUDIO_API_BASE say otherwise', () => {
    expect(lmStudioProvider.validate({ model: 'lm_studio/qwen' })).toEqual([]);
    expect(lmStudioProvider.displayApiBase({ model: 'lm_studio/qwen' })).toBe('http://localhost:1234/v1');
    process.env.LM_STUDIO_API_BASE = 'http://studio.lan:1234/v1';
    expect(lmStudioProvider.displayApiBase({ model: 'lm_studio/qwen' })).toBe('http://studio.lan:1234/v1');
    expect(lmStudioProvider.capabilities.embeddingParams?.has('encoding_format')).toBe(true);
  });
});
