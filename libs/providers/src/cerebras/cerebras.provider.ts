import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';

/**
 * Cerebras Inference (inference-docs.cerebras.ai): OpenAI-compatible at `https://api.cerebras.ai/v1`. Cerebras
 * answers 400 to `frequency_penalty`, `presence_penalty`, `logit_bias`, `parallel_tool_calls` and
 * `service_tier`, so those are not declared. Text input only.
 */
export const cerebrasProvider = new OpenAICompatibleProvider({
  name: 'cerebras',
  defaultApiBase: 'https://api.cerebras.ai/v1',
  apiKeyEnv: ['CEREBRAS_API_KEY'],
  apiBaseEnv: ['CEREBRAS_API_BASE'],
  capabilities: {
    chatParams: new Set([
      'logprobs',
      'max_completion_tokens',
      'max_tokens',
      'reasoning_effort',
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
    features: { systemPrompt: true, vision: false, tools: true, parallelToolCalls: false, jsonOutput: true, streaming: true, streamUsage: true },
    credentials: '`api_key` or `CEREBRAS_API_KEY`; optional `api_base` / `CEREBRAS_API_BASE`',
    modelFormat: '`cerebras/<model>`',
  },
});
