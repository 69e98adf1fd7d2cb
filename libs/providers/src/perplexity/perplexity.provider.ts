import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';

/**
 * Perplexity (docs.perplexity.ai, Sonar chat completions): OpenAI-compatible at `https://api.perplexity.ai`
 * with web search built in. No function calling and no stop sequences, so `tools` and `stop` are not declared;
 * `response_format` takes `json_schema` (and `regex`), not `json_object`. The `citations` and
 * `search_results` of responses and stream chunks pass through unchanged.
 */
export const perplexityProvider = new OpenAICompatibleProvider({
  name: 'perplexity',
  defaultApiBase: 'https://api.perplexity.ai',
  apiKeyEnv: ['PERPLEXITYAI_API_KEY', 'PERPLEXITY_API_KEY'],
  apiBaseEnv: ['PERPLEXITY_API_BASE'],
  renameParams: { max_completion_tokens: 'max_tokens' },
  capabilities: {
    chatParams: new Set([
      'frequency_penalty',
      'max_completion_tokens',
      'max_tokens',
      'presence_penalty',
      'reasoning_effort',
      'response_format',
      'stream_options',
      'temperature',
      'top_p',
      'web_search_options',
    ]),
    features: { systemPrompt: true, vision: true, tools: false, parallelToolCalls: false, jsonOutput: true, streaming: true, streamUsage: true },
    credentials: '`api_key` or `PERPLEXITYAI_API_KEY` / `PERPLEXITY_API_KEY`',
    modelFormat: '`perplexity/<model>` (e.g. `perplexity/sonar-pro`)',
  },
});
