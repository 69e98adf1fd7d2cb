import { afterEach, describe, expect, it } from 'vitest';
import { azureAIProvider } from './azure-ai.provider';
import { azureAIUrl } from './azure-ai-url';

describe('azure_ai provider', () => {
  afterEach(() => {
    delete process.env.AZURE_AI_API_BASE;
  });

  it('builds Foundry inference URLs, adding /models to a bare resource endpoint and the optional api-version', () => {
    expect(azureAIUrl('https://acme.services.ai.azure.com/models', 'chat', undefined)).toBe('https://acme.services.ai.azure.com/models/chat/completions');
    expect(azureAIUrl('https://acme.services.ai.azure.com/', 'chat', '2024-05-01-preview')).toBe(
      'https://acme.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview',
    );
    expect(azureAIUrl('https://llama-serverless.eastus2.models.ai.azure.com', 'embeddings', undefined)).toBe(
      'https://llama-serverless.eastus2.models.ai.azure.com/embeddings',
    );
  });

  it('requires an api_base, from the deployment or AZURE_AI_API_BASE', () => {
    expect(azureAIProvider.validate({ model: 'azure_ai/Llama-3.3-70B-Instruct' })).toEqual([
      { path: 'api_base', message: expect.stringContaining('AZURE_AI_API_BASE') },
    ]);
    process.env.AZURE_AI_API_BASE = 'https://acme.services.ai.azure.com/models';
    expect(azureAIProvider.validate({ model: 'azure_ai/Llama-3.3-70B-Instruct' })).toEqual([]);
    expect(azureAIProvider.displayApiBase({ model: 'azure_ai/x' })).toBe('https://acme.services.ai.azure.com/models');
  });

  it('declares the inference API parameters only', () => {
    expect(azureAIProvider.capabilities.chatParams.has('tools')).toBe(true);
    expect(azureAIProvider.capabilities.chatParams.has('logprobs')).toBe(false);
    expect(azureAIProvider.capabilities.chatParams.has('n')).toBe(false);
  });
});
