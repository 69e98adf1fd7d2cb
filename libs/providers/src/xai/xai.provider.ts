import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';
import type { CallContext, ChatCompletionRequest, ChatCompletionResult, ChatCompletionStream, Deployment } from '../provider.types';
import { readXaiError, xaiAuthStatus } from './xai-errors';

/**
 * xAI (docs.x.ai/docs/api-reference): OpenAI-compatible at `https://api.x.ai/v1`, with its own error bodies
 * (readXaiError). Live search on chat completions is retired, so `web_search_options` is not declared.
 */
export class XaiProvider extends OpenAICompatibleProvider {
  constructor() {
    super({
      name: 'xai',
      defaultApiBase: 'https://api.x.ai/v1',
      apiKeyEnv: ['XAI_API_KEY'],
      apiBaseEnv: ['XAI_API_BASE'],
      readErrorBody: readXaiError,
      capabilities: {
        chatParams: new Set([
          'frequency_penalty',
          'logit_bias',
          'logprobs',
          'max_completion_tokens',
          'max_tokens',
          'n',
          'parallel_tool_calls',
          'presence_penalty',
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
        features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
        credentials: '`api_key` or `XAI_API_KEY`; optional `api_base` / `XAI_API_BASE`',
        modelFormat: '`xai/<model>` (e.g. `xai/grok-4`)',
      },
    });
  }

  override async chatCompletion(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
    try {
      return await super.chatCompletion(deployment, request, context);
    } catch (err) {
      throw xaiAuthStatus(err);
    }
  }

  override async chatCompletionStream(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
    try {
      return await super.chatCompletionStream(deployment, request, context);
    } catch (err) {
      throw xaiAuthStatus(err);
    }
  }
}

export const xaiProvider = new XaiProvider();
