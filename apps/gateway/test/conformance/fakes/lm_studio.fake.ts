import type { ConformanceFake } from '../conformance-contract';
import { bearer, openAIError, startOpenAIWireFake } from '../openai-wire-fake';

/**
 * LM Studio's local server with authentication turned on (lmstudio.ai/docs, OpenAI compatibility):
 * `/v1/chat/completions` and `/v1/embeddings`, OpenAI-shaped error bodies.
 */
const KEY = 'lm-studio-conformance-token';

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/v1/chat/completions',
    embeddingsPath: '/v1/embeddings',
    authorized: bearer(KEY),
    errors: {
      'error-401': openAIError(401, 'Invalid or missing API token.', 'invalid_request_error', 'invalid_api_key'),
      'error-429': openAIError(429, 'Too many concurrent requests.', 'rate_limit_error', null, { 'retry-after': '7' }),
      'error-context': openAIError(400, 'Trying to keep the first 140000 tokens when context overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough.', 'invalid_request_error'),
      'error-500': openAIError(500, 'The model crashed without additional information.', 'server_error'),
      'error-overloaded': openAIError(503, 'The model is loading or overloaded, try again later.', 'server_error'),
    },
  });
  return {
    provider: 'lm_studio',
    litellmParams: { model: 'lm_studio/qwen2.5-7b-instruct', api_base: `${server.url}/v1`, api_key: KEY },
    embeddingParams: { model: 'lm_studio/text-embedding-nomic-embed-text-v1.5', api_base: `${server.url}/v1`, api_key: KEY },
    close: server.close,
  };
}
