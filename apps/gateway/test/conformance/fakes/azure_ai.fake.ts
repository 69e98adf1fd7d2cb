import type { ConformanceFake } from '../conformance-contract';
import { headerEquals, startOpenAIWireFake, type NativeReply } from '../openai-wire-fake';

/**
 * Azure AI Foundry's model inference API (learn.microsoft.com/rest/api/aifoundry/model-inference):
 * `{endpoint}/models/chat/completions?api-version=`, the key in `api-key`, `extra-parameters: pass-through`
 * for fields outside the schema, Azure error bodies.
 */
const KEY = 'azure-ai-conformance-key';
const API_VERSION = '2024-05-01-preview';

const azureError = (status: number, code: string, message: string, headers: Record<string, string> = {}): NativeReply => ({ status, body: { error: { code, message } }, headers });

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/models/chat/completions',
    embeddingsPath: '/models/embeddings',
    authorized: headerEquals('api-key', KEY),
    check: (req) => {
      if (req.query.get('api-version') !== API_VERSION) return `api-version must be ${API_VERSION}`;
      if (req.json?.stream_options !== undefined && req.headers['extra-parameters'] !== 'pass-through') {
        return "Extra parameters ['stream_options'] are not allowed when extra-parameters is not set or set to be 'error'.";
      }
      return undefined;
    },
    badRequest: (message) => azureError(400, 'Invalid input', message),
    errors: {
      'error-401': azureError(401, 'Unauthorized', 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.'),
      'error-429': azureError(429, 'Too Many Requests', 'Rate limit is exceeded. Try again in 7 seconds.', { 'retry-after': '7' }),
      'error-context': azureError(400, 'Invalid input', "This model's maximum context length is 131072 tokens. However, you requested 140000 tokens. Please reduce the length of the messages."),
      'error-500': azureError(500, 'InternalServerError', 'The server had an error while processing your request.'),
      'error-overloaded': azureError(503, 'ServiceUnavailable', 'The service is temporarily unable to process your request. Please try again later.'),
    },
  });
  const base = { api_base: `${server.url}/models`, api_key: KEY, api_version: API_VERSION };
  return {
    provider: 'azure_ai',
    litellmParams: { model: 'azure_ai/Llama-3.3-70B-Instruct', ...base },
    embeddingParams: { model: 'azure_ai/embed-v-4-0', ...base },
    close: server.close,
  };
}
