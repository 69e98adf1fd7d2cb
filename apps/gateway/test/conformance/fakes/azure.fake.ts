import type { ConformanceFake } from '../conformance-contract';
import { headerEquals, openAIError, startOpenAIWireFake, type NativeReply } from '../openai-wire-fake';

/**
 * Azure OpenAI (learn.microsoft.com/azure/ai-foundry/openai/reference): OpenAI's wire format on
 * `/openai/deployments/{deployment}/...?api-version=`, the key in an `api-key` header, Azure's own error bodies
 * (`{"error":{"code","message"}}`) and content-filter annotations on responses. The content-filter error
 * mapping is covered by libs/providers/src/azure/azure-errors.spec.ts.
 */
const KEY = 'azure-conformance-key';
const API_VERSION = '2024-10-21';

const azureError = (status: number, code: string, message: string, headers: Record<string, string> = {}): NativeReply => ({ status, body: { error: { code, message } }, headers });
const SAFE = { filtered: false, severity: 'safe' };
const FILTER_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
const PROMPT_FILTER_CHUNK = { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTER_RESULTS }] };

export async function startFake(): Promise<ConformanceFake> {
  const server = await startOpenAIWireFake({
    chatPath: '/openai/deployments/conf-chat/chat/completions',
    embeddingsPath: '/openai/deployments/conf-embed/embeddings',
    authorized: (req) => headerEquals('api-key', KEY)(req) && req.headers.authorization === undefined,
    check: (req) => (req.query.get('api-version') === API_VERSION ? undefined : `api-version must be ${API_VERSION}, got ${req.query.get('api-version')}`),
    errors: {
      'error-401': azureError(401, '401', 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.'),
      'error-429': azureError(429, '429', `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${API_VERSION} have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 7 seconds.`, { 'retry-after': '7' }),
      'error-context': openAIError(400, "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.", 'invalid_request_error', 'context_length_exceeded'),
      'error-500': openAIError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error'),
      'error-overloaded': azureError(503, 'ServiceUnavailable', 'The service is temporarily unable to process your request. Please try again later.'),
    },
    choiceFields: { content_filter_results: FILTER_RESULTS },
    streamPreamble: `data: ${JSON.stringify(PROMPT_FILTER_CHUNK)}\n\n`,
  });
  const base = { api_base: server.url, api_key: KEY, api_version: API_VERSION };
  return {
    provider: 'azure',
    litellmParams: { model: 'azure/conf-chat', ...base },
    embeddingParams: { model: 'azure/conf-embed', ...base },
    close: server.close,
  };
}
