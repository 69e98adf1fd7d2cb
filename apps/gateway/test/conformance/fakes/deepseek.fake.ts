import type { ConformanceFake } from '../conformance-contract';
import { bearer, startOpenAIWireFake, type NativeReply } from '../openai-wire-fake';

/**
 * DeepSeek (api-docs.deepseek.com): OpenAI-compatible, text only (image parts are refused with 400), with the
 * reasoning model's `reasoning_content` in messages and stream deltas.
 */
const KEY = 'sk-deepseek-conformance';

const deepSeekError = (status: number, message: string, type: string, headers: Record<string, string> = {}): NativeReply => ({
  status,
  body: { error: { message, type, param: null, code: 'invalid_request_error' } },
  headers,
});

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/v1/chat/completions',
    authorized: bearer(KEY),
    badRequest: (message) => deepSeekError(400, message, 'invalid_request_error'),
    refuse: {
      image: deepSeekError(400, 'Failed to deserialize the JSON body into the target type: messages[0]: unknown variant `image_url`, expected `text` at line 1 column 187', 'invalid_request_error'),
    },
    errors: {
      'error-401': deepSeekError(401, 'Authentication Fails, Your api key: ****ance is invalid', 'authentication_error'),
      'error-429': deepSeekError(429, 'Rate Limit Reached', 'rate_limit_reached_error', { 'retry-after': '7' }),
      'error-context': deepSeekError(400, "This model's maximum context length is 131072 tokens. However, you requested 140000 tokens (140000 in the messages, 0 in the completion). Please reduce the length of the messages or completion.", 'invalid_request_error'),
      'error-500': deepSeekError(500, 'Server Error', 'internal_error'),
      'error-overloaded': deepSeekError(503, 'Server Overloaded', 'server_overloaded'),
    },
    messageFields: { reasoning_content: 'The user greets me; answer briefly.' },
  });
  return {
    provider: 'deepseek',
    litellmParams: { model: 'deepseek/deepseek-reasoner', api_base: `${server.url}/v1`, api_key: KEY },
    unsupported: { image: '400' },
    close: server.close,
  };
}
