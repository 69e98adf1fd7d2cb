/**
 * OpenAI chat-completions parameters (besides `model`, `messages`, `stream`). `drop_params` concerns only
 * these: a parameter not in this list is provider-specific and always passes through untouched.
 */
export const OPENAI_CHAT_PARAMS: readonly string[] = [
  'audio',
  'frequency_penalty',
  'function_call',
  'functions',
  'logit_bias',
  'logprobs',
  'max_completion_tokens',
  'max_tokens',
  'modalities',
  'n',
  'parallel_tool_calls',
  'prediction',
  'presence_penalty',
  'reasoning_effort',
  'response_format',
  'seed',
  'service_tier',
  'stop',
  'store',
  'stream_options',
  'temperature',
  'tool_choice',
  'tools',
  'top_logprobs',
  'top_p',
  'user',
  'web_search_options',
];

export const OPENAI_EMBEDDING_PARAMS: readonly string[] = ['dimensions', 'encoding_format', 'user'];

/**
 * Request keys that steer the gateway itself (LiteLLM's names) and are never sent upstream. Later features
 * (fallbacks, caching, tags) read them before this list strips them.
 */
export const GATEWAY_REQUEST_KEYS: readonly string[] = [
  // LiteLLM reads `metadata` (tags, trace ids, spend-log fields) for itself and does not forward it.
  'metadata',
  'drop_params',
  'fallbacks',
  'num_retries',
  'mock_response',
  'caching',
  'cache',
  'tags',
  'guardrails',
  'timeout',
  'context_window_fallback_dict',
  'disable_fallbacks',
];

/** Every OpenAI chat parameter: the capability set of a fully OpenAI-compatible upstream. */
export const ALL_OPENAI_CHAT_PARAMS: ReadonlySet<string> = new Set(OPENAI_CHAT_PARAMS);
