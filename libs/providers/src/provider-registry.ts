import { anthropicProvider } from './anthropic/anthropic.provider';
import { cohereChatProvider, cohereProvider } from './cohere/cohere.provider';
import { FakeProvider } from './fake/fake.provider';
import { ollamaChatProvider, ollamaProvider } from './ollama/ollama.provider';
import { openAIProvider } from './openai/openai.provider';
import type { ProviderAdapter } from './provider.types';

/**
 * Every provider Tollgate can call, by model-string prefix. Adding a provider is adding its folder and one
 * line here.
 */
const PROVIDERS: ProviderAdapter[] = [openAIProvider, anthropicProvider, new FakeProvider(), cohereProvider, cohereChatProvider, ollamaProvider, ollamaChatProvider];

const byName = new Map(PROVIDERS.map((provider) => [provider.name, provider]));

export function findProvider(name: string): ProviderAdapter | undefined {
  return byName.get(name);
}

export function allProviders(): readonly ProviderAdapter[] {
  return PROVIDERS;
}

export function providerNames(): string[] {
  return [...byName.keys()].sort();
}
