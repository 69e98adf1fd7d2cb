import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';

/** OpenRouter's optional app attribution headers (openrouter.ai/docs/app-attribution), from LiteLLM's variables. */
export function openRouterHeaders(key: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (env.OR_SITE_URL) headers['http-referer'] = env.OR_SITE_URL;
  if (env.OR_APP_NAME) headers['x-title'] = env.OR_APP_NAME;
  return headers;
}

/**
 * OpenRouter (openrouter.ai/docs/api-reference): OpenAI-compatible at `https://openrouter.ai/api/v1`, routing
 * to many upstreams. Streams carry `: OPENROUTER PROCESSING` comment lines, relayed as they are. OpenRouter
 * has no `n`.
 */
export const openRouterProvider = new OpenAICompatibleProvider({
  name: 'openrouter',
  defaultApiBase: 'https://openrouter.ai/api/v1',
  apiKeyEnv: ['OPENROUTER_API_KEY', 'OR_API_KEY'],
  apiBaseEnv: ['OPENROUTER_API_BASE'],
  authHeaders: (key) => openRouterHeaders(key),
  renameParams: { max_completion_tokens: 'max_tokens' },
  capabilities: {
    chatParams: new Set([
      'frequency_penalty',
      'logit_bias',
      'logprobs',
      'max_completion_tokens',
      'max_tokens',
      'parallel_tool_calls',
      'prediction',
      'presence_penalty',
      'response_format',
      'seed',
      'stop',
      'stream_options',
      'temperature',
      'tool_choice',
      'tools',
      'top_logprobs',
      'top_p',
      'user',
    ]),
    features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
    credentials: '`api_key` or `OPENROUTER_API_KEY`; optional `api_base` / `OPENROUTER_API_BASE`; `OR_SITE_URL` / `OR_APP_NAME` for attribution',
    modelFormat: '`openrouter/<vendor>/<model>`',
  },
});
