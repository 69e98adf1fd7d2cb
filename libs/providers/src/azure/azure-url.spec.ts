import { describe, expect, it } from 'vitest';
import { azureDeploymentName, azureDeploymentUrl } from './azure-url';

describe('azure urls', () => {
  it('builds the deployment URL with the api-version query', () => {
    expect(azureDeploymentUrl('https://res.openai.azure.com', 'gpt4o-prod', 'chat', '2024-10-21')).toBe(
      'https://res.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21',
    );
    expect(azureDeploymentUrl('https://res.openai.azure.com/openai/', 'embed', 'embeddings', '2024-10-21')).toBe(
      'https://res.openai.azure.com/openai/deployments/embed/embeddings?api-version=2024-10-21',
    );
  });

  it('keeps an api_base query string behind the path, the configured api_version winning', () => {
    expect(azureDeploymentUrl('https://gw.example/azure/openai/?route=eu&api-version=2023-05-15', 'dep', 'chat', '2024-10-21')).toBe(
      'https://gw.example/azure/openai/deployments/dep/chat/completions?api-version=2024-10-21&route=eu',
    );
  });

  it('encodes deployment names and versions', () => {
    expect(azureDeploymentUrl('https://res.openai.azure.com', 'my dep', 'chat', '2025-01-01-preview&x')).toBe(
      'https://res.openai.azure.com/openai/deployments/my%20dep/chat/completions?api-version=2025-01-01-preview%26x',
    );
  });

  it('strips LiteLLM route prefixes from the deployment name', () => {
    expect(azureDeploymentName('o_series/my-o3')).toBe('my-o3');
    expect(azureDeploymentName('gpt5_series/gpt5')).toBe('gpt5');
    expect(azureDeploymentName('gpt-4o')).toBe('gpt-4o');
  });
});
