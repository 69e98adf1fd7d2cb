import type { CancelSignal } from '@tollgate/common';
import type { LitellmParams } from '@tollgate/config';

/** A `model_list` entry resolved for calling: which provider, which upstream model, with which settings. */
export interface Deployment {
  /** `model_info.id`, else a stable hash of the entry; shown in `x-litellm-model-id`. */
  id: string;
  /** The public model group name (`model_name`). */
  modelName: string;
  /** Provider prefix of `litellm_params.model`, e.g. `openai`. */
  provider: string;
  /** The model name sent upstream (the part after the provider prefix). */
  upstreamModel: string;
  /** Base URL safe to show (no credentials, no query string); undefined for in-process providers. */
  displayApiBase?: string;
  /** Whole-request timeout in milliseconds. */
  timeoutMs: number;
  /** Time-to-first-chunk timeout in milliseconds for streams. */
  streamTimeoutMs: number;
  /** Every `litellm_params` value, credentials included: never log or echo it. */
  params: LitellmParams;
  /** `model_info` of the entry (pricing overrides, `base_model`, access groups). */
  modelInfo?: Readonly<Record<string, unknown>>;
  /** Credentials this deployment's calls may carry (its settings and secret-like env vars), for redaction. */
  secrets?: readonly string[];
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens read from the provider's prompt cache (part of promptTokens). */
  cachedPromptTokens?: number;
  /** Prompt tokens written to the provider's prompt cache (Anthropic's cache_creation_input_tokens). */
  cacheCreationTokens?: number;
  /** Completion tokens spent on reasoning (part of completionTokens). */
  reasoningTokens?: number;
}

/** What every provider call receives besides the request body. */
export interface CallContext {
  callId: string;
  /** Fires when the caller disconnected or the deployment's timeout elapsed. */
  signal: CancelSignal;
}

/** An OpenAI chat-completions request body, as received (validated for the fields Tollgate reads). */
export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean; [extra: string]: unknown } | null;
  [extra: string]: unknown;
}

export interface ChatMessage {
  role: string;
  content?: unknown;
  [extra: string]: unknown;
}

export interface ChatCompletionResult {
  /** The response body in OpenAI's `chat.completion` shape, serialised once. */
  body: Buffer;
  usage?: TokenUsage;
  /** Upstream HTTP status (200 for in-process providers). */
  status: number;
}

export interface ChatCompletionStream {
  /**
   * Server-sent events in OpenAI's framing (`data: {chunk}\n\n` ... `data: [DONE]\n\n`), as bytes ready to
   * write to the caller. Each buffer holds one or more whole events (a relay may pass on together what
   * arrived together). Iteration throws a GatewayError when the upstream fails mid-stream.
   */
  events: AsyncIterable<Buffer>;
  /** Token usage once `events` is exhausted, when the upstream reported it. */
  usage(): TokenUsage | undefined;
  /** Releases the upstream at once when `events` will never be read (the caller left before the first read). */
  cancel?(): void;
}

/** An OpenAI embeddings request body, as received. */
export interface EmbeddingRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
  /** Cohere-style hint (`search_document`, `search_query`, ...), mapped where the provider has one. */
  input_type?: string;
  [extra: string]: unknown;
}

export interface EmbeddingResult {
  /** The response body in OpenAI's `list` of `embedding` objects shape, serialised once. */
  body: Buffer;
  usage?: TokenUsage;
  status: number;
}

/**
 * What a provider can do, in OpenAI's terms. The gateway uses `chatParams` for `drop_params`; the features
 * drive the conformance suite and docs/providers.md.
 */
export interface ProviderCapabilities {
  /**
   * OpenAI chat-completions parameters the provider honours (beyond `model`, `messages`, `stream`). An OpenAI
   * parameter outside this set is refused with 400, or dropped when `drop_params` is on. Parameters that
   * are not OpenAI's (provider-specific ones) always pass through.
   */
  chatParams: ReadonlySet<string>;
  /** OpenAI embeddings parameters honoured (beyond `model`, `input`); undefined when the provider has no embeddings. */
  embeddingParams?: ReadonlySet<string>;
  features: {
    systemPrompt: boolean;
    vision: boolean;
    tools: boolean;
    parallelToolCalls: boolean;
    jsonOutput: boolean;
    streaming: boolean;
    /** Reports token usage on streams. */
    streamUsage: boolean;
  };
  /** Where credentials come from, for docs: e.g. `api_key` or `ANTHROPIC_API_KEY`. */
  credentials: string;
  /** Model-string format, for docs: e.g. `anthropic/<model>`. */
  modelFormat: string;
}

/**
 * One model provider. A provider translates OpenAI's chat-completions format to its upstream's wire format
 * and back, and maps upstream failures to GatewayErrors. Adding a provider means adding a folder with a
 * class implementing this interface and listing it in `provider-registry.ts`.
 */
export interface ProviderAdapter {
  /** The model-string prefix this provider answers to (`openai` for `openai/gpt-4o`). */
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  /** Problems with a deployment's settings, as `path: expected ...` fragments (empty when fine). */
  validate(params: LitellmParams): Array<{ path: string; message: string }>;
  /** The base URL to show in headers and health output, with credentials and query removed. */
  displayApiBase(params: LitellmParams): string | undefined;
  chatCompletion(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult>;
  /** Resolves once the upstream accepted the stream (errors before the first byte reject here). */
  chatCompletionStream(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream>;
  /** Present when `capabilities.embeddingParams` is. */
  embeddings?(deployment: Deployment, request: EmbeddingRequest, context: CallContext): Promise<EmbeddingResult>;
}
