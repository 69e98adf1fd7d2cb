import { anthropicProvider } from './anthropic/anthropic.provider';
import { bedrockProvider } from './bedrock/bedrock.provider';
import { cohereChatProvider, cohereProvider } from './cohere/cohere.provider';
import { FakeProvider } from './fake/fake.provider';
import { geminiProvider } from './gemini/gemini.provider';
import { vertexAIProvider } from './vertex-ai/vertex-ai.provider';
import { ollamaChatProvider, ollamaProvider } from './ollama/ollama.provider';
import { openAIProvider } from './openai/openai.provider';
import { azureProvider } from './azure/azure.provider';
import { azureAIProvider } from './azure-ai/azure-ai.provider';
import { cerebrasProvider } from './cerebras/cerebras.provider';
import { deepSeekProvider } from './deepseek/deepseek.provider';
import { fireworksAIProvider } from './fireworks-ai/fireworks-ai.provider';
import { groqProvider } from './groq/groq.provider';
import { hostedVllmProvider } from './hosted-vllm/hosted-vllm.provider';
import { huggingFaceProvider } from './huggingface/huggingface.provider';
import { lmStudioProvider } from './lm-studio/lm-studio.provider';
import { mistralProvider } from './mistral/mistral.provider';
import { nvidiaNimProvider } from './nvidia-nim/nvidia-nim.provider';
import { openRouterProvider } from './openrouter/openrouter.provider';
import { perplexityProvider } from './perplexity/perplexity.provider';
import { togetherAIProvider } from './together-ai/together-ai.provider';
import { xaiProvider } from './xai/xai.provider';
import type { ProviderAdapter } from './provider.types';

/**
 * Every provider Tollgate can call, by model-string prefix. Adding a provider is adding its folder and one
 * line here.
 */
const PROVIDERS: ProviderAdapter[] = [openAIProvider, anthropicProvider, new FakeProvider(), cohereProvider, cohereChatProvider, ollamaProvider, ollamaChatProvider, geminiProvider, vertexAIProvider, bedrockProvider,
  // OpenAI wire format: Azure and the OpenAI-compatible family.
  azureProvider, azureAIProvider, mistralProvider, groqProvider, togetherAIProvider, fireworksAIProvider, deepSeekProvider, xaiProvider,
  perplexityProvider, openRouterProvider, cerebrasProvider, nvidiaNimProvider, hostedVllmProvider, huggingFaceProvider, lmStudioProvider];

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
