import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';
import { readNvidiaNimError } from './nvidia-nim-errors';

/**
 * NVIDIA NIM (docs.api.nvidia.com/nim/reference): OpenAI-compatible at `https://integrate.api.nvidia.com/v1`
 * (or a self-hosted NIM's `api_base`), chat and embeddings. Embedding models' `input_type` / `truncate` pass
 * through as provider parameters.
 */
export const nvidiaNimProvider = new OpenAICompatibleProvider({
  name: 'nvidia_nim',
  defaultApiBase: 'https://integrate.api.nvidia.com/v1',
  apiKeyEnv: ['NVIDIA_NIM_API_KEY'],
  apiBaseEnv: ['NVIDIA_NIM_API_BASE'],
  renameParams: { max_completion_tokens: 'max_tokens' },
  readErrorBody: readNvidiaNimError,
  capabilities: {
    chatParams: new Set([
      'frequency_penalty',
      'logprobs',
      'max_completion_tokens',
      'max_tokens',
      'parallel_tool_calls',
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
    ]),
    embeddingParams: new Set(['dimensions', 'encoding_format', 'user']),
    features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
    credentials: '`api_key` or `NVIDIA_NIM_API_KEY`; optional `api_base` / `NVIDIA_NIM_API_BASE`',
    modelFormat: '`nvidia_nim/<org>/<model>`',
  },
});
