import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';
import { OPENAI_CHAT_PARAMS, OPENAI_EMBEDDING_PARAMS } from '../shared/openai-params';

/** OpenAI features a vLLM server does not implement (it ignores or refuses these fields). */
const NOT_IN_VLLM = new Set(['audio', 'function_call', 'functions', 'metadata', 'modalities', 'prediction', 'service_tier', 'store', 'web_search_options']);

/**
 * A self-hosted vLLM OpenAI-compatible server (docs.vllm.ai, OpenAI-compatible server): `api_base` is
 * required (e.g. `http://vllm:8000/v1`); the key is optional (vLLM's `--api-key`). Chat and embeddings.
 */
export const hostedVllmProvider = new OpenAICompatibleProvider({
  name: 'hosted_vllm',
  apiKeyEnv: ['HOSTED_VLLM_API_KEY'],
  apiBaseEnv: ['HOSTED_VLLM_API_BASE'],
  capabilities: {
    chatParams: new Set(OPENAI_CHAT_PARAMS.filter((param) => !NOT_IN_VLLM.has(param))),
    embeddingParams: new Set(OPENAI_EMBEDDING_PARAMS),
    features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
    credentials: '`api_base` or `HOSTED_VLLM_API_BASE` (required); optional `api_key` / `HOSTED_VLLM_API_KEY`',
    modelFormat: '`hosted_vllm/<served model name>`',
  },
});
