/**
 * The parts of Ollama's native API (github.com/ollama/ollama/blob/main/docs/api.md) that the translators read
 * or write: `/api/chat`, `/api/generate` and `/api/embed`. Objects stay open so native fields Tollgate does
 * not interpret (`keep_alive`, `think`, `raw`, `options.num_ctx`, ...) pass through untouched.
 */

export interface OllamaToolCall {
  /** Newer servers name each call; older ones do not (Tollgate then makes an id up). */
  id?: string;
  function: { name: string; arguments: Record<string, unknown>; index?: number };
}

export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Base64 image data, without a `data:` prefix. */
  images?: string[];
  tool_calls?: OllamaToolCall[];
  /** The function a tool result answers. */
  tool_name?: string;
  thinking?: string;
}

/** Model options (Modelfile parameters) Tollgate maps OpenAI parameters onto. */
export interface OllamaOptions {
  temperature?: number;
  top_p?: number;
  seed?: number;
  stop?: string[];
  num_predict?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  [extra: string]: unknown;
}

/** `json`, or a JSON schema the output must follow. */
export type OllamaFormat = 'json' | Record<string, unknown>;

export interface OllamaChatRequest {
  model: string;
  messages: OllamaMessage[];
  stream: boolean;
  tools?: unknown[];
  format?: OllamaFormat;
  options?: OllamaOptions;
  [extra: string]: unknown;
}

export interface OllamaGenerateRequest {
  model: string;
  prompt: string;
  stream: boolean;
  system?: string;
  images?: string[];
  format?: OllamaFormat;
  options?: OllamaOptions;
  [extra: string]: unknown;
}

/** One `/api/chat` or `/api/generate` object: the whole answer, or one NDJSON line of a stream. */
export interface OllamaResponse {
  model?: string;
  /** `/api/chat` */
  message?: { role?: string; content?: string; thinking?: string; tool_calls?: OllamaToolCall[] };
  /** `/api/generate` */
  response?: string;
  thinking?: string;
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  /** A failure reported inside a stream. */
  error?: string;
}

export interface OllamaEmbedRequest {
  model: string;
  input: string[];
  dimensions?: number;
  [extra: string]: unknown;
}

export interface OllamaEmbedResponse {
  model?: string;
  embeddings?: number[][];
  prompt_eval_count?: number;
}
