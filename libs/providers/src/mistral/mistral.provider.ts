import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';
import { readMistralError } from './mistral-errors';
import { MISTRAL_RENAMES, toMistralRequest } from './mistral-request';

/**
 * Mistral's chat-completions and embeddings API (docs.mistral.ai/api): OpenAI's wire format with a strict
 * schema. Unknown fields are refused, so requests are translated (toMistralRequest) and OpenAI parameter names
 * Mistral spells differently are renamed (`seed` -> `random_seed`, `max_completion_tokens` -> `max_tokens`,
 * `dimensions` -> `output_dimension`). Streams carry usage in their last chunk without being asked.
 */
export class MistralProvider extends OpenAICompatibleProvider {
  constructor() {
    super({
      name: 'mistral',
      defaultApiBase: 'https://api.mistral.ai/v1',
      apiKeyEnv: ['MISTRAL_API_KEY'],
      apiBaseEnv: ['MISTRAL_API_BASE'],
      renameParams: MISTRAL_RENAMES,
      readErrorBody: readMistralError,
      adaptChatRequest: toMistralRequest,
      // Mistral refuses `stream_options` but reports usage in the last chunk of every stream.
      acceptsStreamOptions: false,
      capabilities: {
        chatParams: new Set([
          'frequency_penalty',
          'max_completion_tokens',
          'max_tokens',
          'n',
          'parallel_tool_calls',
          'prediction',
          'presence_penalty',
          'response_format',
          'seed',
          'stop',
          // Honoured by the gateway (usage chunk for the caller); Mistral itself refuses the field.
          'stream_options',
          'temperature',
          'tool_choice',
          'tools',
          'top_p',
        ]),
        embeddingParams: new Set(['dimensions', 'encoding_format']),
        features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
        credentials: '`api_key` or `MISTRAL_API_KEY`; optional `api_base` / `MISTRAL_API_BASE`',
        modelFormat: '`mistral/<model>`',
      },
    });
  }
}

export const mistralProvider = new MistralProvider();
