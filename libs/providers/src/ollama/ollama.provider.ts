import type { LitellmParams } from '@tollgate/config';
import { setting } from '../shared/credentials';
import { perDeployment } from '../shared/per-deployment';
import { extraHeaders, providerDefaults, overDefaults } from '../shared/deployment-params';
import { OPENAI_EMBEDDING_PARAMS } from '../shared/openai-params';
import { displayUrl } from '../shared/safe-url';
import { callJson, openStream, type UpstreamRequest } from '../shared/upstream-http';
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
import type { OllamaEmbedResponse, OllamaResponse } from './ollama.types';
import { fromOllamaEmbedResponse, toOllamaEmbedRequest } from './embeddings-translator';
import { relayOllamaStream } from './ollama-stream';
import { OLLAMA_CHAT_PARAMS, OLLAMA_GENERATE_PARAMS, toOllamaChatRequest, toOllamaGenerateRequest } from './request-translator';
import { fromOllamaResponse } from './response-translator';
import { underApiBase } from '../shared/api-base-url';

interface Prepared {
  base: string;
  headers: Record<string, string>;
  defaults: Record<string, unknown> | undefined;
}

const DEFAULT_API_BASE = 'http://localhost:11434';
const API_BASE_ENV = ['OLLAMA_API_BASE'];
const API_KEY_ENV = ['OLLAMA_API_KEY'];

/**
 * Ollama's native API (github.com/ollama/ollama/blob/main/docs/api.md). `ollama_chat/` talks to `/api/chat`
 * (messages, tools, images); `ollama/` to `/api/generate` (the conversation flattened into one prompt, as
 * LiteLLM does, and no tools). Both stream NDJSON and embed through `/api/embed`. Ollama has no auth of its
 * own; when an `api_key` is set (Ollama's cloud, or an auth proxy in front) it is sent as a Bearer token.
 */
export class OllamaProvider implements ProviderAdapter {
  readonly capabilities: ProviderCapabilities;
  private readonly endpoint: '/api/chat' | '/api/generate';

  constructor(readonly name: 'ollama' | 'ollama_chat') {
    const chat = name === 'ollama_chat';
    this.endpoint = chat ? '/api/chat' : '/api/generate';
    this.capabilities = {
      chatParams: chat ? OLLAMA_CHAT_PARAMS : OLLAMA_GENERATE_PARAMS,
      embeddingParams: new Set(OPENAI_EMBEDDING_PARAMS),
      features: { systemPrompt: true, vision: true, tools: chat, parallelToolCalls: chat, jsonOutput: true, streaming: true, streamUsage: true },
      credentials: '`api_base` or `OLLAMA_API_BASE` (default http://localhost:11434); optional `api_key` / `OLLAMA_API_KEY` sent as a Bearer token',
      modelFormat: chat ? '`ollama_chat/<model>` (`/api/chat`, recommended)' : '`ollama/<model>` (`/api/generate`, no tools)',
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

  /** The base URL, headers and defaults, computed once per deployment. */
  private readonly prepared = perDeployment((params): Prepared => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...extraHeaders(params) };
    const key = setting(params, 'api_key', API_KEY_ENV);
    if (key) headers.authorization = `Bearer ${key}`;
    return { base: this.apiBase(params), headers, defaults: providerDefaults(params) };
  });

  private request(deployment: Deployment, path: string, body: unknown): UpstreamRequest {
    const p = this.prepared(deployment.params);
    return { url: underApiBase(p.base, (root) => `${root}${path}`), headers: p.headers, body: JSON.stringify(body) };
  }

  private chatBody(deployment: Deployment, req: ChatCompletionRequest, stream: boolean) {
    const merged = overDefaults(this.prepared(deployment.params).defaults, req);
    return this.endpoint === '/api/chat'
      ? toOllamaChatRequest(merged, deployment.upstreamModel, stream)
      : toOllamaGenerateRequest(merged, deployment.upstreamModel, stream);
  }

  async chatCompletion(deployment: Deployment, req: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
    const body = this.chatBody(deployment, req, false);
    const { json, status } = await callJson<OllamaResponse>(deployment, this.request(deployment, this.endpoint, body), context.signal);
    const { body: out, usage } = fromOllamaResponse(json, deployment.upstreamModel);
    return { body: out, usage, status };
  }

  async chatCompletionStream(deployment: Deployment, req: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
    const body = this.chatBody(deployment, req, true);
    const { response, deadline } = await openStream(deployment, this.request(deployment, this.endpoint, body), context.signal);
    return relayOllamaStream(response, deployment, deadline, req.stream_options?.include_usage === true);
  }

  async embeddings(deployment: Deployment, req: EmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    const body = toOllamaEmbedRequest(overDefaults(this.prepared(deployment.params).defaults, req), deployment.upstreamModel);
    const { json, status } = await callJson<OllamaEmbedResponse>(deployment, this.request(deployment, '/api/embed', body), context.signal);
    const { body: out, usage } = fromOllamaEmbedResponse(json, deployment.upstreamModel, req.encoding_format);
    return { body: out, usage, status };
  }
}

export const ollamaProvider = new OllamaProvider('ollama');
export const ollamaChatProvider = new OllamaProvider('ollama_chat');
