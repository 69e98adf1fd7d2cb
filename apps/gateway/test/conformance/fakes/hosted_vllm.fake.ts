import type { ConformanceFake } from '../conformance-contract';
import { bearer, startOpenAIWireFake, type NativeReply } from '../openai-wire-fake';

/**
 * A vLLM OpenAI-compatible server started with `--api-key` (docs.vllm.ai, OpenAI-compatible server):
 * `/v1/chat/completions` and `/v1/embeddings`, `{"error":"Unauthorized"}` for a wrong key, and vLLM's
 * `{"object":"error","message","type","param","code"}` bodies.
 */
const KEY = 'vllm-conformance-key';

const vllmError = (status: number, message: string, type: string, headers: Record<string, string> = {}): NativeReply => ({
  status,
  body: { object: 'error', message, type, param: null, code: status },
  headers,
});

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/v1/chat/completions',
    embeddingsPath: '/v1/embeddings',
    authorized: bearer(KEY),
    badRequest: (message) => vllmError(400, message, 'BadRequestError'),
    errors: {
      'error-401': { status: 401, body: { error: 'Unauthorized' } },
      'error-429': vllmError(429, 'Too many requests in flight, retry later', 'TooManyRequests', { 'retry-after': '7' }),
      'error-context': vllmError(400, "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens (40000 in the messages, 0 in the completion). Please reduce the length of the messages or completion.", 'BadRequestError'),
      'error-500': vllmError(500, 'EngineCore encountered an issue.', 'InternalServerError'),
      'error-overloaded': vllmError(503, 'The engine is overloaded; the waiting queue is full.', 'ServiceUnavailableError'),
    },
  });
  return {
    provider: 'hosted_vllm',
    litellmParams: { model: 'hosted_vllm/Qwen/Qwen2.5-7B-Instruct', api_base: `${server.url}/v1`, api_key: KEY },
    embeddingParams: { model: 'hosted_vllm/BAAI/bge-m3', api_base: `${server.url}/v1`, api_key: KEY },
    close: server.close,
  };
}
