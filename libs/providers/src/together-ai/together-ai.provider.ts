import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';
import { readTogetherError } from './together-ai-errors';

/**
 * Together AI (docs.together.ai/reference/chat-completions): OpenAI-compatible at `https://api.together.xyz/v1`,
 * chat and embeddings. Together's `logprobs` is a count, not OpenAI's boolean, so OpenAI's `logprobs` /
 * `top_logprobs` are not declared (Together's own spelling passes through as a provider parameter).
 */
export const togetherAIProvider = new OpenAICompatibleProvider({
  name: 'together_ai',
  defaultApiBase: 'https://api.together.xyz/v1',
  apiKeyEnv: ['TOGETHERAI_API_KEY', 'TOGETHER_API_KEY', 'TOGETHER_AI_API_KEY'],
  apiBaseEnv: ['TOGETHER_AI_API_BASE', 'TOGETHERAI_API_BASE'],
  renameParams: { max_completion_tokens: 'max_tokens' },
  readErrorBody: readTogetherError,
  capabilities: {
    chatParams: new Set([
      'frequency_penalty',
      'logit_bias',
      'max_completion_tokens',
      'max_tokens',
      'n',
      'presence_penalty',
      'reasoning_effort',
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
    credentials: '`api_key` or `TOGETHERAI_API_KEY` / `TOGETHER_API_KEY`; optional `api_base` / `TOGETHER_AI_API_BASE`',
    modelFormat: '`together_ai/<org>/<model>`',
  },
});
