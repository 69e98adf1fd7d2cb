/**
 * The parts of Cohere's v2 API wire format (docs.cohere.com/reference/chat, /reference/chat-stream,
 * /reference/embed) that the translators read or write. Objects stay open (`[extra: string]: unknown`) so
 * native fields Tollgate does not interpret pass through untouched.
 */

export interface CohereTextPart {
  type: 'text';
  text: string;
}

export interface CohereImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: string };
}

export type CohereContentPart = CohereTextPart | CohereImagePart;

export interface CohereToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type CohereMessage =
  | { role: 'system'; content: string | CohereTextPart[] }
  | { role: 'user'; content: string | CohereContentPart[] }
  | { role: 'assistant'; content?: string; tool_plan?: string; tool_calls?: CohereToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string | CohereTextPart[] };

export interface CohereTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: unknown; [extra: string]: unknown };
}

export interface CohereChatRequest {
  model: string;
  messages: CohereMessage[];
  stream: boolean;
  tools?: CohereTool[];
  strict_tools?: boolean;
  tool_choice?: 'REQUIRED' | 'NONE';
  response_format?: { type: 'text' } | { type: 'json_object'; json_schema?: unknown };
  max_tokens?: number;
  stop_sequences?: string[];
  temperature?: number;
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  /** Cohere's name for top_p. */
  p?: number;
  [extra: string]: unknown;
}

/** `usage` of a chat response or of the `message-end` stream event. */
export interface CohereUsage {
  billed_units?: { input_tokens?: number; output_tokens?: number; [extra: string]: unknown };
  tokens?: { input_tokens?: number; output_tokens?: number };
  cached_tokens?: number;
}

export interface CohereResponseContent {
  type: string;
  text?: string;
  thinking?: string;
}

export interface CohereChatResponse {
  id?: string;
  finish_reason?: string;
  message?: {
    role?: string;
    content?: CohereResponseContent[];
    tool_plan?: string;
    tool_calls?: Array<{ id?: string; type?: string; function?: { name?: string; arguments?: string } }>;
    citations?: unknown[];
  };
  usage?: CohereUsage;
}

/** One v2 stream event (the `data:` payload; `type` repeats the SSE `event:` name). */
export interface CohereStreamEvent {
  type?: string;
  id?: string;
  index?: number;
  delta?: {
    message?: {
      role?: string;
      /** One content piece on deltas; `message-start` carries an empty list instead. */
      content?: { type?: string; text?: string; thinking?: string } | unknown[];
      tool_plan?: string;
      tool_calls?: { id?: string; type?: string; function?: { name?: string; arguments?: string } };
      citations?: unknown;
    };
    finish_reason?: string;
    usage?: CohereUsage;
    error?: string;
  };
}

export interface CohereEmbedRequest {
  model: string;
  texts: string[];
  input_type: string;
  embedding_types: string[];
  output_dimension?: number;
  [extra: string]: unknown;
}

export interface CohereEmbedResponse {
  id?: string;
  /** `embeddings_by_type` responses (what v2 returns) carry one list per requested type. */
  embeddings?: { float?: number[][]; [type: string]: unknown } | number[][];
  meta?: { billed_units?: { input_tokens?: number } };
}
