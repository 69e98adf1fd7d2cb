import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';

/**
 * LM Studio's local server (lmstudio.ai/docs, OpenAI compatibility endpoints): `http://localhost:1234/v1` by
 * default, no key unless the server was set to require one. Chat and embeddings.
 */
export const lmStudioProvider = new OpenAICompatibleProvider({
  name: 'lm_studio',
  defaultApiBase: 'http://localhost:1234/v1',
  apiKeyEnv: ['LM_STUDIO_API_KEY'],
  apiBaseEnv: ['LM_STUDIO_API_BASE'],
  renameParams: { max_completion_tokens: 'max_tokens' },
  capabilities: {
    chatParams: new Set([
      'frequency_penalty',
      'logit_bias',
      'max_completion_tokens',
      'max_tokens',
      'presence_penalty',
      'response_format',
      'seed',
      'stop',
      'stream_options',
      'temperature',
      'tool_choice',
      'tools',
      'top_p',
    ]),
    embeddingParams: new Set(['encoding_format']),
    features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
    credentials: 'optional `api_base` / `LM_STUDIO_API_BASE` (default `http://localhost:1234/v1`); optional `api_key` / `LM_STUDIO_API_KEY`',
    modelFormat: '`lm_studio/<model>`',
  },
});
