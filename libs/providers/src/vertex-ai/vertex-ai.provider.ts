import type { LitellmParams } from '@tollgate/config';
import type {
  CallContext,
  ChatCompletionRequest,
  ChatCompletionResult,
  ChatCompletionStream,
  Deployment,
  EmbeddingRequest,
  EmbeddingResult,
  ProviderAdapter,
  ProviderCapabilities,
} from '../provider.types';
import { anthropicProvider } from '../anthropic';
import { Deadline } from '../shared/deadline';
import { extraHeaders, providerDefaults } from '../shared/deployment-params';
import { displayUrl } from '../shared/safe-url';
import { readJsonBody } from '../shared/upstream-http';
import { geminiChat, geminiChatStream, type GeminiTarget } from '../google-common/gemini-call';
import { GEMINI_CHAT_PARAMS } from '../google-common/request-translator';
import { sendGoogleUpstream } from '../google-common/google-errors';
import { claudeChat, claudeChatStream, type ClaudeTarget } from './vertex-claude';
import { vertexAccessToken } from './vertex-auth';
import { fromPredictResponse, toPredictRequest } from './vertex-embeddings';
import { refuseUnsupportedParams } from './vertex-model-params';
import { vertexCredentials, vertexHost, vertexLocation, vertexModelUrl, vertexSettings, type VertexSettings } from './vertex-settings';

/** Claude models are served in Anthropic's format; everything else is Gemini's. */
const isClaude = (model: string) => model.startsWith('claude');

/**
 * Vertex AI (`vertex_ai/<model>`): Gemini models through `generateContent` / `streamGenerateContent?alt=sse`,
 * Claude models through `rawPredict` / `streamRawPredict` in Anthropic's format, embeddings through
 * `predict`, all under `projects/{project}/locations/{location}/publishers/{google|anthropic}/models/{model}`
 * with a Google OAuth access token (service account or Application Default Credentials).
 */
export class VertexAIProvider implements ProviderAdapter {
  readonly name = 'vertex_ai';
  readonly capabilities: ProviderCapabilities = {
    // The union of what Gemini and Claude honour; a parameter only the other family has is refused per model.
    chatParams: new Set([...GEMINI_CHAT_PARAMS, ...anthropicProvider.capabilities.chatParams]),
    embeddingParams: new Set(['dimensions', 'encoding_format']),
    features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
    credentials:
      '`vertex_credentials` (service-account JSON or file path) or `GOOGLE_APPLICATION_CREDENTIALS`, else Application Default Credentials; ' +
      '`vertex_project` / `VERTEXAI_PROJECT`, `vertex_location` / `VERTEXAI_LOCATION` (default us-central1)',
    modelFormat: '`vertex_ai/<model>` (Gemini, e.g. `vertex_ai/gemini-2.5-pro`; Claude, e.g. `vertex_ai/claude-sonnet-4-5@20250929`)',
  };

  validate(params: LitellmParams): Array<{ path: string; message: string }> {
    const problems: Array<{ path: string; message: string }> = [];
    if (typeof params.api_base === 'string' && !displayUrl(params.api_base)) problems.push({ path: 'api_base', message: 'expected an http(s) URL' });
    try {
      vertexCredentials(params);
    } catch (err) {
      problems.push({ path: 'vertex_credentials', message: (err as Error).message });
    }
    return problems;
  }

  displayApiBase(params: LitellmParams): string | undefined {
    return displayUrl(vertexHost(params, vertexLocation(params)));
  }

  async chatCompletion(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
    const model = modelName(deployment);
    if (isClaude(model)) {
      refuseUnsupportedParams(deployment, request, anthropicProvider.capabilities.chatParams, 'Claude models');
      return claudeChat(deployment, this.claudeTarget(deployment, model), request, context);
    }
    refuseUnsupportedParams(deployment, request, GEMINI_CHAT_PARAMS, 'Gemini models');
    return geminiChat(deployment, this.geminiTarget(deployment, model), request, context);
  }

  async chatCompletionStream(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
    const model = modelName(deployment);
    if (isClaude(model)) {
      refuseUnsupportedParams(deployment, request, anthropicProvider.capabilities.chatParams, 'Claude models');
      return claudeChatStream(deployment, this.claudeTarget(deployment, model), request, context);
    }
    refuseUnsupportedParams(deployment, request, GEMINI_CHAT_PARAMS, 'Gemini models');
    return geminiChatStream(deployment, this.geminiTarget(deployment, model), request, context);
  }

  async embeddings(deployment: Deployment, request: EmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    const model = modelName(deployment);
    const settings = vertexSettings(deployment);
    const native = toPredictRequest(request, providerDefaults(deployment.params));
    const deadline = new Deadline(context.signal);
    const what = { action: 'respond', ms: deployment.timeoutMs };
    deadline.arm(deployment.timeoutMs);
    try {
      const headers = await this.headers(deployment, settings, deadline, 'application/json', what);
      const upstream = { url: vertexModelUrl(deployment.params, settings, 'google', model, 'predict'), headers, body: JSON.stringify(native) };
      const response = await sendGoogleUpstream(deployment, upstream, deadline, what);
      const { json } = await readJsonBody<Parameters<typeof fromPredictResponse>[0]>(deployment, response, deadline, what);
      const { body, usage } = fromPredictResponse(json, native.instances.length, model, request.encoding_format);
      return { body, usage, status: response.statusCode };
    } finally {
      deadline.dispose();
    }
  }

  private geminiTarget(deployment: Deployment, model: string): GeminiTarget {
    const settings = vertexSettings(deployment);
    return {
      generateUrl: vertexModelUrl(deployment.params, settings, 'google', model, 'generateContent'),
      streamUrl: vertexModelUrl(deployment.params, settings, 'google', model, 'streamGenerateContent', 'alt=sse'),
      headers: (deadline) => this.headers(deployment, settings, deadline, 'application/json', { action: 'authenticate', ms: deployment.timeoutMs }),
      model,
      defaults: providerDefaults(deployment.params),
    };
  }

  private claudeTarget(deployment: Deployment, model: string): ClaudeTarget {
    const settings = vertexSettings(deployment);
    return {
      rawPredictUrl: vertexModelUrl(deployment.params, settings, 'anthropic', model, 'rawPredict'),
      streamRawPredictUrl: vertexModelUrl(deployment.params, settings, 'anthropic', model, 'streamRawPredict'),
      headers: (deadline, accept) => this.headers(deployment, settings, deadline, accept, { action: 'authenticate', ms: deployment.timeoutMs }),
      model,
      defaults: providerDefaults(deployment.params),
    };
  }

  private async headers(deployment: Deployment, settings: VertexSettings, deadline: Deadline, accept: string, what: { action: string; ms: number }): Promise<Record<string, string>> {
    const token = await vertexAccessToken(deployment, settings.credentials, deadline, what);
    return { 'content-type': 'application/json', accept, ...extraHeaders(deployment.params), authorization: `Bearer ${token}` };
  }
}

/** The model id, without the `gemini/` family prefix LiteLLM configurations may carry (`vertex_ai/gemini/<model>`). */
function modelName(deployment: Deployment): string {
  return deployment.upstreamModel.replace(/^gemini\//, '');
}

export const vertexAIProvider = new VertexAIProvider();
