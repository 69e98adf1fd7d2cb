import type { ConformanceFake } from '../conformance-contract';
import { bearer, startOpenAIWireFake, type NativeReply } from '../openai-wire-fake';

/**
 * Perplexity's Sonar chat completions (docs.perplexity.ai/api-reference/chat-completions-post): OpenAI-like at
 * the root path, `citations` and `search_results` beside the choices, usage on the last stream chunk; no tools,
 * no stop sequences, `response_format` only as `json_schema` / `regex`; an nginx HTML page for a wrong key.
 */
const KEY = 'pplx-conformance-key';
const SEARCH = {
  citations: ['https://example.org/weather-paris'],
  search_results: [{ title: 'Paris weather', url: 'https://example.org/weather-paris', date: '2025-05-01' }],
};

const perplexityError = (status: number, message: string, type: string, headers: Record<string, string> = {}): NativeReply => ({
  status,
  body: { error: { message, type, code: status } },
  headers,
});

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/chat/completions',
    authorized: bearer(KEY),
    check: (req) => (req.json.tools !== undefined || req.json.stop !== undefined ? 'tools and stop are not Perplexity parameters' : undefined),
    badRequest: (message) => perplexityError(400, message, 'bad_request'),
    refuse: {
      json: perplexityError(400, "response_format.type must be 'json_schema' or 'regex'", 'invalid_parameter'),
    },
    errors: {
      'error-401': {
        status: 401,
        text: '<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n',
      },
      'error-429': perplexityError(429, 'Rate limit exceeded for sonar-pro. Please retry later.', 'rate_limit_exceeded', { 'retry-after': '7' }),
      'error-context': perplexityError(400, "This model's maximum context length is 127072 tokens. However, you requested 140000 tokens.", 'invalid_request_error'),
      'error-500': perplexityError(500, 'Internal server error', 'internal_server_error'),
      'error-overloaded': perplexityError(503, 'Service temporarily unavailable, the model is overloaded', 'service_unavailable'),
    },
    extraFields: SEARCH,
    streamUsage: 'finish-chunk',
  });
  return {
    provider: 'perplexity',
    litellmParams: { model: 'perplexity/sonar-pro', api_base: server.url, api_key: KEY },
    unsupported: { 'tool-call': '400', 'parallel-tools': '400', 'tool-result': '400', 'stream-tool': '400', stop: '400', json: '400' },
    close: server.close,
  };
}
