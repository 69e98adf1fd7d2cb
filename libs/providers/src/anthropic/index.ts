/**
 * Anthropic Messages API translation, shared with the providers that serve Claude in Anthropic's format
 * elsewhere (Claude on Vertex AI through rawPredict / streamRawPredict: pass `model: undefined` and
 * `anthropicVersion: 'vertex-2023-10-16'` to toAnthropicRequest).
 */
export type * from './anthropic.types';
export { AnthropicProvider, anthropicProvider, messagesUrl, ANTHROPIC_DEFAULT_API_BASE, ANTHROPIC_VERSION } from './anthropic.provider';
export { toAnthropicRequest, DEFAULT_MAX_TOKENS, JSON_TOOL_NAME, REASONING_EFFORT_BUDGETS } from './request-translator';
export type { AnthropicRequestOptions, TranslatedRequest } from './request-translator';
export { toAnthropicConversation } from './message-translator';
export { fromAnthropicResponse, finishReasonOf, usageFromAnthropic } from './response-translator';
export type { AnthropicResponseOptions } from './response-translator';
export { AnthropicStreamTranslator, AnthropicStreamError, anthropicErrorStatus } from './stream-translator';
export type { AnthropicStreamOptions } from './stream-translator';
export { relayAnthropicStream } from './anthropic-stream';
export { readAnthropicError, anthropicErrorDetail } from './anthropic-errors';
