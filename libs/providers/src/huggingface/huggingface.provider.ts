import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';
import { readHuggingFaceError } from './huggingface-errors';
import { huggingFaceChatUrl } from './huggingface-url';

/**
 * Hugging Face: the Inference Providers router (OpenAI-compatible, default) or a Text Generation Inference /
 * Inference Endpoint given as `api_base`, through TGI's Messages API (`/v1/chat/completions`). Chat only.
 */
export const huggingFaceProvider = new OpenAICompatibleProvider({
  name: 'huggingface',
  defaultApiBase: 'https://router.huggingface.co/v1',
  apiKeyEnv: ['HF_TOKEN', 'HUGGINGFACE_API_KEY', 'HF_API_KEY'],
  apiBaseEnv: ['HF_API_BASE', 'HUGGINGFACE_API_BASE'],
  url: (apiBase) => huggingFaceChatUrl(apiBase),
  renameParams: { max_completion_tokens: 'max_tokens' },
  readErrorBody: readHuggingFaceError,
  capabilities: {
    chatParams: new Set([
      'frequency_penalty',
      'logit_bias',
      'logprobs',
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
      'top_logprobs',
      'top_p',
    ]),
    features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
    credentials: '`api_key` or `HF_TOKEN` / `HUGGINGFACE_API_KEY`; optional `api_base` / `HF_API_BASE` (a TGI or Inference Endpoint URL; default the router)',
    modelFormat: '`huggingface/<org>/<model>` (router: optionally `<org>/<model>:<provider>`)',
  },
});
