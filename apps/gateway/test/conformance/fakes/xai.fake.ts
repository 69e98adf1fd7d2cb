import type { ConformanceFake } from '../conformance-contract';
import { bearer, startOpenAIWireFake, type NativeReply } from '../openai-wire-fake';

/**
 * xAI (docs.x.ai/docs/api-reference): OpenAI-compatible on `/v1`, with its own error bodies
 * `{"code":"<status text>","error":"<message>"}`; a wrong key is answered with HTTP 400.
 */
const KEY = 'xai-conformance-key';

const xaiError = (status: number, code: string, error: string, headers: Record<string, string> = {}): NativeReply => ({ status, body: { code, error }, headers });

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/v1/chat/completions',
    authorized: bearer(KEY),
    badRequest: (message) => xaiError(400, 'Client specified an invalid argument', message),
    errors: {
      'error-401': xaiError(400, 'Client specified an invalid argument', 'Incorrect API key provided: xa***ey. You can obtain an API key from https://console.x.ai.'),
      'error-429': xaiError(429, 'Some resource has been exhausted', 'Too many requests: your team has exceeded its requests-per-second limit.', { 'retry-after': '7' }),
      'error-context': xaiError(400, 'Client specified an invalid argument', "This model's maximum prompt length is 131072 but the request contains 140000 tokens."),
      'error-500': xaiError(500, 'Internal error', 'Internal server error.'),
      'error-overloaded': xaiError(503, 'The service is currently unavailable', 'The model is overloaded, please try again later.'),
    },
  });
  return {
    provider: 'xai',
    litellmParams: { model: 'xai/grok-4', api_base: `${server.url}/v1`, api_key: KEY },
    close: server.close,
  };
}
