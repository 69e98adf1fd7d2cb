import type { ConformanceFake } from '../conformance-contract';
import { bearer, startOpenAIWireFake, type NativeReply } from '../openai-wire-fake';

/** Fireworks AI (docs.fireworks.ai/api-reference): OpenAI-compatible under `/inference/v1`, full `accounts/...` model ids. */
const KEY = 'fw_conformance_key';
const MODEL = 'accounts/fireworks/models/llama-v3p3-70b-instruct';

const fireworksError = (status: number, message: string, type: string, headers: Record<string, string> = {}): NativeReply => ({
  status,
  body: { error: { object: 'error', type, code: type, message } },
  headers,
});

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/inference/v1/chat/completions',
    authorized: bearer(KEY),
    check: (req) => (req.json.model === MODEL ? undefined : `Model not found, inaccessible, and/or not deployed: ${req.json.model}`),
    badRequest: (message) => fireworksError(400, message, 'invalid_request_error'),
    errors: {
      'error-401': fireworksError(401, 'The API key you provided is invalid.', 'unauthorized'),
      'error-429': fireworksError(429, 'Request rate limit exceeded, please try again later', 'rate_limit_exceeded', { 'retry-after': '7' }),
      'error-context': fireworksError(400, 'The prompt is too long: 140000, model maximum context length: 131072', 'invalid_request_error'),
      'error-500': fireworksError(500, 'Internal server error', 'internal_server_error'),
      'error-overloaded': fireworksError(503, 'Service unavailable: the model is overloaded', 'service_unavailable'),
    },
    streamUsage: 'finish-chunk',
  });
  return {
    provider: 'fireworks_ai',
    litellmParams: { model: 'fireworks_ai/llama-v3p3-70b-instruct', api_base: `${server.url}/inference/v1`, api_key: KEY },
    close: server.close,
  };
}
