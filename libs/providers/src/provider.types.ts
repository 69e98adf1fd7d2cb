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
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** What every provider call receives besides the request body. */
export interface CallContext {
  callId: string;
  /** Fires when the caller disconnected or the deployment's timeout elapsed. */
  signal: AbortSignal;
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
   * write to the caller. Iteration throws a GatewayError when the upstream fails mid-stream.
   */
  events: AsyncIterable<Buffer>;
  /** Token usage once `events` is exhausted, when the upstream reported it. */
  usage(): TokenUsage | undefined;
}

/**
 * One model provider. A provider translates OpenAI's chat-completions format to its upstream's wire format
 * and back, and maps upstream failures to GatewayErrors. Adding a provider means adding a folder with a
 * class implementing this interface and listing it in `provider-registry.ts`.
 */
export interface ProviderAdapter {
  /** The model-string prefix this provider answers to (`openai` for `openai/gpt-4o`). */
  readonly name: string;
  /** Problems with a deployment's settings, as `path: expected ...` fragments (empty when fine). */
  validate(params: LitellmParams): Array<{ path: string; message: string }>;
  /** The base URL to show in headers and health output, with credentials and query removed. */
  displayApiBase(params: LitellmParams): string | undefined;
  chatCompletion(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult>;
  /** Resolves once the upstream accepted the stream (errors before the first byte reject here). */
  chatCompletionStream(deployment: Deployment, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream>;
}
