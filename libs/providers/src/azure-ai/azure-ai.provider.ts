import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';
import { setting } from '../shared/credentials';
import { readAzureError } from '../azure/azure-errors';
import { azureAIUrl } from './azure-ai-url';

/**
 * Azure AI Foundry's model inference endpoint (OpenAI-compatible): `POST {api_base}/chat/completions`
 * (api_base like `https://<name>.services.ai.azure.com/models`), key in the `api-key` header (the service
 * also accepts it as a bearer token). The service refuses request fields outside its schema unless told to
 * pass them to the model, so `extra-parameters: pass-through` keeps provider-specific parameters working.
 */
export const azureAIProvider = new OpenAICompatibleProvider({
  name: 'azure_ai',
  apiKeyEnv: ['AZURE_AI_API_KEY'],
  apiBaseEnv: ['AZURE_AI_API_BASE'],
  // Sent with the key: a call without one is refused before parameters matter.
  authHeaders: (key) => ({ 'api-key': key, 'extra-parameters': 'pass-through' }),
  url: (apiBase, operation, deployment) => azureAIUrl(apiBase, operation, setting(deployment.params, 'api_version')),
  readErrorBody: readAzureError,
  capabilities: {
    // The parameters of the Azure AI Model Inference API's chat-completions schema.
    chatParams: new Set([
      'frequency_penalty',
      'max_tokens',
      'presence_penalty',
      'response_format',
      'seed',
      'stop',
      'stream_options',
      'temperature',
      'tool_choice',
      'tools',
      'top_p',
    ]),
    embeddingParams: new Set(['dimensions', 'encoding_format']),
    features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
    credentials: '`api_key` or `AZURE_AI_API_KEY` (`api-key` header); `api_base` or `AZURE_AI_API_BASE` (required); optional `api_version`',
    modelFormat: '`azure_ai/<model>`',
  },
});
