export * from './provider.types';
export * from './provider-registry';
export { configureUpstreamPool, closeUpstreamPool } from './shared/upstream-agent';
export { displayUrl } from './shared/safe-url';
export { SseEventSplitter, sseEvent, sseEventData, SSE_DONE, nextSseBoundary } from './shared/sse-event-splitter';
export { messageText, countTokens } from './fake/fake-answer';
export { filterParams, type FilteredRequest } from './shared/param-filter';
export { GATEWAY_REQUEST_KEYS, OPENAI_CHAT_PARAMS, OPENAI_EMBEDDING_PARAMS } from './shared/openai-params';
export { collectSecrets, redactSecrets } from './shared/secrets';
