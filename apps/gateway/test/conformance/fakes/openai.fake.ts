import type { ConformanceFake } from '../conformance-contract';
import { bearer, startOpenAIWireFake } from '../openai-wire-fake';

/** OpenAI's chat-completions and embeddings API (platform.openai.com/docs/api-reference): Bearer auth on `/v1`. */
const KEY = 'sk-openai-conformance';

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({ chatPath: '/v1/chat/completions', embeddingsPath: '/v1/embeddings', authorized: bearer(KEY) });
  return {
    provider: 'openai',
    litellmParams: { model: 'openai/gpt-conf', api_base: `${server.url}/v1`, api_key: KEY },
    embeddingParams: { model: 'openai/text-embedding-conf', api_base: `${server.url}/v1`, api_key: KEY },
    close: server.close,
  };
}
