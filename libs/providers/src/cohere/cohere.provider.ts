import type { LitellmParams } from '@tollgate/config';
import { GatewayError } from '@tollgate/common';
import { setting } from '../shared/credentials';
import { perDeployment } from '../shared/per-deployment';
import { extraHeaders, providerDefaults, overDefaults } from '../shared/deployment-params';
import { OPENAI_EMBEDDING_PARAMS } from '../shared/openai-params';
import { displayUrl } from '../shared/safe-url';
import { callJson, openStream } from '../shared/upstream-http';
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
import type { CohereChatResponse, CohereEmbedResponse } from './cohere.types';
import { relayCohereStream } from './cohere-stream';
import { fromCohereEmbedResponse, toCohereEmbedRequest } from './embeddings-translator';
import { COHERE_CHAT_PARAMS, toCohereChatRequest } from './request-translator';
import { fromCohereChatResponse } from './response-translator';
import { underApiBase } from '../shared/api-base-url';

interface Prepared {
  headers: Record<string, string>;
  streamHeaders: Record<string, string>;
  chatUrl: string;
  embedUrl: string;
  defaults: Record<string, unknown> | undefined;
}

const DEFAULT_API_BASE = 'https://api.cohere.com';
const API_KEY_ENV = ['COHERE_API_KEY', 'CO_API_KEY'];
const API_BASE_ENV = ['COHERE_API_BASE'];

/**
 * Cohere's v2 API (docs.cohere.com/reference/chat): `POST /v2/chat` (JSON, or SSE events when streaming) and
 * `POST /v2/embed`, with `Authorization: Bearer <key>`. Served under `cohere/` and LiteLLM's `cohere_chat/`.
 */
export class CohereProvider implements ProviderAdapter {
  readonly capabilities: ProviderCapabilities;

  constructor(readonly name: 'cohere' | 'cohere_chat') {
    this.capabilities = {
      chatParams: COHERE_CHAT_PARAMS,
      embeddingParams: new Set(OPENAI_EMBEDDING_PARAMS),
      features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
      credentials: '`api_key` or `COHERE_API_KEY` / `CO_API_KEY`; `api_base` or `COHERE_API_BASE` (default https://api.cohere.com)',
      modelFormat: name === 'cohere' ? '`cohere/<model>` (v2 chat and embed)' : '`cohere_chat/<model>` (same as `cohere/`)',
    };
  }

  validate(params: LitellmParams): Array<{ path: string; message: string }> {
    return displayUrl(this.apiBase(params)) ? [] : [{ path: 'api_base', message: 'expected an http(s) URL' }];
  }

  displayApiBase(params: LitellmParams): string | undefined {
    return displayUrl(this.apiBase(params));
  }

  private apiBase(params: LitellmParams): string {
    return setting(params, 'api_base', API_BASE_ENV) ?? DEFAULT_API_BASE;
  }

  /** URLs, headers and defaults, computed once per deployment. */
  private readonly prepared = perDeployment((params): Prepared => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...extraHeaders(params) };
    const key = setting(params, 'api_key', API_KEY_ENV);
    if (key) headers.authorization = `Bearer ${key}`;
    return {
      headers,
      streamHeaders: Object.assign({}, headers, { accept: 'text/event-stream' }),
      chatUrl: this.url(params, 'chat'),
      embedUrl: this.url(params, 'embed'),
      defaults: providerDefaults(params),
    };
  });

  /** `<api_base>/v2/<operation>`, accepting an api_base that already ends in `/v2` or in the full path. */
  private url(params: LitellmParams, operation: 'chat' | 'embed'): string {
    return underApiBase(this.apiBase(params), (base) => {
      if (base.endsWith(`/v2/${operation}`)) return base;
      return base.endsWith('/v2') ? `${base}/${operation}` : `${base}/v2/${operation}`;
    });
  }

  async chatCompletion(deployment: Deployment, req: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
    const p = this.prepared(deployment.params);
    const body = toCohereChatRequest(overDefaults(p.defaults, req), deployment.upstreamModel, false);
    const { json, status } = await cohereErrors(callJson<CohereChatResponse>(deployment, { url: p.chatUrl, headers: p.headers, body: JSON.stringify(body) }, context.signal));
    const { body: out, usage } = fromCohereChatResponse(json, deployment.upstreamModel);
    return { body: out, usage, status };
  }

  async chatCompletionStream(deployment: Deployment, req: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
    const p = this.prepared(deployment.params);
    const body = toCohereChatRequest(overDefaults(p.defaults, req), deployment.upstreamModel, true);
    const { response, deadline } = await cohereErrors(openStream(deployment, { url: p.chatUrl, headers: p.streamHeaders, body: JSON.stringify(body) }, context.signal));
    return relayCohereStream(response, deployment, deadline, req.stream_options?.include_usage === true);
  }

  async embeddings(deployment: Deployment, req: EmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    const p = this.prepared(deployment.params);
    const body = toCohereEmbedRequest(overDefaults(p.defaults, req), deployment.upstreamModel);
    const { json, status } = await cohereErrors(callJson<CohereEmbedResponse>(deployment, { url: p.embedUrl, headers: p.headers, body: JSON.stringify(body) }, context.signal));
    const { body: out, usage } = fromCohereEmbedResponse(json, deployment.upstreamModel, req.encoding_format);
    return { body: out, usage, status };
  }
}

/** Cohere's 498 "invalid token" is an authentication failure in OpenAI's terms. */
async function cohereErrors<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof GatewayError && err.status === 498) {
      throw new GatewayError(401, 'authentication_error', err.message, Object.assign({}, err.options, { code: err.options.code ?? 'invalid_api_key' }));
    }
    throw err;
  }
}

export const cohereProvider = new CohereProvider('cohere');
export const cohereChatProvider = new CohereProvider('cohere_chat');
