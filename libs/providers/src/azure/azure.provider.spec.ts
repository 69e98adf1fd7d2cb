import { afterEach, describe, expect, it } from 'vitest';
import type { LitellmParams } from '@tollgate/config';
import { AzureProvider } from './azure.provider';

/** Exposes the request headers the provider would send. */
class HeaderProbe extends AzureProvider {
  headersFor(params: LitellmParams): Record<string, string> {
    return this.headers(params);
  }
}

describe('azure provider', () => {
  const provider = new HeaderProbe();

  afterEach(() => {
    delete process.env.AZURE_API_BASE;
    delete process.env.AZURE_API_VERSION;
  });

  it('requires api_base and api_version, naming the setting and its variable', () => {
    const problems = provider.validate({ model: 'azure/gpt4o' });
    expect(problems).toEqual([
      { path: 'api_base', message: expect.stringContaining('AZURE_API_BASE') },
      { path: 'api_version', message: expect.stringContaining('AZURE_API_VERSION') },
    ]);
    process.env.AZURE_API_BASE = 'https://res.openai.azure.com';
    process.env.AZURE_API_VERSION = '2024-10-21';
    expect(provider.validate({ model: 'azure/gpt4o' })).toEqual([]);
  });

  it('shows the resource endpoint without credentials', () => {
    expect(provider.displayApiBase({ model: 'azure/x', api_base: 'https://user:pw@res.openai.azure.com/?x=1' })).toBe('https://res.openai.azure.com');
  });

  it('sends the key as api-key, never as a bearer token, and keeps extra headers', () => {
    const headers = provider.headersFor({ model: 'azure/x', api_key: 'k1', extra_headers: { 'x-ms-client': 'tollgate' } });
    expect(headers).toMatchObject({ 'api-key': 'k1', 'x-ms-client': 'tollgate', 'content-type': 'application/json' });
    expect(headers.authorization).toBeUndefined();
    expect(provider.headersFor({ model: 'azure/x', azure_ad_token: 'tok' })).toMatchObject({ authorization: 'Bearer tok' });
  });

  it('honours every OpenAI chat parameter but web search, and the embeddings parameters', () => {
    expect(provider.capabilities.chatParams.has('web_search_options')).toBe(false);
    expect(provider.capabilities.chatParams.has('logprobs')).toBe(true);
    expect([...(provider.capabilities.embeddingParams ?? [])].sort()).toEqual(['dimensions', 'encoding_format', 'user']);
  });
});
