import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';

/**
 * Groq (console.groq.com/docs/openai): OpenAI-compatible at `https://api.groq.com/openai/v1`. Groq answers 400
 * to `logprobs`, `logit_bias`, `top_logprobs` and to `n` other than 1, so those are not declared; the final
 * stream chunk's `x_groq` block passes through.
 */
export const groqProvider = new OpenAICompatibleProvider({
  name: 'groq',
  defaultApiBase: 'https://api.groq.com/openai/v1',
  apiKeyEnv: ['GROQ_API_KEY'],
  apiBaseEnv: ['GROQ_API_BASE'],
  capabilities: {
    chatParams: new Set([
      'frequency_penalty',
      'function_call',
      'functions',
      'max_completion_tokens',
      'max_tokens',
      'parallel_tool_calls',
      'presence_penalty',
      'reasoning_effort',
      'response_format',
      'seed',
      'service_tier',
      'stop',
      'stream_options',
      'temperature',
      'tool_choice',
      'tools',
      'top_p',
      'user',
    ]),
    features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
    credentials: '`api_key` or `GROQ_API_KEY`; optional `api_base` / `GROQ_API_BASE`',
    modelFormat: '`groq/<model>`',
  },
});
