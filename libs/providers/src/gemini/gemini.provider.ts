import type { LitellmParams } from '@tollgate/config';
import { GatewayError, unauthorized } from '@tollgate/common';
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
import { setting } from '../shared/credentials';
import { Deadline } from '../shared/deadline';
import { extraHeaders, providerDefaults } from '../shared/deployment-params';
import { displayUrl } from '../shared/safe-url';
import { readJsonBody } from '../shared/upstream-http';
import { geminiChat, geminiChatStream, type GeminiTarget } from '../google-common/gemini-call';
import { GEMINI_CHAT_PARAMS } from '../google-common/request-translator';
import { sendGoogleUpstream } from '../google-common/google-errors';
import { embeddingTexts } from '../google-common/embedding-io';
import { fromBatchEmbedResponse, toBatchEmbedRequest } from './gemini-embeddings';
import { geminiMethodUrl } from './gemini-url';

const DEFAULT_API_BASE = 'https://generativelanguage.googleapis.com';
const API_KEY_ENV = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'];
const API_BASE_ENV = ['GEMINI_API_BASE'];

/**
 * Google AI Studio's Gemini API (`gemini/<model>`): `models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse` and `:batchEmbedContents` under `{api_base}/v1beta`, with the key in the
 * `x-goog-api-key` header.
 */
export class GeminiProvider implements ProviderAdapter {
  readonly name = 'gemini';
  readonly capabilities: ProviderCapabilities = {
    chatParams: GEMINI_CHAT_PARAMS,
    embeddingParams: new Set(['dimensions', 'encoding_format']),
    features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
    credentials: '`api_key` or `GEMINI_API_KEY` / `GOOGLE_API_KEY`; `api_base` or `GEMINI_API_BASE` (default Google AI Studio)',
    modelFormat: '`gemini/<model>` (e.g. `gemini/gemini-2.5-flash`)',
  };

  validate(params: LitellmParams): Array<{ path: string; message: string }> {
    const base = setting(params, 'api_base', API_BASE_ENV);
    if (base !== undefined && !displayUrl(base)) return [{ path: 'api_base', message: 'expected an http(s) URL' }];
    return [];
  }

  displayApiBase(params: LitellmParams): string | undefined {
    return displayUrl(setting(params, 'api_base', API_BASE_ENV) ?? DEFAULT_API_BASE);
  }

  async chatCompletion(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
    return geminiChat(deployment, this.target(deployment), request, context);
  }

  async chatCompletionStream(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
    return geminiChatStream(deployment, this.target(deployment), request, context);
  }

  async embeddings(deployment: Deployment, request: EmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    const model = modelName(deployment);
    const native = toBatchEmbedRequest(request, providerDefaults(deployment.params), model);
    const texts = embeddingTexts(request, this.name);
    const deadline = new Deadline(context.signal);
    const what = { action: 'respond', ms: deployment.timeoutMs };
    deadline.arm(deployment.timeoutMs);
    try {
      const upstream = { url: this.url(deployment, model, 'batchEmbedContents'), headers: this.headers(deployment), body: JSON.stringify(native) };
      const response = await sendGoogleUpstream(deployment, upstream, deadline, what);
      const { json } = await readJsonBody<Parameters<typeof fromBatchEmbedResponse>[0]>(deployment, response, deadline, what);
      const { body, usage } = fromBatchEmbedResponse(json, texts, model, request.encoding_format);
      return { body, usage, status: response.statusCode };
    } finally {
      deadline.dispose();
    }
  }

  private target(deployment: Deployment): GeminiTarget {
    const model = modelName(deployment);
    const headers = this.headers(deployment);
    return {
      generateUrl: this.url(deployment, model, 'generateContent'),
      streamUrl: this.url(deployment, model, 'streamGenerateContent', 'alt=sse'),
      headers: async () => headers,
      model,
      defaults: providerDefaults(deployment.params),
    };
  }

  private url(deployment: Deployment, model: string, method: string, query?: string): string {
    const base = setting(deployment.params, 'api_base', API_BASE_ENV) ?? DEFAULT_API_BASE;
    return geminiMethodUrl(base, setting(deployment.params, 'api_version'), model, method, query);
  }

  private headers(deployment: Deployment): Record<string, string> {
    const key = setting(deployment.params, 'api_key', API_KEY_ENV);
    if (!key) throw missingKey(deployment);
    return { 'content-type': 'application/json', accept: 'application/json', ...extraHeaders(deployment.params), 'x-goog-api-key': key };
  }
}

/** The upstream model without a `models/` prefix some configurations carry over from Google's resource names. */
function modelName(deployment: Deployment): string {
  return deployment.upstreamModel.replace(/^models\//, '');
}

function missingKey(deployment: Deployment): GatewayError {
  return unauthorized(`Deployment "${deployment.modelName}" (id ${deployment.id}) has no Gemini API key: set api_key in litellm_params, or GEMINI_API_KEY.`);
}

export const geminiProvider = new GeminiProvider();
