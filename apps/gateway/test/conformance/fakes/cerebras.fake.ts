import type { ConformanceFake } from '../conformance-contract';
import { bearer, startOpenAIWireFake, type NativeReply } from '../openai-wire-fake';

/**
 * Cerebras Inference (inference-docs.cerebras.ai/api-reference/chat-completions): OpenAI-compatible on `/v1`,
 * text input only, usage on the last stream chunk, flat error bodies `{"message","type","param","code"}`.
 */
const KEY = 'csk-conformance';
const REFUSED = ['frequency_penalty', 'presence_penalty', 'logit_bias', 'parallel_tool_calls', 'service_tier'];

const cerebrasError = (status: number, message: string, type: string, param: string | null, code: string | null, headers: Record<string, string> = {}): NativeReply => ({
  status,
  body: { message, type, param, code },
  headers,
});

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/v1/chat/completions',
    authorized: bearer(KEY),
    check: (req) => {
      const field = REFUSED.find((key) => req.json[key] !== undefined);
      return field ? `${field} is not supported` : undefined;
    },
    badRequest: (message) => cerebrasError(400, message, 'invalid_request_error', null, 'wrong_api_format'),
    refuse: {
      image: cerebrasError(400, 'Image inputs are not supported by this model.', 'invalid_request_error', 'messages', 'wrong_api_format'),
    },
    errors: {
      'error-401': cerebrasError(401, 'Wrong API Key', 'invalid_request_error', 'api_key', 'wrong_api_key'),
      'error-429': cerebrasError(429, 'Requests per minute limit exceeded - too many requests sent.', 'too_many_requests_error', 'quota', 'request_quota_exceeded', { 'retry-after': '7' }),
      'error-context': cerebrasError(400, 'Please reduce the length of the messages or completion. Current length is 140000 while limit is 131072', 'invalid_request_error', 'messages', 'context_length_exceeded'),
      'error-500': cerebrasError(500, 'Internal server error', 'server_error', null, 'internal_server_error'),
      'error-overloaded': cerebrasError(503, "We're experiencing high traffic right now! Please try again soon.", 'service_unavailable_error', 'queue', 'queue_exceeded'),
    },
    streamUsage: 'finish-chunk',
  });
  return {
    provider: 'cerebras',
    litellmParams: { model: 'cerebras/gpt-oss-120b', api_base: `${server.url}/v1`, api_key: KEY },
    unsupported: { image: '400' },
    close: server.close,
  };
}
