import { OpenAICompatibleProvider } from '../openai-compatible/openai-compatible.provider';
import type { CallContext, ChatCompletionRequest, ChatCompletionResult, ChatCompletionStream, Deployment } from '../provider.types';
import { fireworksModelId } from './fireworks-model';

/**
 * Fireworks AI (docs.fireworks.ai/api-reference/post-chatcompletions): OpenAI-compatible at
 * `https://api.fireworks.ai/inference/v1`, with full model ids (see fireworksModelId).
 */
export class FireworksAIProvider extends OpenAICompatibleProvider {
  private readonly prepared = new WeakMap<Deployment, Deployment>();

  constructor() {
    super({
      name: 'fireworks_ai',
      defaultApiBase: 'https://api.fireworks.ai/inference/v1',
      apiKeyEnv: ['FIREWORKS_AI_API_KEY', 'FIREWORKS_API_KEY', 'FIREWORKSAI_API_KEY'],
      apiBaseEnv: ['FIREWORKS_AI_API_BASE', 'FIREWORKS_API_BASE'],
      renameParams: { max_completion_tokens: 'max_tokens' },
      capabilities: {
        chatParams: new Set([
          'frequency_penalty',
          'logprobs',
          'max_completion_tokens',
          'max_tokens',
          'n',
          'presence_penalty',
          'reasoning_effort',
          'response_format',
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
        credentials: '`api_key` or `FIREWORKS_AI_API_KEY` / `FIREWORKS_API_KEY`; optional `api_base` / `FIREWORKS_AI_API_BASE`',
        modelFormat: '`fireworks_ai/<model>` (short for `accounts/fireworks/models/<model>`) or `fireworks_ai/accounts/<account>/models/<model>`',
      },
    });
  }

  override chatCompletion(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
    return super.chatCompletion(this.withModelId(deployment), request, context);
  }

  override chatCompletionStream(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
    return super.chatCompletionStream(this.withModelId(deployment), request, context);
  }

  private withModelId(deployment: Deployment): Deployment {
    let prepared = this.prepared.get(deployment);
    if (!prepared) {
      const model = fireworksModelId(deployment.upstreamModel);
      prepared = model === deployment.upstreamModel ? deployment : Object.assign({}, deployment, { upstreamModel: model });
      this.prepared.set(deployment, prepared);
    }
    return prepared;
  }
}

export const fireworksAIProvider = new FireworksAIProvider();
