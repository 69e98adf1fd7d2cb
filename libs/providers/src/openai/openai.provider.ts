import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';
import { ALL_OPENAI_CHAT_PARAMS, OPENAI_EMBEDDING_PARAMS } from '../shared/openai-params';

/** OpenAI itself, and any server speaking its API when given an `api_base` (vLLM, LM Studio, proxies, ...). */
export const openAIProvider = new OpenAICompatibleProvider({
  name: 'openai',
  defaultApiBase: 'https://api.openai.com/v1',
  apiKeyEnv: ['OPENAI_API_KEY'],
  apiBaseEnv: ['OPENAI_BASE_URL', 'OPENAI_API_BASE'],
  capabilities: {
    chatParams: ALL_OPENAI_CHAT_PARAMS,
    embeddingParams: new Set(OPENAI_EMBEDDING_PARAMS),
    features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
    credentials: '`api_key` or `OPENAI_API_KEY`; `api_base` or `OPENAI_BASE_URL` / `OPENAI_API_BASE`',
    modelFormat: '`openai/<model>` (a bare model name means OpenAI)',
  },
});
