import type { ConformanceFake } from '../conformance-contract';
import { bearer, startOpenAIWireFake, type NativeReply } from '../openai-wire-fake';

/**
 * A Hugging Face Inference Endpoint running Text Generation Inference (huggingface.co/docs/text-generation-inference,
 * Messages API): `/v1/chat/completions` under the endpoint root, Bearer HF token, TGI's error bodies
 * `{"error","error_type"}` (422 for validation, 429 `overloaded` when the queue is full).
 */
const KEY = 'hf_conformance_token';

const tgiError = (status: number, error: string, errorType?: string, headers: Record<string, string> = {}): NativeReply => ({
  status,
  body: errorType ? { error, error_type: errorType } : { error },
  headers,
});

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/v1/chat/completions',
    authorized: bearer(KEY),
    badRequest: (message) => tgiError(422, message, 'validation'),
    errors: {
      'error-401': tgiError(401, 'Authorization header is correct, but the token seems invalid'),
      'error-429': tgiError(429, 'Rate limit reached. You reached free usage limit (reset hourly).', undefined, { 'retry-after': '7' }),
      'error-context': tgiError(422, 'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 200 `max_new_tokens`', 'validation'),
      'error-500': tgiError(500, 'Request failed during generation: Server error: CUDA out of memory.', 'generation'),
      'error-overloaded': tgiError(429, 'Model is overloaded', 'overloaded'),
    },
  });
  return {
    provider: 'huggingface',
    litellmParams: { model: 'huggingface/meta-llama/Llama-3.3-70B-Instruct', api_base: server.url, api_key: KEY },
    close: server.close,
  };
}
