import type { ConformanceFake } from '../conformance-contract';
import { startOpenAIWireFake, type NativeReply } from '../openai-wire-fake';

/**
 * OpenRouter (openrouter.ai/docs/api-reference): OpenAI-compatible under `/api/v1`, Bearer auth, optional
 * `HTTP-Referer` / `X-Title` attribution headers, `: OPENROUTER PROCESSING` SSE comments, errors
 * `{"error":{"code":<status>,"message"}}`.
 */
const KEY = 'sk-or-v1-conformance';
const SITE = 'https://tollgate.example';
const APP = 'Tollgate conformance';

const routerError = (status: number, message: string, headers: Record<string, string> = {}): NativeReply => ({ status, body: { error: { code: status, message } }, headers });

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/api/v1/chat/completions',
    authorized: (req) => req.headers.authorization === `Bearer ${KEY}`,
    check: (req) => (req.headers['http-referer'] === SITE && req.headers['x-title'] === APP ? undefined : 'attribution headers HTTP-Referer / X-Title missing'),
    badRequest: (message) => routerError(400, message),
    errors: {
      'error-401': routerError(401, 'No auth credentials found'),
      'error-429': routerError(429, 'Rate limit exceeded: free-models-per-min.', { 'retry-after': '7' }),
      'error-context': routerError(400, "This endpoint's maximum context length is 131072 tokens. However, you requested about 140000 tokens (140000 of text input). Please reduce the length of either one, or use the \"middle-out\" transform to compress your prompt automatically."),
      'error-500': routerError(500, 'Internal Server Error'),
      'error-overloaded': routerError(503, 'No instances available: all providers for the requested model are overloaded'),
    },
    streamPreamble: ': OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n',
  });
  return {
    provider: 'openrouter',
    litellmParams: { model: 'openrouter/meta-llama/llama-3.3-70b-instruct', api_base: `${server.url}/api/v1`, api_key: KEY },
    env: { OR_SITE_URL: SITE, OR_APP_NAME: APP },
    close: server.close,
  };
}
