import type { LitellmParams } from '@tollgate/config';
import { setting } from '../shared/credentials';
import { perDeployment } from '../shared/per-deployment';
import { extraHeaders, overDefaults, providerDefaults } from '../shared/deployment-params';
import { displayUrl } from '../shared/safe-url';
import { usageFromOpenAI } from '../shared/token-usage';
import { callJson, openStream, type ErrorBodyReader } from '../shared/upstream-http';
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
import { relayOpenAIStream } from './openai-stream-relay';
import { underApiBase } from '../shared/api-base-url';

/** How one OpenAI-compatible upstream differs from OpenAI itself. */
export interface OpenAICompatibleSpec {
  /** Model-string prefix, e.g. `groq`. */
  name: string;
  /** Base URL when the deployment sets no `api_base` (and no env var does); undefined makes `api_base` required. */
  defaultApiBase?: string;
  /** Environment variables holding the key, in order of preference. */
  apiKeyEnv: readonly string[];
  /** Environment variables holding the base URL, in order of preference. */
  apiBaseEnv: readonly string[];
  capabilities: ProviderCapabilities;
  /** OpenAI parameter names this upstream spells differently (e.g. `max_completion_tokens` -> `max_tokens`). */
  renameParams?: Readonly<Record<string, string>>;
  /** Request headers carrying the key; default `Authorization: Bearer <key>`. */
  authHeaders?: (key: string) => Record<string, string>;
  /**
   * Full URL for an operation; default `<api_base>/chat/completions` and `<api_base>/embeddings`. Receives the
   * configured `api_base` as it is (it may end in `/` or carry a query): build on it with `underApiBase`.
   */
  url?: (apiBase: string, operation: 'chat' | 'embeddings', deployment: Deployment) => string;
  /** Reads this upstream's error bodies when they differ from OpenAI's. */
  readErrorBody?: ErrorBodyReader;
  /** Rewrites a chat request into what this upstream accepts (e.g. Mistral's tool-call id rules). */
  adaptChatRequest?: (request: ChatCompletionRequest) => ChatCompletionRequest;
  /**
   * False for upstreams that refuse `stream_options` (they must report usage on streams unasked, as Mistral
   * does); the gateway then does not ask for usage itself.
   */
  acceptsStreamOptions?: boolean;
}

/**
 * Any upstream speaking OpenAI's chat-completions and embeddings API. Requests pass through with every field
 * the caller sent (renamed where the upstream spells a parameter differently); only `model` is replaced by
 * the upstream model name. Responses and streams are relayed byte for byte.
 */
export class OpenAICompatibleProvider implements ProviderAdapter {
  readonly name: string;
  readonly capabilities: ProviderCapabilities;

  constructor(protected readonly spec: OpenAICompatibleSpec) {
    this.name = spec.name;
    this.capabilities = spec.capabilities;
  }

  validate(params: LitellmParams): Array<{ path: string; message: string }> {
    const base = this.apiBase(params);
    if (base === undefined) return [{ path: 'api_base', message: `required for ${this.name} deployments (or set ${this.spec.apiBaseEnv.join(' / ')})` }];
    return displayUrl(base) ? [] : [{ path: 'api_base', message: 'expected an http(s) URL' }];
  }

  displayApiBase(params: LitellmParams): string | undefined {
    return displayUrl(this.apiBase(params));
  }

  protected apiBase(params: LitellmParams): string | undefined {
    return setting(params, 'api_base', this.spec.apiBaseEnv) ?? this.spec.defaultApiBase;
  }

  /** Headers and provider defaults, computed once per deployment. */
  private readonly preparedFor = perDeployment((params) => ({ headers: this.headers(params), defaults: providerDefaults(params) }));

  protected headers(params: LitellmParams): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...extraHeaders(params) };
    const key = setting(params, 'api_key', this.spec.apiKeyEnv);
    if (key) Object.assign(headers, this.spec.authHeaders ? this.spec.authHeaders(key) : { authorization: `Bearer ${key}` });
    if (typeof params.organization === 'string') headers['openai-organization'] = params.organization;
    return headers;
  }

  protected url(deployment: Deployment, operation: 'chat' | 'embeddings'): string {
    const apiBase = this.apiBase(deployment.params) ?? '';
    if (this.spec.url) return this.spec.url(apiBase, operation, deployment);
    return underApiBase(apiBase, (root) => `${root}/${operation === 'chat' ? 'chat/completions' : 'embeddings'}`);
  }

  private body(deployment: Deployment, req: Record<string, unknown>, extra?: Record<string, unknown>): string {
    const merged = overDefaults(this.preparedFor(deployment.params).defaults, req);
    merged.model = deployment.upstreamModel;
    if (extra) Object.assign(merged, extra);
    for (const [from, to] of Object.entries(this.spec.renameParams ?? {})) {
      if (merged[from] !== undefined && merged[to] === undefined) merged[to] = merged[from];
      delete merged[from];
    }
    return JSON.stringify(merged);
  }

  async chatCompletion(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
    const req = this.spec.adaptChatRequest ? this.spec.adaptChatRequest(request) : request;
    const upstream = { url: this.url(deployment, 'chat'), headers: this.preparedFor(deployment.params).headers, body: this.body(deployment, req) };
    const { raw, json, status } = await callJson<{ usage?: unknown }>(deployment, upstream, context.signal, this.spec.readErrorBody);
    return { body: raw, usage: usageFromOpenAI(json.usage), status };
  }

  async chatCompletionStream(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
    const callerWantsUsage = request.stream_options?.include_usage === true;
    const adapted = this.spec.adaptChatRequest ? this.spec.adaptChatRequest(request) : request;
    const { stream_options: _callerOptions, ...req } = adapted;
    // The caller's stream options, with usage always on: it prices the stream.
    const streamOptions = Object.assign({}, adapted.stream_options, { include_usage: true });
    const body =
      this.spec.acceptsStreamOptions === false
        ? this.body(deployment, req, { stream: true })
        : this.body(deployment, req, { stream: true, stream_options: streamOptions });
    const upstream = { url: this.url(deployment, 'chat'), headers: this.preparedFor(deployment.params).headers, body };
    const { response, deadline } = await openStream(deployment, upstream, context.signal, this.spec.readErrorBody);
    return relayOpenAIStream(response, deployment, deadline, callerWantsUsage);
  }

  async embeddings(deployment: Deployment, req: EmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    const upstream = { url: this.url(deployment, 'embeddings'), headers: this.preparedFor(deployment.params).headers, body: this.body(deployment, req) };
    const { raw, json, status } = await callJson<{ usage?: unknown }>(deployment, upstream, context.signal, this.spec.readErrorBody);
    return { body: raw, usage: usageFromOpenAI(json.usage), status };
  }

}
