import type { ConformanceFake } from '../conformance-contract';
import { bearer, openAIError, startOpenAIWireFake } from '../openai-wire-fake';

/** Together AI (docs.together.ai/reference): OpenAI-compatible on `/v1`, usage in the last stream chunk, embeddings. */
const KEY = 'together-conformance-key';

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/v1/chat/completions',
    embeddingsPath: '/v1/embeddings',
    authorized: bearer(KEY),
    errors: {
      'error-401': openAIError(401, 'Invalid API key provided. You can find your API key at https://api.together.xyz/settings/api-keys.', 'invalid_request_error', 'invalid_api_key'),
      'error-429': openAIError(429, 'You have reached the rate limit specific to this model meta-llama/Llama-3.3-70B-Instruct-Turbo.', 'model_rate_limit', null, { 'retry-after': '7' }),
      'error-context': openAIError(400, 'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 131073. Given: 140000 `inputs` tokens and 512 `max_new_tokens`', 'invalid_request_error'),
      'error-500': openAIError(500, 'Internal server error', 'server_error'),
      'error-overloaded': openAIError(503, 'The server is overloaded or not ready yet.', 'server_error'),
    },
    streamUsage: 'finish-chunk',
  });
  return {
    provider: 'together_ai',
    litellmParams: { model: 'together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo', api_base: `${server.url}/v1`, api_key: KEY },
    embeddingParams: { model: 'together_ai/BAAI/bge-base-en-v1.5', api_base: `${server.url}/v1`, api_key: KEY },
    close: server.close,
  };
}
