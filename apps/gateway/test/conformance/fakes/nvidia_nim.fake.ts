import type { ConformanceFake } from '../conformance-contract';
import { bearer, startOpenAIWireFake, type NativeReply } from '../openai-wire-fake';

/**
 * NVIDIA NIM on the API catalog (docs.api.nvidia.com/nim/reference): OpenAI-compatible on `/v1` behind a
 * gateway answering problem-details bodies (`{"type","title","status","detail"}`) for auth, limits and
 * availability; the model server's own errors are vLLM-shaped. Chat and embeddings.
 */
const KEY = 'nvapi-conformance';

const problem = (status: number, title: string, detail: string, headers: Record<string, string> = {}): NativeReply => ({
  status,
  body: { type: 'about:blank', title, status, detail, requestId: 'conf-request' },
  headers,
});

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/v1/chat/completions',
    embeddingsPath: '/v1/embeddings',
    authorized: bearer(KEY),
    errors: {
      'error-401': problem(401, 'Unauthorized', 'Authentication failed'),
      'error-429': problem(429, 'Too Many Requests', 'Rate limit exceeded, retry later', { 'retry-after': '7' }),
      'error-context': {
        status: 400,
        body: {
          object: 'error',
          message: "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens (9000 in the messages, 0 in the completion). Please reduce the length of the messages or completion.",
          type: 'BadRequestError',
          param: null,
          code: 400,
        },
      },
      'error-500': problem(500, 'Internal Server Error', 'Inference request failed'),
      'error-overloaded': problem(503, 'Service Unavailable', 'The function is at capacity, try again later'),
    },
  });
  return {
    provider: 'nvidia_nim',
    litellmParams: { model: 'nvidia_nim/meta/llama-3.3-70b-instruct', api_base: `${server.url}/v1`, api_key: KEY },
    embeddingParams: { model: 'nvidia_nim/nvidia/nv-embedqa-e5-v5', api_base: `${server.url}/v1`, api_key: KEY, input_type: 'query' },
    close: server.close,
  };
}
