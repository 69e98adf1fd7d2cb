/**
 * The parts of Anthropic's Messages API wire format (docs.anthropic.com/en/api/messages) that the translators
 * read or write. Fields Tollgate does not interpret stay open (`[extra: string]: unknown`) so that native
 * blocks and parameters pass through untouched.
 */

export type AnthropicContentBlock = Record<string, unknown> & { type: string };

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string | AnthropicContentBlock[];
}

export type AnthropicTextBlock = {
  type: 'text';
  text: string;
  cache_control?: unknown;
};

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: unknown;
  [extra: string]: unknown;
}

export type AnthropicToolChoice =
  | { type: 'auto' | 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

/** A Messages API request body. `model` is absent on Vertex AI (the model is in the URL). */
export interface AnthropicRequestBody {
  model?: string;
  anthropic_version?: string;
  messages: AnthropicMessage[];
  system?: string | AnthropicTextBlock[];
  max_tokens: number;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  tools?: Array<AnthropicTool | Record<string, unknown>>;
  tool_choice?: AnthropicToolChoice;
  metadata?: { user_id?: string; [extra: string]: unknown };
  thinking?: unknown;
  stream?: boolean;
  [extra: string]: unknown;
}

export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  [extra: string]: unknown;
}

/** A Messages API response body (`type: "message"`). */
export interface AnthropicResponseBody {
  id?: string;
  type?: string;
  role?: string;
  model?: string;
  content?: AnthropicContentBlock[];
  stop_reason?: string | null;
  stop_sequence?: string | null;
  usage?: AnthropicUsage;
}

/** Anthropic's error body: `{"type":"error","error":{"type","message"},"request_id"}`. */
export interface AnthropicErrorBody {
  type?: string;
  error?: { type?: string; message?: string };
  request_id?: string;
}
