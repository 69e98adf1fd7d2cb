import type { ConformanceFake } from '../conformance-contract';
import { bearer, openAIError, startOpenAIWireFake } from '../openai-wire-fake';

/**
 * Groq (console.groq.com/docs/openai): OpenAI-compatible under `/openai/v1`, Bearer auth; refuses
 * `messages[].name`, `logprobs`, `logit_bias`, `top_logprobs` and `n` > 1; the last stream chunk carries `x_groq`.
 */
const KEY = 'gsk_groq_conformance';
const UNSUPPORTED = ['logprobs', 'logit_bias', 'top_logprobs'];

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/openai/v1/chat/completions',
    authorized: bearer(KEY),
    check: (req) => {
      const field = UNSUPPORTED.find((key) => req.json[key] !== undefined);
      if (field) return `'${field}' : not supported`;
      if ((req.json.n ?? 1) !== 1) return "'n' : number must be at most 1";
      return (req.json.messages as Array<{ name?: string }>).some((m) => m.name !== undefined) ? "'messages.name' : property 'name' is unsupported" : undefined;
    },
    errors: {
      'error-401': openAIError(401, 'Invalid API Key', 'invalid_request_error', 'invalid_api_key'),
      'error-429': openAIError(429, 'Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_conf` on tokens per minute (TPM): Limit 6000, Used 5800, Requested 900. Please try again in 7s.', 'tokens', 'rate_limit_exceeded', { 'retry-after': '7' }),
      'error-context': openAIError(400, 'Please reduce the length of the messages or completion.', 'invalid_request_error', 'context_length_exceeded'),
      'error-500': openAIError(500, 'Internal Server Error', 'internal_server_error'),
      'error-overloaded': openAIError(503, 'Service Unavailable', 'internal_server_error'),
    },
    finishChunkFields: { x_groq: { id: 'req_01conf', usage: { queue_time: 0.01, prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } } },
  });
  return {
    provider: 'groq',
    litellmParams: { model: 'groq/llama-3.3-70b-versatile', api_base: `${server.url}/openai/v1`, api_key: KEY },
    close: server.close,
  };
}
