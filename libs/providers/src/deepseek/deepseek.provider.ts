import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';

/**
 * DeepSeek (api-docs.deepseek.com): OpenAI-compatible at `https://api.deepseek.com/v1`. Text only (the API
 * answers 400 to image parts). `reasoning_content` of deepseek-reasoner responses and stream deltas passes
 * through unchanged.
 */
export const deepSeekProvider = new OpenAICompatibleProvider({
  name: 'deepseek',
  defaultApiBase: 'https://api.deepseek.com/v1',
  apiKeyEnv: ['DEEPSEEK_API_KEY'],
  apiBaseEnv: ['DEEPSEEK_API_BASE'],
  renameParams: { max_completion_tokens: 'max_tokens' },
  capabilities: {
    chatParams: new Set([
      'frequency_penalty',
      'logprobs',
      'max_completion_tokens',
      'max_tokens',
      'presence_penalty',
      'response_format',
      'stop',
      'stream_options',
      'temperature',
      'tool_choice',
      'tools',
      'top_logprobs',
      'top_p',
    ]),
    features: { systemPrompt: true, vision: false, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
    credentials: '`api_key` or `DEEPSEEK_API_KEY`; optional `api_base` / `DEEPSEEK_API_BASE`',
    modelFormat: '`deepseek/<model>` (e.g. `deepseek/deepseek-chat`, `deepseek/deepseek-reasoner`)',
  },
});
